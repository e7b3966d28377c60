"""After every page is reconstructed: values, row semantics, OCR repairs and validation, per document.

One entry point (``annotate_document``) so the pipeline calls a single line;
each step is a pure function of the table living in its own module.
"""

from __future__ import annotations

from table_reconstruct.semantics.column_roles import amount_columns
from table_reconstruct.cells.corrections import correct_amounts
from table_reconstruct.cells.sum_settling import settle_by_sums
from table_reconstruct.semantics.lexicon import settle_row_names
from table_reconstruct.model import DocumentResult, Table
from table_reconstruct.cells.numbers import read_amount
from table_reconstruct.grid.region_kind import region_kind
from table_reconstruct.semantics.rows import row_semantics
from table_reconstruct.cells.text_repair import repaired
from table_reconstruct.validation import check_document, check_table


def repair_texts(table: Table) -> None:
    """Look-alike radicals in text cells, each repair recorded on its cell."""
    for cell in table.cells:
        fixed, note = repaired(cell.text)
        if note:
            cell.raw_text = cell.raw_text or cell.text
            cell.text = fixed
            cell.corrections.append(note)


def assign_values(table: Table) -> None:
    """Each amount cell's exact value; None for blanks, dashes, text, and codes or row numbers (201 is no amount)."""
    amounts = set(amount_columns(table))
    for cell in table.cells:
        is_amount = cell.row >= table.header_rows and cell.col in amounts
        cell.value = read_amount(cell.text).value if is_amount else None


def annotate_table(table: Table, read_by_ocr: bool = False) -> Table:
    repair_texts(table)
    table.kind = region_kind(table)
    table.rows = row_semantics(table)
    if read_by_ocr and settle_row_names(table):  # a text layer's names are what the page prints: never settled
        table.rows = row_semantics(table)
    correct_amounts(table)
    if read_by_ocr:  # a text layer's digits are what the office printed: a misprint is a finding, not a repair
        settle_by_sums(table)
    assign_values(table)
    table.checks_run, table.validation = check_table(table)
    return table


def annotate_document(result: DocumentResult) -> DocumentResult:
    """Fill ``rows``, cell values and ``validation`` of every table, and the document's cross-table findings."""
    ocr_pages = {note.page for note in result.document.page_notes if note.text_source != "text_layer"}
    for table in result.tables:
        annotate_table(table, read_by_ocr=set(table.pages) <= ocr_pages)
    result.checks_run, result.validation = check_document(result.tables)
    return result
