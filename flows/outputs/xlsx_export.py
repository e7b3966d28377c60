"""One .xlsx workbook per document: a sheet per table with the original merged header over the data.

The CSVs are for machines; the workbook is for people who compare with the
printed page, so the header keeps its merged cells exactly as reconstructed,
amounts are real numbers (summable in Excel), and a ``columns`` sheet maps
every leaf column to its canonical name. Text goes in typed as text: a cell
printed as ``=HYPERLINK(...)`` is never stored as a live formula.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from table_reconstruct.semantics.header_mapping import PATH_SEPARATOR
from table_reconstruct.model import Cell, DocumentResult, ReviewCell, Table
from table_reconstruct.cells.numbers import parse_amount

WORKBOOK_FILE = "tables.xlsx"
COLUMNS_SHEET = "columns"
AMOUNT_FORMAT = "#,##0.00"
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_TITLE = 31
# Excel holds at most this many characters in a cell; longer text is cut there, and says so.
MAX_CELL_CHARS = 32_767
CUT_NOTE = f"cut at {MAX_CELL_CHARS:,} characters (Excel's limit) in tables.xlsx: the whole text is in result.json and the CSV"


def cell_amount(cell: Cell) -> Decimal | None:
    """The cell as a number: the pipeline's parsed value, else an unambiguous amount in its text.

    Only text with a decimal point or thousands separator counts as an amount
    here, so classification codes such as ``03`` stay text (a leading zero matters).
    """
    if cell.value is not None:
        return cell.value
    if "." in cell.text or "," in cell.text:
        return parse_amount(cell.text)
    return None


def sheet_title(index: int, table: Table, taken: set[str]) -> str:
    """A unique, Excel-legal sheet name (31 characters at most) that starts with the table's number."""
    base = _SHEET_FORBIDDEN.sub("_", f"{index + 1:02d} {table.title or 'table'}")[:MAX_SHEET_TITLE].strip()
    title, n = base, 2
    while title.lower() in taken:
        suffix = f"~{n}"
        title, n = base[: MAX_SHEET_TITLE - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def put_text(target: SheetCell, text: str | None) -> None:
    """Text as a string cell, whatever it starts with (openpyxl would make ``=…`` a formula and
    ``#N/A`` an error); control characters a worksheet cannot hold are left out, and text past
    Excel's limit is cut with a comment on the cell saying so."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text) if text else None
    if text and len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS]
        target.comment = Comment(CUT_NOTE, "disclosure-ocr")
    target.value = text or None
    if target.value is not None:
        target.data_type = "s"


def cut_cells(result: DocumentResult) -> list[ReviewCell]:
    """The cells whose text the workbook cuts, as review cells: the result says so too."""
    return [
        ReviewCell(table=index, row=cell.row, col=cell.col, page=cell.page, text=cell.text[:80] + "…",
                   confidence=cell.confidence, reason=CUT_NOTE)  # fmt: skip
        for index, table in enumerate(result.tables)
        for cell in table.cells
        if len(ILLEGAL_CHARACTERS_RE.sub("", cell.text)) > MAX_CELL_CHARS  # never an amount: it is text that is cut
    ]


def write_row(sheet: Worksheet, row: int, values: list) -> None:
    """One row of values from column A, every text value typed as text."""
    for col, value in enumerate(values, start=1):
        if isinstance(value, str):
            put_text(sheet.cell(row=row, column=col), value)
        else:
            sheet.cell(row=row, column=col).value = value


def fill_table_sheet(sheet: Worksheet, table: Table) -> None:
    """Grid cells at their positions (1-based in Excel), spans merged, header styled and frozen."""
    for cell in table.cells:
        target = sheet.cell(row=cell.row + 1, column=cell.col + 1)
        is_header = cell.row < table.header_rows
        amount = None if is_header else cell_amount(cell)
        if amount is not None:
            target.value = amount
            target.number_format = AMOUNT_FORMAT
        else:
            put_text(target, cell.text)
        if is_header:
            target.font = Font(bold=True)
            target.fill = HEADER_FILL
            target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=cell.row + 1,
                start_column=cell.col + 1,
                end_row=cell.row + cell.rowspan,
                end_column=cell.col + cell.colspan,
            )
    sheet.freeze_panes = sheet.cell(row=table.header_rows + 1, column=1)
    for col in range(table.n_cols):
        sheet.column_dimensions[get_column_letter(col + 1)].width = 14


def fill_columns_sheet(sheet: Worksheet, titles: list[str], tables: list[Table]) -> None:
    """Which canonical column each leaf column of each sheet is (blank where unmapped)."""
    rows = [["sheet", "column", "header path", "canonical", "score"]]
    for title, table in zip(titles, tables):
        rows += [
            [title, get_column_letter(column.index + 1), PATH_SEPARATOR.join(column.header_path),
             column.canonical, round(column.score, 1)]
            for column in table.columns
        ]
    for number, values in enumerate(rows, start=1):
        write_row(sheet, number, values)


def document_workbook(result: DocumentResult) -> Workbook:
    """The workbook of one document (an empty ``columns`` sheet only when it has no tables)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = {COLUMNS_SHEET}
    titles = []
    for index, table in enumerate(result.tables):
        sheet = workbook.create_sheet(sheet_title(index, table, taken))
        fill_table_sheet(sheet, table)
        titles.append(sheet.title)
    fill_columns_sheet(workbook.create_sheet(COLUMNS_SHEET), titles, result.tables)
    return workbook


def workbook_bytes(result: DocumentResult) -> bytes:
    buffer = io.BytesIO()
    document_workbook(result).save(buffer)
    return buffer.getvalue()
