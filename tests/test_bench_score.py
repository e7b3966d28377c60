"""The benchmark scorer on hand-made tables: each defect costs exactly what it should."""

from __future__ import annotations

import pytest

from samples.bench.score import (
    Counts,
    fragments,
    iou,
    match_fragments,
    metrics,
    same_number,
    score_document,
    score_tokens_only,
)
from samples.bench.teds import struct_rows, teds_struct, tree_distance
from samples.numeric_tokens import amount_tokens, multiset_overlap
from table_reconstruct.model import Cell, Column, DocumentInfo, DocumentResult, Table

CELL_W, CELL_H = 60.0, 20.0
VOCAB = {"项目", "金额", "合计"}


def grid_table(texts: list[list[str]], header_rows: int = 1, merges: dict[tuple[int, int], tuple[int, int]] = (),
               page: int = 1, origin: tuple[float, float] = (50.0, 100.0), first_row: int = 0,
               canonicals: list[str | None] | None = None, title: str | None = "测试表") -> Table:
    """A ruled grid with regular cell boxes; ``merges`` maps a top-left to (rowspan, colspan)."""
    merges = dict(merges)
    n_rows, n_cols = len(texts), len(texts[0])
    covered = {(r + i, c + j) for (r, c), (rs, cs) in merges.items() for i in range(rs) for j in range(cs)
               if (i, j) != (0, 0)}
    x0, y0 = origin
    cells = []
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in covered:
                continue
            rs, cs = merges.get((r, c), (1, 1))
            bbox = (x0 + c * CELL_W, y0 + r * CELL_H, x0 + (c + cs) * CELL_W, y0 + (r + rs) * CELL_H)
            cells.append(Cell(row=first_row + r, col=c, rowspan=rs, colspan=cs, text=texts[r][c], page=page, bbox=bbox))
    canonicals = canonicals or [None] * n_cols
    columns = [Column(index=i, canonical=name) for i, name in enumerate(canonicals)]
    bbox = (x0, y0, x0 + n_cols * CELL_W, y0 + n_rows * CELL_H)
    return Table(title=title, pages=[page], n_rows=first_row + n_rows, n_cols=n_cols, header_rows=header_rows,
                 cells=cells, columns=columns, bbox=bbox)


def doc(*tables: Table, pages: int = 1) -> DocumentResult:
    return DocumentResult(document=DocumentInfo(source="x.pdf", sha256="", pages=pages), tables=list(tables))


TEXTS = [["项目", "金额", "合计"],
         ["办公费", "1.50", "1.50"],
         ["差旅费", "", "2.00"],
         ["201", "3.25", ""]]
CANON = ["项目", "金额", "合计"]


def test_identical_tables_score_one_everywhere():
    truth = doc(grid_table(TEXTS, canonicals=CANON))
    m = metrics(score_document(truth, truth, VOCAB))
    assert all(v == pytest.approx(1.0) for v in m.values() if v is not None)
    c = score_document(truth, truth, VOCAB)
    assert (c.cells, c.nonempty, c.numeric, c.columns) == (9, 7, 5, 3)


def test_one_wrong_cell_costs_one_cell():
    truth = doc(grid_table(TEXTS, canonicals=CANON))
    wrong = [row[:] for row in TEXTS]
    wrong[1][1] = "1.56"
    c = score_document(truth, doc(grid_table(wrong, canonicals=CANON)), VOCAB)
    assert (c.cells_correct, c.nonempty_correct, c.numeric_correct) == (8, 6, 4)
    assert c.structure_exact == 1 and c.teds_sum == pytest.approx(1.0)
    assert c.tokens_matched == c.tokens_truth - 1


def test_text_in_an_empty_cell_is_wrong_and_spacing_is_not():
    truth = doc(grid_table(TEXTS))
    pred = [row[:] for row in TEXTS]
    pred[2][1] = "0.00"  # truth empty
    pred[1][0] = "办 公 费"  # spaced out: same text
    c = score_document(truth, doc(grid_table(pred)), VOCAB)
    assert c.cells_correct == 8 and c.nonempty_correct == 7


def test_numbers_compare_by_value_but_codes_by_digits():
    assert same_number("5.50", "5.5") and same_number("1,234.00", "1234.00")
    assert not same_number("03", "3") and not same_number("5.50", "5.S0")


def test_missed_table_costs_recall_and_all_its_cells():
    a = grid_table(TEXTS, canonicals=CANON)
    b = grid_table(TEXTS, canonicals=CANON, origin=(50.0, 400.0))
    c = score_document(doc(a, b), doc(a), VOCAB)
    m = metrics(c)
    assert m["table_recall"] == 0.5 and m["table_precision"] == 1.0
    assert (c.cells, c.cells_correct) == (18, 9)
    assert (c.columns, c.columns_correct) == (6, 3)
    assert m["structure_exact"] == 0.5


def test_extra_table_costs_precision_only():
    a = grid_table(TEXTS)
    extra = grid_table([["x", "y"], ["1", "2"]], origin=(50.0, 600.0))
    m = metrics(score_document(doc(a), doc(a, extra), VOCAB))
    assert m["table_recall"] == 1.0 and m["table_precision"] == 0.5 and m["cell_accuracy"] == 1.0


def test_tables_on_another_page_or_far_away_do_not_match():
    t = fragments(doc(grid_table(TEXTS)))
    moved = fragments(doc(grid_table(TEXTS, origin=(50.0, 170.0))))  # IoU 1/15
    other_page = fragments(doc(grid_table(TEXTS, page=2)))
    assert match_fragments(t, moved) == {} and match_fragments(t, other_page) == {}
    assert iou((0, 0, 2, 2), (1, 0, 3, 2)) == pytest.approx(1 / 3)


