"""Rounding accumulated over many printed parts is a `rounding` note, not an `error`.

Each printed figure is its exact value rounded to the cent, so a 款 printed
from its exact sum may honestly miss the sum of its printed 项 by up to half a
cent per figure. Beyond that bound it is still an error.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from flows.core.pipeline import process_file
from flows.core.settings import Settings
from table_reconstruct.document.annotate import annotate_document, annotate_table
from table_reconstruct.model import Cell, Column, Table
from table_reconstruct.semantics.rows import row_semantics
from table_reconstruct.validation import Tolerance, tolerance_for

REAL = Path(__file__).resolve().parents[2] / "shared" / "real" / "cities"
if not REAL.is_dir():
    REAL = Path("/work/shared/real/cities")
CENT = Decimal("0.01")


def _coded_table(parent: str, parts: list[str], unit: str = "万元") -> Table:
    """款 20101 with its 项 2010101, 2010102 …, one amount column 合计."""
    texts = [["科目编码", "科目名称", "合计"], ["20101", "人大事务", parent]]
    texts += [[f"20101{i + 1:02d}", f"项{i + 1}", text] for i, text in enumerate(parts)]
    cells = [Cell(row=r, col=c, text=t) for r, row in enumerate(texts) for c, t in enumerate(row)]
    table = Table(n_rows=len(texts), n_cols=3, header_rows=1, cells=cells, unit=unit, columns=[
        Column(index=0, header_path=["科目编码"], canonical="科目编码"),
        Column(index=1, header_path=["科目名称"], canonical="科目名称"),
        Column(index=2, header_path=["合计"], canonical="合计")])
    table.rows = row_semantics(table)
    return table


def _printed(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _parent_sum(table: Table):
    annotate_table(table)
    (finding,) = [f for f in table.validation if f.rule == "rows.parent_sum"]
    return finding


def test_eleven_parts_each_rounded_down_miss_their_total_by_five_cents_and_that_is_rounding():
    exact = [Decimal(k) + Decimal("0.0049") for k in range(1, 12)]  # each printed half a cent too low
    table = _coded_table(_printed(sum(exact)), [_printed(v) for v in exact])
    finding = _parent_sum(table)
    assert finding.difference == Decimal("0.05")  # 66.05 printed, its 11 parts 66.00
    assert finding.severity == "rounding"


def test_beyond_half_a_cent_per_printed_figure_is_still_an_error():
    exact = [Decimal(k) + Decimal("0.0049") for k in range(1, 12)]
    parts = [_printed(v) for v in exact]
    # 12 printed figures explain at most 6 cents; 7 cannot be rounding.
    assert _parent_sum(_coded_table("66.07", parts)).severity == "error"
    assert _parent_sum(_coded_table("66.06", parts)).severity == "rounding"
    # Two parts (three figures) keep the conventional one-cent 尾差.
    assert _parent_sum(_coded_table("3.02", ["1.00", "2.00"])).severity == "error"
    assert _parent_sum(_coded_table("3.01", ["1.00", "2.00"])).severity == "rounding"


def test_blank_parts_are_exact_and_widen_nothing():
    """A 款 with 11 项 of which 9 are blank: three printed figures, one cent."""
    assert _parent_sum(_coded_table("3.02", ["1.00", "2.00"] + [""] * 9)).severity == "error"


def test_the_step_is_the_printed_decimal_and_the_unit_the_least_allowed():
    wan = tolerance_for(_coded_table("3.00", ["1.00", "2.00"]))
    assert wan == Tolerance(unit=CENT, step=CENT)
    assert [wan.allowed(m) for m in (2, 3, 12, 13)] == [CENT, CENT, Decimal("0.06"), Decimal("0.06")]
    yuan_in_cents = tolerance_for(_coded_table("3.00", ["1.00", "2.00"], unit="元"))
    assert yuan_in_cents.allowed(40) == Decimal(1)  # 1 元 尾差 already covers cents over 40 figures
    whole_yuan = tolerance_for(_coded_table("3", ["1", "2"], unit="元"))
    assert whole_yuan.allowed(12) == Decimal(6)


def test_chongqing_19_a_class_missing_its_eleven_parts_by_two_cents_is_rounding_and_a_changed_digit_is_an_error():
    """重庆-19 p19–21 基本支出表: 301 工资福利支出 32,959.79 against its 11 款 30101…30199, 32,959.81 (each
    rounded to the cent)."""
    pdf = REAL / "重庆-19.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} not available")
    result = process_file(pdf, Settings(pages="19-21"))
    (table,) = result.tables
    assert table.form == "basic_expenditure"
    cell = next(c for c in table.cells if c.text == "32,959.79" and c.col == 2)
    finding = next(f for f in table.validation if f.rule == "rows.parent_sum" and f.cells[0] == (cell.row, 2))
    assert finding.difference == Decimal("-0.02") and len(finding.cells) - 1 == 11
    assert finding.severity == "rounding"
    assert not [f for f in table.validation if f.severity == "error"] and result.document.status.value == "ok"
    cell.text = "32,959.89"  # one digit changed: 0.08 off, more than 12 printed figures' rounding (0.06)
    annotate_document(result)
    changed = next(f for f in table.validation if f.rule == "rows.parent_sum" and f.cells[0] == (cell.row, 2))
    assert changed.severity == "error" and changed.difference == Decimal("0.08")
