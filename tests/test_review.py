"""The review list: every low-confidence or corrected cell, and nothing else."""

from __future__ import annotations

from table_reconstruct.model import Cell, Table
from table_reconstruct.document.review import review_cells


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


def test_amounts_outside_their_alphabet_or_their_columns_decimals_are_flagged_not_guessed():
    from table_reconstruct.model import Column

    texts = [["项目", "金额"], ["基本工资", "1,234"], ["津贴补贴", "0"], ["奖金", "O"], ["绩效工资", "1,23"],
             ["其他", "189767.551"], ["办公费", "12"], ["印刷费", "0"], ["邮电费", "3,001"], ["合计", "189,770"]]
    cells = [Cell(row=r, col=c, text=t, confidence=0.99) for r, row in enumerate(texts) for c, t in enumerate(row)]
    columns = [Column(index=0, header_path=["项目"], canonical="项目"),
               Column(index=1, header_path=["金额"], canonical="金额")]
    table = Table(n_rows=len(texts), n_cols=2, header_rows=1, cells=cells, columns=columns)
    listed = review_cells([table], threshold=0.8)
    assert [(r.row, r.reason) for r in listed] == [
        (3, "not an amount: 'O'"), (4, "not an amount: '1,23'"),
        (5, "3 decimals where its column prints 0: '189767.551'")]
    assert [c.text for c in table.cells if c.col == 1][3:6] == ["O", "1,23", "189767.551"]  # left as read
