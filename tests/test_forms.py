"""Form classification and per-form column names on real disclosure headers and titles."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from table_reconstruct.semantics.form_classifier import classify_table, title_key
from table_reconstruct.semantics.form_columns import identify_table, map_form_columns
from table_reconstruct.semantics.forms import UNKNOWN, default_catalog, load_catalog

DATA = Path(__file__).parent / "data"
REAL_TABLES = yaml.safe_load((DATA / "real_table_headers.yaml").read_text(encoding="utf-8"))["tables"]
JIANGSU = Path(__file__).resolve().parents[2] / "shared" / "real" / "jiangsu"


@pytest.mark.parametrize("table", REAL_TABLES, ids=[t["source"] for t in REAL_TABLES])
def test_real_tables_get_their_form_and_every_column_its_canonical_name(table):
    paths = [column[0] for column in table["columns"]]
    identity = identify_table(table["title"], paths)
    assert identity.form.form == table["form"]
    assert identity.form.score >= default_catalog().threshold
    assert [m.canonical for m in identity.columns] == [column[1] for column in table["columns"]]


@pytest.mark.parametrize("table", REAL_TABLES, ids=[t["source"] for t in REAL_TABLES])
def test_without_a_title_the_header_alone_still_names_the_columns(table):
    paths = [column[0] for column in table["columns"]]
    identity = identify_table(None, paths)
    assert identity.form.form != UNKNOWN
    assert [m.canonical for m in identity.columns] == [column[1] for column in table["columns"]]


# Titles as printed in the 2017-2019 江苏 and 2022/2026 河南 disclosures.
TITLES = [
    ("2022 年部门收支预算表", "income_expense_overview"),
    ("一、2018 年度江苏省高级人民法院收支预算总表", "income_expense_overview"),
    ("预算01表 2026年部门收支总体情况表", "income_expense_overview"),
    ("二、   收入预算总表", "income_overview"),
    ("三、2017 年度江苏省高级人民法院部门支出预算总表", "expenditure_overview"),
    ("四、2018 年度江苏省高级人民法院财政拨款收支预算总表", "fiscal_overview"),
    ("2022 年部门财政拨款收支总体情况表", "fiscal_overview"),
    ("财政拨款支出预算表（功能科目）", "fiscal_expenditure"),
    ("财政拨款基本支出预算表（经济科目）", "fiscal_basic_expenditure"),
    ("2022 年一般公共预算支出预算表", "general_budget_expenditure"),
    ("一般公共预算基本支出预算表（经济科目）", "basic_expenditure"),
    ("十一、2017 年江苏省高级人民法院部门一般公共预算“三公”经费、会议费、培训费支出预算表", "three_costs"),
    ("2022 年一般公共预算“三公”经费预算表", "three_costs"),
    ("十、政府性基金财政拨款支出预算表", "gov_fund_expenditure"),
    ("十、2018 年度江苏省高级人民法院政府性基金预算财政拨款支出预算表", "gov_fund_expenditure"),
    ("十、一般公共预算机关运行经费支出预算表", "operating_costs"),
    ("十二、2017 年江苏省高级人民法院部门政府采购预算表", "government_procurement"),
    ("本级部门(单位)整体绩效目标表", "overall_performance"),
    ("2026年部门预算项目绩效目标汇总表", "project_performance"),
    ("2025年度收入支出决算总表", "final_income_expense"),
    ("公开04表 2024年度财政拨款收入支出决算总表", "final_fiscal_overview"),
    ("2024年度一般公共预算财政拨款“三公”经费支出决算表", "final_three_costs"),
]


@pytest.mark.parametrize("title, form", TITLES)
def test_printed_title_variants_name_their_form(title, form):
    assert classify_table(title, []).form == form


def test_titles_lose_year_enumeration_form_number_and_trailing_remark():
    key = title_key("五、2019 年度 财政拨款支出预算表（功能科目）")
    assert key.text == "财政拨款支出预算表"
    assert title_key("公开 02 表：收入预算总表") .number == 2
    assert title_key("部门（单位）整体绩效目标表").text == "部门(单位)整体绩效目标表"


@pytest.mark.parametrize("title", ["2017 年度部门预算表", "执法检查和专项工作调研", "公开01表", None])
def test_section_headings_sentences_and_bare_numbers_are_unknown(title):
    match = classify_table(title, [])
    assert match.form == UNKNOWN and match.score < default_catalog().threshold


def test_a_header_the_catalog_does_not_know_is_unknown():
    match = classify_table(None, [["序号"], ["资产名称"], ["规格型号"], ["存放地点"]])
    assert match.form == UNKNOWN


def test_a_misread_title_is_still_recognised_through_its_header():
    paths = [["部门预算支出经济分类科目", "科目编码"], ["部门预算支出经济分类科目", "科目名称"],
             ["政府预算支出经济分类科目", "科目编码"], ["政府预算支出经济分类科目", "科目名称"],
             ["本年一般公共预算基本支出", "合计"], ["本年一般公共预算基本支出", "人员经费"],
             ["本年一般公共预算基本支出", "公用经费"]]
    match = classify_table("2026年一殷公共頂算基本支山表", paths)
    assert match.form == "basic_expenditure" and match.title_score < 100


def test_same_leaf_under_different_parents_keeps_distinct_names():
    paths = [["本年拨款", "一般公共预算"], ["财政拨款结转结余", "一般公共预算"]]
    names = [m.canonical for m in map_form_columns(paths, "project_expenditure")]
    assert names == ["一般公共预算", "结转结余_一般公共预算"]


def test_columns_a_form_does_not_know_fall_back_to_the_general_vocabulary():
    names = [m.canonical for m in map_form_columns([["项目名称"], ["金额"], ["公务接待费"]], "operating_costs")]
    assert names[1] == "合计"
    assert names[2] == "公务接待费"  # from columns.yaml, not the form


def test_catalog_is_versioned_and_rejects_duplicate_ids(tmp_path):
    catalog = default_catalog()
    assert catalog.version >= 1 and len({f.id for f in catalog.forms}) == len(catalog.forms)
    for number in range(1, 10):  # every 部门决算 公开01-09表 has a form
        assert any(f.family == "final" and number in f.numbers for f in catalog.forms)
    broken = tmp_path / "forms.yaml"
    broken.write_text("version: 2\nforms:\n  - {id: a, name: 甲表}\n  - {id: a, name: 乙表}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unique"):
        load_catalog(broken)


def _jiangsu_titles() -> list[str]:
    """Every printed table title in the 22 江苏 PDFs' text layers (lines ending in 预算表/总表)."""
    titles = []
    for pdf in sorted(JIANGSU.glob("*.pdf")):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        for line in text.splitlines():
            line = line.strip()
            if re.search(r"(预算表|预算总表|）)$", line) and 6 <= len(line) < 60 and "第二部分" not in line \
                    and re.search(r"(预算表|总表|科目）)$", line) and not re.search(r"[《，。；;]", line):
                titles.append(line)
    return titles


@pytest.mark.skipif(not JIANGSU.is_dir() or shutil.which("pdftotext") is None,
                    reason="needs ../shared/real/jiangsu and poppler")
def test_every_table_title_in_the_jiangsu_pdfs_is_classified():
    titles = _jiangsu_titles()
    assert len(titles) > 200
    forms = {t: classify_table(t, []).form for t in titles}
    unknown = [t for t, form in forms.items() if form == UNKNOWN]
    # The 12 公开 tables of 2017-2019: 收支/收入/支出/财政拨款 overviews, 财政拨款 and 一般公共预算
    # 支出 and 基本支出, 政府性基金, “三公”, 机关运行经费, 政府采购.
    assert len(set(forms.values()) - {UNKNOWN}) == 12
    # Only section headings such as "2017 年度部门预算表" may stay unknown.
    assert all("部门预算表" in t and not re.search(r"收|支|拨款|采购", t) for t in unknown), unknown
