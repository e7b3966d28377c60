"""The real track's truth and scoring: rules to cells, cells to outcomes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from samples.bench.real_layer import document_truth
from samples.bench.real_score import cell_at, reads_right, score_page, tally
from samples.bench.real_truth import (
    TruthCell,
    cell_kind,
    enclosing_box,
    merge_segments,
    normalize,
    number_value,
    scored_cells,
    truth_cells,
)
from samples.synth.skew import rotate_point
from table_reconstruct.model import Cell

SMOKE = Path(__file__).resolve().parents[1] / "samples" / "corpus" / "smoke"

# A 2×2 grid: rules at x = 10, 60, 110 and y = 10, 30, 50; the middle vertical drawn in two strokes,
# the top rule as a thin rectangle's two edges.
HORIZONTALS = [(10.0, 10.0, 110.0), (10.4, 10.0, 110.0), (30.0, 10.0, 110.0), (50.0, 10.0, 110.0)]
VERTICALS = [(10.0, 10.0, 50.0), (60.0, 10.0, 30.0), (60.0, 30.0, 50.0), (110.0, 10.0, 50.0)]


def _chars(text: str, x: float, y: float, w: float = 5.0, h: float = 8.0):
    return [(x + i * w, y, x + (i + 1) * w, y + h, ch) for i, ch in enumerate(text)]


def test_merge_segments_joins_strokes_and_thin_rectangles_but_keeps_distinct_rules():
    assert merge_segments(HORIZONTALS) == [(10.0, 10.0, 110.0), (30.0, 10.0, 110.0), (50.0, 10.0, 110.0)]
    assert merge_segments(VERTICALS) == [(10.0, 10.0, 50.0), (60.0, 10.0, 50.0), (110.0, 10.0, 50.0)]
    # Two collinear pieces far apart stay two rules.
    assert len(merge_segments([(5.0, 0.0, 10.0), (5.0, 40.0, 50.0)])) == 2


def test_truth_cells_group_characters_by_their_four_rules_in_reading_order():
    h, v = merge_segments(HORIZONTALS), merge_segments(VERTICALS)
    chars = (_chars("工资福利", 15, 14) + _chars("支出", 15, 22)    # a name wrapped onto two lines
             + _chars("1,234", 70, 15) + _chars("0", 100, 35)
             + _chars("单位：万元", 10, 0))                         # above the table: not a cell
    cells = truth_cells(3, chars, h, v)
    assert [(c.bbox, c.text, c.kind) for c in cells] == [
        ((10.0, 10.0, 60.0, 30.0), "工资福利支出", "name"),
        ((60.0, 10.0, 110.0, 30.0), "1,234", "number"),
        ((60.0, 30.0, 110.0, 50.0), "0", "number"),
    ]
    assert enclosing_box(5.0, 20.0, h, v) is None  # left of the table: open on one side
    assert all(c.page == 3 for c in cells)


def test_cell_kinds_and_number_values_count_zeros_integers_and_codes():
    assert [cell_kind(t) for t in ("0", "189,767,551", "-12.50", "2080505", "一般公共服务支出", "-", "")] == \
        ["number", "number", "number", "number", "name", None, None]
    assert cell_kind("O") is None and cell_kind("1,23") is None  # a letter O or a broken group is no number
    assert number_value("189,767,551") == number_value("189767551")
    assert number_value("03") != number_value("3")
    assert number_value("5.50") == number_value("5.5")
    assert normalize(" 机关 事业（单位） ") == "机关事业(单位)"


def test_scored_cells_are_numbers_and_the_names_of_rows_with_numbers():
    header = TruthCell(1, (10.0, 10.0, 60.0, 30.0), "科目名称")
    wrapped = TruthCell(1, (10.0, 30.0, 60.0, 70.0), "机关事业单位基本养老保险缴费支出")
    amount = TruthCell(1, (60.0, 30.0, 110.0, 50.0), "0")
    note = TruthCell(1, (10.0, 90.0, 110.0, 110.0), "注：本表无数据")
    assert scored_cells([header, wrapped, amount, note]) == [wrapped, amount]


def test_reads_right_catches_the_misreadings_of_issue_15():
    number = TruthCell(1, (0, 0, 10, 10), "189,767,551")
    assert reads_right(number, "189767551")
    assert not reads_right(number, "189767.551")
    zero = TruthCell(1, (0, 0, 10, 10), "0")
    assert reads_right(zero, "0") and not reads_right(zero, "O") and not reads_right(zero, "")
    assert not reads_right(TruthCell(1, (0, 0, 10, 10), "1184.95"), "184.95")
    name = TruthCell(1, (0, 0, 10, 10), "一般行政管理事务")
    assert reads_right(name, "一般行政 管理事务") and not reads_right(name, "般行政管理事务")
    assert not reads_right(name, None)


def test_score_page_finds_cells_by_centre_even_on_a_skewed_scan():
    truth = [TruthCell(1, (100.0, 100.0, 160.0, 120.0), "12.50"), TruthCell(1, (160.0, 100.0, 260.0, 120.0), "差旅费"),
             TruthCell(1, (260.0, 100.0, 300.0, 120.0), "-")]
    size, angle = (600.0, 800.0), 0.8

    def moved(box, text, row, col):
        cx, cy = rotate_point((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, angle, size[0] / 2, size[1] / 2)
        return Cell(row=row, col=col, text=text, page=1, bbox=(cx - 3, cy - 1.5, cx + 3, cy + 1.5))

    predicted = [moved(truth[0].bbox, "12.5", 1, 0), moved(truth[1].bbox, "差旅赞", 1, 1),
                 Cell(row=0, col=0, colspan=3, text="项目", page=1, bbox=(0.0, 0.0, 600.0, 800.0))]
    outcomes = score_page(truth, predicted, angle, size, flagged=frozenset({(1, 1, 1)}))
    assert [(o.kind, o.right, o.flagged) for o in outcomes] == [("number", True, False), ("name", False, True)]
    # Without following the skew, the truth centres miss the small cells and land in the page-wide one.
    assert [o.predicted for o in score_page(truth, predicted)] == ["项目", "项目"]
    assert tally(outcomes) == {"number": {"cells": 1, "right": 1, "wrong_flagged": 0},
                               "name": {"cells": 1, "right": 0, "wrong_flagged": 1}}
    assert cell_at(predicted, 700.0, 10.0) is None


@pytest.mark.skipif(not (SMOKE / "doc02.born-digital.pdf").exists(), reason="needs the committed smoke corpus")
def test_truth_from_rules_and_text_layer_equals_the_synthetic_truth_grid():
    """On a born-digital PDF the project renders itself, rules + text layer give back its cell truth."""
    expected = json.loads((SMOKE / "doc02.born-digital.truth.json").read_text(encoding="utf-8"))
    got = document_truth(SMOKE / "doc02.born-digital.pdf")
    found = [(c.page, c.bbox, normalize(c.text)) for cells, _ in got.values() for c in cells]
    want = [(cell.get("page", table["pages"][0]), cell["bbox"], normalize(cell["text"]))
            for table in expected["tables"] for cell in table["cells"] if cell.get("text", "").strip()]
    assert len(want) > 50 and len(found) == len(want)

    def same(a, b):
        return a[0] == b[0] and a[2] == b[2] and all(abs(u - v) < 0.3 for u, v in zip(a[1], b[1]))

    assert all(any(same(f, w) for f in found) for w in want)
