"""Findings on real born-digital budgets: consistent tables give no error, and a changed digit is still caught.

Each case is a real table from shared/real whose region prints its figures in
a way an earlier rule misread (合计 with more parts than 基本支出 + 项目支出,
财政拨款收入 as one source, an uncoded 类/款/项 list, codes in brackets in the
label, a total in a merged cell, the parts of 上年结转结余 listed under it, a
list numbered again from 一 inside an item). The
text layer is read exactly, so any error finding on them would be a false
alarm; then one amount per table is changed and must be flagged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.pipeline import process_file
from flows.core.settings import Settings
from table_reconstruct.document.annotate import annotate_document
from table_reconstruct.semantics.column_roles import amount_columns
from table_reconstruct.cells.numbers import AmountKind, read_amount

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
if not REAL.is_dir():
    REAL = Path("/work/shared/real")

CASES = {
    "income sources with 财政拨款收入": ("cities/上海-00.pdf", "8-9", "income_overview"),
    "合计 with 事业单位经营支出 and others, uncoded 科目 list": ("cities/杭州-38.pdf", "17", "expenditure_overview"),
    "codes in brackets in the label": ("cities/广州-24.pdf", "12-13", "general_budget_expenditure"),
    "parts of 上年结转结余 listed under it": ("cities/北京-09.pdf", "4", "fiscal_overview"),
    "单位预留机动经费 beside 基本支出 and 项目支出": ("jiangsu/江苏省人民检察院__2019年度部门预算公开.pdf", "14-15",
                                            "expenditure_overview"),
    "a year compared with the one before": ("cities/重庆-18.pdf", "15-16", "general_budget_expenditure"),
    "functions numbered again from 一 under 一、本年支出": ("cities/北京-10.pdf", "6-7", "财政拨款收支"),
}


def _read(case: str):
    path, pages, form = CASES[case]
    pdf = REAL / path
    if not pdf.is_file():
        pytest.skip(f"{pdf} not available")
    result = process_file(pdf, Settings(pages=pages))
    tables = [t for t in result.tables if t.form == form or form in (t.title or "")]
    assert tables, [t.form for t in result.tables]
    return result, tables[0]


@pytest.mark.parametrize("case", CASES)
def test_consistent_real_table_gives_no_error_and_a_changed_amount_is_caught(case):
    result, table = _read(case)
    assert table.checks_run > 0
    assert [f for f in table.validation if f.severity == "error"] == []
    assert not [r for r in result.document.review_reasons if r.kind == "failed_check"]
    cell = next(c for c in sorted(table.cells, key=lambda c: (c.row, c.col))
                if c.row >= table.header_rows and c.col in amount_columns(table)
                and read_amount(c.text).kind is AmountKind.NUMBER and read_amount(c.text).value)
    digit = next(i for i, ch in enumerate(cell.text) if ch.isdigit())
    cell.text = cell.text[:digit] + str((int(cell.text[digit]) + 1) % 10) + cell.text[digit + 1:]
    annotate_document(result)
    assert any(f.severity == "error" and (cell.row, cell.col) in f.cells for f in table.validation), case


def test_needs_review_says_why_and_a_label_column_is_no_reason():
    result, _ = _read("codes in brackets in the label")
    reasons = result.document.review_reasons
    assert (result.document.status.value == "needs_review") == bool(reasons)
    for reason in reasons:
        assert reason.kind in ("failed_check", "doubtful_cells", "unmapped_amount_columns", "broken_page")
        assert reason.count >= 1 and reason.detail
        if reason.kind == "unmapped_amount_columns":
            assert "科目名称" not in reason.detail


def test_a_key_value_form_is_no_unmapped_amount_column():
    """重庆-21 p31 重点专项资金绩效目标表 opens "项目名称 | 水库移民后期扶持 | 主管部门 | 重庆市水利局": the
    values under those keys are no column headings, so nothing there asks for a canonical name."""
    pdf = REAL / "cities" / "重庆-21.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} not available")
    result = process_file(pdf, Settings(pages="31"))
    (table,) = result.tables
    assert table.form == "project_performance" and table.cell_at(0, 4).text == "重庆市水利局"
    assert table.cell_at(1, 1).text == "12,700.00" and amount_columns(table) == []
    assert result.document.status.value == "ok" and result.document.review_reasons == []


def test_the_procurement_column_of_a_spending_table_is_named():
    """深圳 支出总表 prints 2026年政府采购项目 › 小计 beside 基本支出 and 项目支出 (its 其中 columns were named)."""
    pdf = REAL / "cities" / "深圳-12.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} not available")
    result = process_file(pdf, Settings(pages="18-20"))
    (table,) = result.tables
    assert "政府采购" in [c.canonical for c in table.columns]
    assert all(table.columns[c].canonical for c in amount_columns(table))
    assert [f for f in table.validation if f.severity == "error"] == [] and result.document.status.value == "ok"


def test_units_that_fall_short_of_their_departments_line_are_shown_where_they_do():
    """杭州-37 表2 prints 合计, then 杭州市公安局 with the same figures, then its units, which add up in
    every column but 一般公共预算 (and so 总计, 小计): 1,471.66 short, a unit left out of the list. The
    findings say so in those columns only, against the department's line, not against a flat sum of both."""
    pdf = REAL / "cities" / "杭州-37.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} not available")
    result = process_file(pdf, Settings(pages="21-22"))
    (table,) = result.tables
    errors = [f for f in table.validation if f.severity == "error"]
    line = next(r for r in range(table.n_rows) if table.cell_at(r, 0).text == "杭州市公安局")
    assert sorted(f.cells[0] for f in errors) == [(line, 1), (line, 2), (line, 3)]
    assert {(str(f.expected), str(f.found)) for f in errors if f.cells[0] == (line, 3)} == {("364724.13", "366195.79")}
    cell = next(c for c in table.cells if c.text == "6,099.52")  # a unit's 事业收入: that column adds up
    cell.text = "7,099.52"
    annotate_document(result)
    assert any(f.severity == "error" and (cell.row, cell.col) in f.cells for f in table.validation)


def test_store_keeps_the_reasons_and_each_findings_severity(tmp_path):
    """A needs_review run of a real budget: its reasons and its findings' severity are in the store,
    and ``failed`` shows the reasons where a failed run shows its error."""
    import uuid
    from datetime import datetime, timezone

    from sqlalchemy import select

    from flows.cli.archive import review_summary
    from flows.outputs.result_files import RESULT_FILE, write_outputs
    from flows.store import RunRecord, default_store_url, open_store, schema

    pdf = REAL / "cities" / "北京-10.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} not available")
    result = process_file(pdf, Settings(pages="13"))  # the 三公 table whose 公务用车 小计 is printed blank
    assert result.document.status.value == "needs_review"
    doc_dir = write_outputs(result, tmp_path)
    now = datetime.now(timezone.utc)
    store = open_store(default_store_url(tmp_path))
    store.record_run(result, RunRecord(uuid.uuid4().hex, str(pdf), pdf.stat().st_size, Settings().fingerprint(),
                                       "batch", now, now, 1, str(doc_dir / RESULT_FILE)))
    run = next(r for r in store.current_runs(("needs_review",)))
    assert "failed_check" in review_summary(run["review_reasons_json"])
    with store.engine.connect() as conn:
        severities = conn.execute(select(schema.findings.c.rule, schema.findings.c.severity)).all()
    assert ("columns.公务用车购置及运行费=公务用车购置费+公务用车运行费", "error") in severities
    assert {s for _, s in severities} <= {"error", "rounding"}
