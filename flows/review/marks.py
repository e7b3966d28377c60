"""What a reviewer should notice about each cell: pure functions from the result to per-cell marks.

A cell's key (``t<table>-r<row>-c<col>`` at its top-left grid position) ties
together its box on the page picture, its place in the extracted table and
the findings that involve it.
"""

from __future__ import annotations

from table_reconstruct.model import DocumentResult, Finding, Table

LOW_CONFIDENCE = "low-confidence"
FAILED_CHECK = "failed-check"
CORRECTED = "corrected"
EMPTY = "empty"

# Legend order is also precedence for the box colour: the first mark a cell has wins.
LEGEND = (
    (FAILED_CHECK, "involved in a failed arithmetic check"),
    (LOW_CONFIDENCE, "low OCR confidence"),
    (CORRECTED, "corrected by number post-processing"),
    (EMPTY, "empty"),
)


def cell_key(table: int, row: int, col: int) -> str:
    return f"t{table}-r{row}-c{col}"


def finding_keys(result: DocumentResult, finding: Finding, table_index: int | None) -> list[str]:
    """Keys of a finding's cells, each moved to the origin of the merged cell covering it."""
    positions = [(table_index, row, col) for row, col in finding.cells] if table_index is not None else []
    positions += [(ref.table, ref.row, ref.col) for ref in finding.refs]
    keys: list[str] = []
    for table, row, col in positions:
        if table is None or not 0 <= table < len(result.tables):
            continue
        cell = result.tables[table].cell_at(row, col)
        key = cell_key(table, cell.row, cell.col) if cell else cell_key(table, row, col)
        if key not in keys:
            keys.append(key)
    return keys


def all_findings(result: DocumentResult) -> list[tuple[int | None, Finding]]:
    """Every finding with the table it belongs to (None for the document's cross-table findings)."""
    found: list[tuple[int | None, Finding]] = []
    for index, table in enumerate(result.tables):
        found.extend((index, finding) for finding in table.validation)
    found.extend((None, finding) for finding in result.validation)
    return found


def cell_marks(result: DocumentResult, threshold: float) -> dict[str, list[str]]:
    """Marks of every cell that has any, in legend order."""
    failing = {key for index, finding in all_findings(result) for key in finding_keys(result, finding, index)}
    marks: dict[str, list[str]] = {}
    for index, table in enumerate(result.tables):
        for cell in table.cells:
            key = cell_key(index, cell.row, cell.col)
            found = {
                FAILED_CHECK: key in failing,
                # Not ``review_cells``: that list also holds corrected cells read with full confidence.
                LOW_CONFIDENCE: cell.confidence < threshold,
                CORRECTED: bool(cell.corrections),
                EMPTY: not cell.text.strip(),
            }
            listed = [name for name, _ in LEGEND if found[name]]
            if listed:
                marks[key] = listed
    return marks


def table_slots(table: Table) -> list[list[object]]:
    """The grid row by row: the cell at its origin, ``None`` where a merged cell covers, ``"gap"`` where nothing does."""
    slots: list[list[object]] = [["gap"] * table.n_cols for _ in range(table.n_rows)]
    for cell in table.cells:
        for row in range(cell.row, min(cell.row + cell.rowspan, table.n_rows)):
            for col in range(cell.col, min(cell.col + cell.colspan, table.n_cols)):
                slots[row][col] = None
        if cell.row < table.n_rows and cell.col < table.n_cols:
            slots[cell.row][cell.col] = cell
    return slots
