"""Real tables the page join used to leave in pieces, and a misprinted code: read whole, no false alarm.

A sum over half a table cannot hold, so each piece left over was an `error`
finding on a consistent budget. Each case is a real born-digital PDF from
shared/real, read through its exact text layer; after it comes out whole and
clean, one of its amounts is changed and must be flagged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.pipeline import process_file
from flows.core.settings import Settings
from table_reconstruct.document.annotate import annotate_document

REAL = Path(__file__).resolve().parents[2] / "shared" / "real" / "cities"
if not REAL.is_dir():
    REAL = Path("/work/shared/real/cities")


def _read(name: str, pages: str):
    pdf = REAL / name
    if not pdf.is_file():
        pytest.skip(f"{pdf} not available")
    return process_file(pdf, Settings(pages=pages))


def _errors(table) -> list[str]:
    return [f.rule for f in table.validation if f.severity == "error"]


def _change_and_expect_an_error(result, table, text: str) -> None:
    cell = next(c for c in table.cells if c.text == text)
    cell.text = str((int(text[0]) + 1) % 10) + text[1:]
    annotate_document(result)
    assert any(f.severity == "error" and (cell.row, cell.col) in f.cells for f in table.validation)


def test_the_last_row_alone_on_the_next_page_joins_its_table():
    """无锡-41 p11 holds one ruled row, "2210203 购房补贴 167.18", under the page's running header."""
    result = _read("无锡-41.pdf", "10-11")
    (table,) = result.tables
    assert table.pages == [10, 11] and table.title == "支出总表"
    assert table.body_rows()[-1][:4] == ["2210203", "购房补贴", "167.18", "167.18"]
    assert _errors(table) == [] and result.document.status.value == "ok"
    _change_and_expect_an_error(result, table, "167.18")


def test_a_continuation_beginning_with_data_under_a_caption_seen_once_joins():
    """无锡-45 p10 goes on with （十九）… rows under the department's line, printed atop no other piece."""
    result = _read("无锡-45.pdf", "9-10")
    (table,) = result.tables
    assert table.pages == [9, 10] and table.form == "fiscal_overview"
    assert table.body_rows()[-1][0] == "收入总计" and _errors(table) == []
    _change_and_expect_an_error(result, table, "708.96")


def test_a_section_heading_above_the_first_table_is_not_its_title():
    """深圳-12 p15 prints "二、表格部分" above 收支总表; p16 repeats the title and header."""
    result = _read("深圳-12.pdf", "15-16")
    (table,) = result.tables
    assert table.pages == [15, 16] and table.title == "收支总表"
    assert _errors(table) == []
    _change_and_expect_an_error(result, table, "367.54")  # 三、社会保障和就业支出 (p15)


def test_a_sole_part_printed_with_its_parents_code_is_its_part():
    """无锡-43 p14 prints 项 "21999 其他支出 502.00" under 款 21999 其他支出 502.00: not two siblings."""
    result = _read("无锡-43.pdf", "13-14")
    (table,) = result.tables
    rows = [row[:3] for row in table.body_rows()]
    assert rows.count(["21999", "其他支出", "502.00"]) == 2
    assert _errors(table) == []
    twice = [c for c in table.cells if c.text == "502.00" and c.col == 2]
    twice[-1].text = "503.00"
    annotate_document(result)
    assert any(f.severity == "error" and (twice[-1].row, 2) in f.cells for f in table.validation)


def test_a_row_printed_over_the_page_break_is_read_as_one_row():
    """杭州-37 表2: the row of 杭州市机动车驾驶员考试服务中心 starts at the foot of p21 ("杭州市机动",
    事业收入 "12,437.3") and ends atop p22 ("车驾驶员考试服务中心", "6")."""
    result = _read("杭州-37.pdf", "21-22")
    (table,) = result.tables
    row = next(r for r in table.body_rows() if r[0].startswith("杭州市机动"))
    assert row[0] == "杭州市机动车驾驶员考试服务中心" and row[1:3] == ["14,549.64", "14,549.64"]
    assert row[7] == "12,437.36" and row[11] == "2,112.28"
    assert not any(r[0] == "车驾驶员考试服务中心" for r in table.body_rows())
    assert not [f for f in table.validation if f.severity == "error" and f.rule.startswith("columns.")]
    _change_and_expect_an_error(result, table, "2,112.28")


def test_a_header_row_at_the_foot_of_a_page_opens_the_table_on_the_next():
    """江苏省高级人民法院 2018 p10 ends with 四、…财政拨款收支预算总表 and its row 收入 | 支出; the rest is atop p11."""
    pdf = REAL.parent / "jiangsu" / "江苏省高级人民法院__省法院2018年度部门预算公开.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} not available")
    result = process_file(pdf, Settings(pages="10-11"))
    table = next(t for t in result.tables if t.title and t.title.startswith("四、"))
    assert table.pages == [10, 11] and table.form == "fiscal_overview" and table.header_rows == 3
    assert [c.header_path[0] for c in table.columns] == ["收入", "收入", "支出", "支出"]
    assert _errors(table) == []  # (the document's first table began on p9, outside the pages read)
    _change_and_expect_an_error(result, table, "3,258.06")
