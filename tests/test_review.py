"""The review list: every low-confidence or corrected cell, and nothing else."""

from __future__ import annotations

from table_reconstruct.model import Cell, Table
from table_reconstruct.review import review_cells


def test_low_confidence_and_corrected_cells_are_listed_with_reasons():
    first = Table(n_rows=2, n_cols=2, cells=[
        Cell(row=0, col=0, text="合计", confidence=0.99),
        Cell(row=0, col=1, text="12.50", confidence=0.95, raw_text="12.50.",
             corrections=["stray marks removed around amount: '12.50.' -> '12.50'"]),
        Cell(row=1, col=0, text="", confidence=1.0),
        Cell(row=1, col=1, text="1O.00", confidence=0.41, page=3),
    ])
    second = Table(n_rows=1, n_cols=1, cells=[Cell(row=0, col=0, text="3.00", confidence=0.8)])
    listed = review_cells([first, second], threshold=0.8)
    assert [(r.table, r.row, r.col) for r in listed] == [(0, 0, 1), (0, 1, 1)]
    assert listed[0].reason.startswith("corrected: stray marks") and listed[0].text == "12.50"
    assert listed[1].reason == "low OCR confidence 0.41 < 0.80" and listed[1].page == 3
    assert review_cells([first, second], threshold=0.99)[-1].table == 1  # 0.80 < 0.99 now counts
