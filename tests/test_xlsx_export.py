"""The per-document workbook, read back with openpyxl: merged header spans, numbers as numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from flows.outputs.result_files import write_outputs
from flows.outputs.xlsx_export import COLUMNS_SHEET, WORKBOOK_FILE, cell_amount
from table_reconstruct.model import Cell
from table_reconstruct.cells.numbers import parse_amount


def merged_spans(sheet) -> set[tuple[int, int, int, int]]:
    return {(r.min_row - 1, r.min_col - 1, r.max_row - r.min_row + 1, r.max_col - r.min_col + 1) for r in sheet.merged_cells.ranges}


def assert_sheet_reproduces(sheet, table) -> None:
    want = {(c.row, c.col, c.rowspan, c.colspan) for c in table.cells if c.rowspan > 1 or c.colspan > 1}
    assert merged_spans(sheet) == want
    header_spans = {s for s in want if s[0] < table.header_rows}
    assert header_spans, "the sample's header has merged cells"
    for cell in table.cells:
        got = sheet.cell(row=cell.row + 1, column=cell.col + 1).value
        amount = parse_amount(cell.text) if cell.row >= table.header_rows and "." in cell.text else None
        if amount is not None:
            assert isinstance(got, (int, float)) and Decimal(str(got)) == amount, (cell, got)
        else:
            assert got == (cell.text or None), (cell, got)


def read_back(tmp_path, result):
    doc_dir = write_outputs(result, tmp_path)
    return load_workbook(doc_dir / WORKBOOK_FILE)


def test_truth_workbook_has_one_sheet_per_table_with_merged_header(tmp_path, sample_truth):
    workbook = read_back(tmp_path, sample_truth)
    assert workbook.sheetnames[-1] == COLUMNS_SHEET
    sheets = workbook.sheetnames[:-1]
    assert len(sheets) == len(sample_truth.tables)
    for name, table in zip(sheets, sample_truth.tables):
        assert name.startswith(f"{sample_truth.tables.index(table) + 1:02d} ")
        assert_sheet_reproduces(workbook[name], table)
        assert workbook[name].freeze_panes == f"A{table.header_rows + 1}"


def test_codes_stay_text_and_columns_sheet_names_canonical(tmp_path, sample_truth):
    workbook = read_back(tmp_path, sample_truth)
    table = sample_truth.tables[1]
    sheet = workbook[workbook.sheetnames[1]]
    codes = [c for c in table.cells if c.row >= table.header_rows and c.col < 3 and c.text]
    assert codes and all(sheet.cell(row=c.row + 1, column=c.col + 1).value == c.text for c in codes)
    rows = list(workbook[COLUMNS_SHEET].iter_rows(min_row=2, values_only=True))
    mine = [row for row in rows if row[0] == sheet.title]
    assert [row[1] for row in mine] == [get_column_letter(i + 1) for i in range(table.n_cols)]
    assert [row[3] for row in mine] == [c.canonical for c in table.columns]


def test_parsed_value_wins_over_text():
    assert cell_amount(Cell(row=3, col=1, text="1,234.50")) == Decimal("1234.50")
    assert cell_amount(Cell(row=3, col=1, text="03")) is None
    assert cell_amount(Cell(row=3, col=1, text="I2.5", value=Decimal("12.5"))) == Decimal("12.5")


def test_failed_document_still_gets_a_workbook(tmp_path, sample_truth):
    failed = sample_truth.model_copy(update={"tables": []})
    workbook = read_back(tmp_path, failed)
    assert workbook.sheetnames == [COLUMNS_SHEET]


@pytest.mark.slow
def test_pipeline_workbook_reproduces_reconstructed_tables(tmp_path, sample_result):
    workbook = read_back(tmp_path, sample_result)
    for name, table in zip(workbook.sheetnames, sample_result.tables):
        assert_sheet_reproduces(workbook[name], table)
