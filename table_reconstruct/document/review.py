"""Which cells a person should check: the review list that goes into result.json.

OCR confidence alone decides nothing about the value (it is never changed
here); it only points a reviewer at the cells most likely to be wrong, and at
cells whose text the pipeline repaired, so every automatic change is seen.
"""

from __future__ import annotations

from typing import Sequence

from table_reconstruct.semantics.column_roles import amount_columns
from table_reconstruct.cells.corrections import column_decimals
from table_reconstruct.model import Cell, ReviewCell, Table
from table_reconstruct.cells.numbers import AmountKind, read_amount


def amount_doubt(cell: Cell, decimals: int | None) -> str | None:
    """Why an amount column's cell is no amount as printed (digits, one point, groups of three, a sign), or None.

    A reading outside that alphabet (O for 0, 1,23, 1.803.C10103) or with another
    number of decimals than its column (189767.551 among whole yuan) is left as
    read and flagged, never guessed.
    """
    amount = read_amount(cell.text)
    if amount.kind is AmountKind.TEXT:
        return f"not an amount: {cell.text!r}"
    if amount.kind is AmountKind.NUMBER and decimals is not None and amount.decimals != decimals:
        return f"{amount.decimals} decimals where its column prints {decimals}: {cell.text!r}"
    return None


def review_reasons(cell: Cell, threshold: float, doubt: str | None = None) -> list[str]:
    """Why ``cell`` needs a look (empty when it does not); ``doubt`` is what its column makes of it."""
    reasons = [doubt] if doubt else []
    if cell.confidence < threshold:
        reasons.append(f"low OCR confidence {cell.confidence:.2f} < {threshold:.2f}")
    reasons.extend(f"corrected: {note}" for note in cell.corrections)
    return reasons


def review_cells(tables: Sequence[Table], threshold: float) -> list[ReviewCell]:
    """Every doubtful or corrected cell of the document, table by table in reading order."""
    out = []
    for index, table in enumerate(tables):
        decimals = {col: column_decimals(table, col) for col in amount_columns(table)}
        for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
            in_amounts = cell.row >= table.header_rows and cell.col in decimals
            reasons = review_reasons(cell, threshold, amount_doubt(cell, decimals[cell.col]) if in_amounts else None)
            if reasons:
                out.append(ReviewCell(table=index, row=cell.row, col=cell.col, page=cell.page, text=cell.text,
                                      confidence=cell.confidence, reason="; ".join(reasons)))
    return out