def test_split_merged_header_cell_costs_structure_not_body_cells():
    header = [["收入", "", "支出"], *TEXTS[1:]]
    truth = doc(grid_table(header, merges={(0, 0): (1, 2)}))
    split = doc(grid_table(header))  # the 收入 cell cut in two
    c = score_document(truth, split, VOCAB)
    assert c.structure_exact == 0
    # one relabel (1×2 → 1×1) and one inserted cell, over 1 + 4 rows + 12 cells
    assert c.teds_sum == pytest.approx(1 - 2 / 17)
    assert c.cells_correct == c.cells == 9


def test_extra_row_costs_only_the_cells_it_displaces():
    truth = doc(grid_table(TEXTS))
    extra = [TEXTS[0], TEXTS[1], ["", "", ""], TEXTS[2], TEXTS[3]]  # a blank row inserted
    c = score_document(truth, doc(grid_table(extra)), VOCAB)
    # row 1 stays right; truth row 2 now lands on the blank row (only its empty cell
    # matches) and truth row 3 on the old row 2 (nothing matches)
    assert c.cells_correct == 3 + 1
    assert c.structure_exact == 0 and c.teds_sum == pytest.approx(1 - 4 / 21)


def test_header_mapping_follows_columns_by_position():
    truth = doc(grid_table(TEXTS, canonicals=["项目", "金额", "三公经费"]))
    pred = doc(grid_table(TEXTS, canonicals=["项目", "合计", "合计"]))
    c = score_document(truth, pred, VOCAB)
    assert (c.columns, c.columns_correct) == (2, 1)  # 金额 mapped to 合计
    assert (c.oov_columns, c.oov_unmapped) == (1, 0)  # 三公经费 should have stayed unmapped
    c = score_document(truth, doc(grid_table(TEXTS, canonicals=["项目", "金额", None])), VOCAB)
    assert (c.columns_correct, c.oov_unmapped) == (2, 1)


def test_title_compared_after_normalization():
    truth = doc(grid_table(TEXTS, title="2026年 部门收入总体情况表"))
    assert score_document(truth, doc(grid_table(TEXTS, title="2026年部门收入总体情况表")), VOCAB).titles_correct == 1
    assert score_document(truth, doc(grid_table(TEXTS, title="部门收入总体情况表")), VOCAB).titles_correct == 0


def test_table_over_two_pages_scores_per_page_fragments():
    rows = [TEXTS[0]] + [[f"项{i}", f"{i}.00", ""] for i in range(1, 7)]
    page1 = grid_table(rows[:4], canonicals=CANON)
    page2 = grid_table(rows[4:], header_rows=0, page=2, origin=(50.0, 40.0), first_row=4, title=None)
    joined = page1.model_copy(update={"cells": page1.cells + page2.cells, "pages": [1, 2], "n_rows": 7})
    per_page = [page1, grid_table(rows[4:], header_rows=1, page=2, origin=(50.0, 40.0), title=None)]
    c = score_document(doc(joined, pages=2), doc(*per_page, pages=2), VOCAB)
    assert (c.tables_truth, c.tables_matched, c.structure_exact) == (2, 2, 2)
    assert c.cells_correct == c.cells == 3 * 3 + 3 * 3  # page-2 rows are all body in the truth
    assert (c.multipage, c.multipage_joined) == (1, 0)
    assert (c.joins_pred, c.joins_right) == (0, 0)
    c = score_document(doc(joined, pages=2), doc(joined, pages=2), VOCAB)
    assert (c.multipage_joined, c.joins_pred, c.joins_right) == (1, 1, 1)
    assert metrics(c)["join_precision"] == 1.0


def test_a_wrong_join_costs_join_precision_only():
    page1 = grid_table(TEXTS, canonicals=CANON)
    other = grid_table(TEXTS, page=2, title="另一张表")
    wrongly = page1.model_copy(update={"cells": page1.cells + [c.model_copy(update={"row": c.row + 4})
                                                               for c in other.cells], "pages": [1, 2], "n_rows": 8})
    c = score_document(doc(page1, other, pages=2), doc(wrongly, pages=2), VOCAB)
    assert (c.multipage, c.joins_pred, c.joins_right) == (0, 1, 0)
    assert metrics(c)["join_precision"] == 0.0 and metrics(c)["multipage_joined"] is None


def test_amount_tokens_are_a_multiset():
    assert amount_tokens("合计 13,297.11 元，2019 年 0.50") == ["13297.11", "0.50"]
    assert multiset_overlap(["1.00", "1.00", "2.00"], ["1.00", "3.00"]) == 1
    pred = doc(grid_table([["a", "b"], ["1.00", "2.00"]]))
    c = score_tokens_only({1: ["1.00", "1.00", "5.00"]}, 1, pred)
    assert (c.tokens_truth, c.tokens_pred, c.tokens_matched) == (3, 2, 1)
    assert metrics(c)["amount_token_recall"] == pytest.approx(1 / 3)
    assert metrics(c)["table_recall"] is None


def test_teds_struct_known_distances():
    a = struct_rows(2, 3, [(0, 0, 1, 2)])
    assert a == [[(1, 2), (1, 1)], [(1, 1), (1, 1), (1, 1)]]
    assert teds_struct(a, a) == 1.0
    b = struct_rows(3, 3, [(0, 0, 1, 2)])
    assert tree_distance(a, b) == 4  # one row node + three cells
    assert teds_struct(a, []) == pytest.approx(1 - 7 / 8)


def test_counts_add_up():
    total = Counts(cells=2, cells_correct=1) + Counts(cells=3, cells_correct=3, teds_sum=0.5)
    assert (total.cells, total.cells_correct, total.teds_sum) == (5, 4, 0.5)
