"""Which cells a person should check: the review list that goes into result.json.

OCR confidence alone decides nothing about the value (it is never changed
here); it only points a reviewer at the cells most likely to be wrong, and at
cells whose text the pipeline repaired, so every automatic change is seen.
"""

from __future__ import annotations

from typing import Sequence

from .model import Cell, ReviewCell, Table


def review_reasons(cell: Cell, threshold: float) -> list[str]:
    """Why ``cell`` needs a look (empty when it does not)."""
    reasons = []
    if cell.confidence < threshold:
        reasons.append(f"low OCR confidence {cell.confidence:.2f} < {threshold:.2f}")
    reasons.extend(f"corrected: {note}" for note in cell.corrections)
    return reasons


def review_cells(tables: Sequence[Table], threshold: float) -> list[ReviewCell]:
    """Every doubtful or corrected cell of the document, table by table in reading order."""
    out = []
    for index, table in enumerate(tables):
        for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
            reasons = review_reasons(cell, threshold)
            if reasons:
                out.append(ReviewCell(table=index, row=cell.row, col=cell.col, page=cell.page, text=cell.text,
                                      confidence=cell.confidence, reason="; ".join(reasons)))
    return out
