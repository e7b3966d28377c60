"""Real disclosures whose tables run on over pages.

A 基本支出 table runs from page 13 onto page 14 without a header: truth is
the PDF's own text layer (``pdftotext -layout``); the pipeline is made to
read only the rasterized pages (``force_ocr``), as it would a scan.

苏州 and 无锡 print the department's line atop every page: it is all a
headerless continuation has above it, and must not pass for a new title.

A 项目支出 table stops mid-page (its next row, a long 绩效目标, did not fit)
and goes on over two pages that repeat its header: read born-digital.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from flows.core.pipeline import process_file
from flows.core.settings import Settings

SHARED_REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
REAL = SHARED_REAL / "jiangsu" / "江苏省人大办公厅__江苏省人大办公厅2017年度预算公开.pdf"
GUANGZHOU = SHARED_REAL / "cities" / "广州-24.pdf"
SUZHOU = SHARED_REAL / "cities" / "苏州-31.pdf"

pytestmark = pytest.mark.slow


def text_layer_rows(first: int, last: int) -> list[list[str]]:
    """(code, name, amount) per printed row; the 合计 row has no code."""
    text = subprocess.run(["pdftotext", "-f", str(first), "-l", str(last), "-layout", str(REAL), "-"],
                          capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in text.splitlines() if line.strip()]
    return [row if len(row) == 3 else ["", *row] for row in rows[1:]]  # rows[0] is the header


@pytest.mark.skipif(not REAL.is_file() or shutil.which("pdftotext") is None,
                    reason="needs ../shared/real and poppler-utils")
def test_table_continued_on_the_next_page_is_one_table():
    result = process_file(REAL, Settings(pages="13-14", force_ocr=True))
    (table,) = result.tables
    want = text_layer_rows(13, 14)
    assert table.pages == [13, 14] and len(table.page_bboxes) == 2
    assert table.header_rows == 1 and table.n_rows == 1 + len(want) == 24
    assert [row[0] for row in table.body_rows()] == [row[0] for row in want]  # codes, in order, over both pages
    assert [row[2] for row in table.body_rows()] == [row[2] for row in want]  # amounts, commas repaired
    first_page_rows = 1 + len(text_layer_rows(13, 13))
    assert all(c.page == (13 if c.row < first_page_rows else 14) for c in table.cells)
    # Thousands commas read as points are repaired (and sent to review) when they occur; since the text mask keeps
    # marks beside glyphs as ink (issue #15, ``remove_dust``) every comma of these pages is read as printed.
    repaired = [r for r in result.review_cells if "thousands separators" in r.reason]
    assert {r.text for r in repaired} <= {row[2] for row in want if "," in row[2]}


@pytest.mark.skipif(not GUANGZHOU.is_file(), reason="needs ../shared/real/cities")
def test_table_stopping_mid_page_goes_on_where_the_header_is_repeated():
    result = process_file(GUANGZHOU, Settings(pages="20-23"))
    basic, projects = result.tables
    assert basic.pages == [20] and basic.title == "部门预算基本支出预算表"
    assert projects.pages == [21, 22, 23] and projects.title == "部门预算项目支出及其他支出预算表"
    rows = projects.body_rows()
    assert not any(row[0].startswith("支出项目类别") for row in rows)  # repeated headers dropped
    assert rows[0][:2] == ["合计", "1,497.06"] and ["专项工作经费", "749.25"] == rows[5][:2]
    units = [row for row in rows if row[0] in ("广州市人民政府办公厅", "广州市政府政务信息系统管理中心")
             or row[0].startswith("广州地区公文交换站（广州市") and row[0].endswith("）")]
    assert len(units) == 3 and sum(float(row[1].replace(",", "")) for row in units) == pytest.approx(1497.06)


@pytest.mark.skipif(not SUZHOU.is_file(), reason="needs ../shared/real/cities")
def test_a_running_header_does_not_cut_a_table_in_two():
    result = process_file(SUZHOU, Settings(pages="9-12"))
    assert [(t.title, t.pages) for t in result.tables] == [("支出总表", [9, 10]), ("财政拨款收支总表", [11, 12])]
    spending = result.tables[0]
    codes = [row[0] for row in spending.body_rows()]
    assert "2120107" in codes and "2210203" in codes  # the first and last rows of page 10
    assert not any(c.text == "3,181.49" for c in spending.cells if c.row < spending.header_rows)
