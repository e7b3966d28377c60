"""Classification code lists: lookup by joined or split code, level, parent, names by year."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from table_reconstruct.semantics.classification import (
    DEPT_ECONOMIC, FUNCTION, GOV_ECONOMIC, code_level, code_list, join_code, lookup, name_of, name_similarity,
    parent_code,
)

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
JIANGSU = Path(__file__).resolve().parents[2] / "shared" / "real" / "jiangsu"


def test_split_and_joined_codes_are_the_same_code():
    assert join_code("201 | 13 | 01") == join_code(["201", "13", "01"]) == join_code("2011301") == "2011301"
    assert join_code(["301", "02"]) == "30102"
    assert join_code("合计") is None and join_code("2011") is None


def test_level_and_parent_follow_the_code_length():
    assert [code_level(c) for c in ("201", "20113", "2011301", "2011")] == ["类", "款", "项", None]
    assert parent_code("2011301") == "20113" and parent_code("20113") == "201" and parent_code("201") is None


def test_each_scheme_is_found_by_its_leading_digit():
    assert lookup("2011301").scheme == FUNCTION and lookup("2011301").name == "行政运行"
    assert lookup(["301", "01"]).scheme == DEPT_ECONOMIC and lookup("30101").name == "基本工资"
    assert lookup("50101").scheme == GOV_ECONOMIC and lookup("50101").name == "工资奖金津补贴"
    assert lookup("30101").basic_group == "人员经费" and lookup("30201").basic_group == "公用经费"
    assert lookup("042") is None


def test_names_that_changed_are_given_as_printed_in_that_year():
    assert name_of("30307") == "医疗费补助" and name_of("30307", year=2017) == "医疗费"
    assert name_of("30311", year=2017) == "住房公积金" and name_of("30311", year=2019) == "代缴社会保险费"
    assert name_of("20805", year=2019) == "行政事业单位离退休" and name_of("20805", year=2024) == "行政事业单位养老支出"


def test_every_listed_code_is_consistent():
    for scheme in (FUNCTION, DEPT_ECONOMIC, GOV_ECONOMIC):
        for code, entry in code_list(scheme).items():
            assert entry.level == code_level(code)
            assert entry.name or entry.former, code
            assert entry.source, code


def _printed_pairs(text: str) -> list[tuple[str, str]]:
    """(code, name) pairs printed in a table's text: "30101  基本工资" or tab-separated cells."""
    pairs = []
    for line in text.splitlines():
        cells = [c.strip() for c in re.split(r"\t|\s{2,}", line.strip()) if c.strip()]
        for a, b in zip(cells, cells[1:]):
            if re.fullmatch(r"(2\d{2}(\d{2}){0,2}|3\d{2}(\d{2})?|5\d{2}(\d{2})?)", a) and re.fullmatch(r"[\u4e00-\u9fff（）“”、]+", b):
                pairs.append((a, b))
    return pairs


def _year(name: str) -> int:
    return int(re.search(r"20\d\d", name).group())


@pytest.mark.skipif(not JIANGSU.is_dir() or shutil.which("pdftotext") is None,
                    reason="needs ../shared/real/jiangsu and poppler")
def test_codes_printed_in_the_jiangsu_pdfs_carry_the_listed_name_of_their_year():
    checked = 0
    for pdf in sorted(JIANGSU.glob("*.pdf")):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        for code, printed in _printed_pairs(text):
            entry = lookup(code)
            if entry is None:
                continue
            checked += 1
            assert printed == entry.name_in(_year(pdf.name)) or printed in entry.aliases, (pdf.name, code, printed)
    assert checked > 300


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="needs ../shared/reference")
def test_codes_printed_in_the_reference_disclosures_match_the_lists():
    checked = 0
    for path in sorted(REFERENCE.glob("*.txt")):
        for code, printed in _printed_pairs(path.read_text(encoding="utf-8")):
            similarity = name_similarity(code, printed)
            if similarity is None:
                continue
            checked += 1
            assert similarity == 100, (path.name, code, printed)
    assert checked > 40
