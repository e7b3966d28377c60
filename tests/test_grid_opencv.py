"""Grid reconstruction on images drawn here with OpenCV: spans, faint, thick and broken rules."""

from __future__ import annotations

import cv2
import numpy as np

from table_reconstruct.grid.grid import build_grid
from table_reconstruct.grid.lines import extract_lines, find_table_regions

DPI = 200
XS = [100, 300, 500, 700, 900]
YS = [100, 160, 220, 280, 340]


def draw_table(thick_row: int | None = None, faint_col: int | None = None, broken_row: int | None = None) -> np.ndarray:
    """A 4x4 grid whose top-left header cell spans 2 rows and next header spans 3 columns."""
    page = np.full((500, 1000), 255, np.uint8)
    for k, y in enumerate(YS):
        thickness = 5 if k == thick_row else 2
        if k == 1:  # below the header's first row: only under the single cells, not the spanning one
            cv2.line(page, (XS[1], y), (XS[-1], y), 0, thickness)
            continue
        if k == broken_row:
            for x in range(XS[0], XS[-1], 24):
                cv2.line(page, (x, y), (min(x + 20, XS[-1]), y), 0, thickness)
            continue
        cv2.line(page, (XS[0], y), (XS[-1], y), 0, thickness)
    for k, x in enumerate(XS):
        colour = 170 if k == faint_col else 0
        if k in (2, 3):  # the second header cell spans columns 1-3 in row 0
            cv2.line(page, (x, YS[1]), (x, YS[-1]), colour, 2)
            continue
        cv2.line(page, (x, YS[0]), (x, YS[-1]), colour, 2)
    # A long text-like stroke inside a cell must not become a rule.
    cv2.line(page, (520, 310), (560, 310), 0, 3)
    return page


def grid_of(page: np.ndarray):
    masks = extract_lines(page, DPI)
    regions = find_table_regions(masks, DPI)
    assert len(regions) == 1
    return build_grid(regions[0], DPI)


def spans(grid) -> set[tuple[int, int, int, int]]:
    return {(c.row, c.col, c.rowspan, c.colspan) for c in grid.cells}


def test_merged_header_cells_come_from_missing_edges():
    grid = grid_of(draw_table())
    assert (grid.n_rows, grid.n_cols) == (4, 4)
    assert {(0, 0, 2, 1), (0, 1, 1, 3)} <= spans(grid)
    assert len(grid.cells) == 16 - 1 - 2


def test_thick_faint_and_broken_rules_still_separate_cells():
    grid = grid_of(draw_table(thick_row=2, faint_col=4, broken_row=3))
    assert (grid.n_rows, grid.n_cols) == (4, 4)
    assert {(0, 0, 2, 1), (0, 1, 1, 3), (3, 3, 1, 1), (2, 1, 1, 1)} <= spans(grid)


def test_cell_boxes_follow_the_drawn_lines():
    grid = grid_of(draw_table())
    cell = next(c for c in grid.cells if (c.row, c.col) == (2, 2))
    assert abs(cell.rect.x0 - XS[2]) <= 2 and abs(cell.rect.x1 - XS[3]) <= 2
    assert abs(cell.rect.y0 - YS[2]) <= 2 and abs(cell.rect.y1 - YS[3]) <= 2


def test_a_page_without_rules_has_no_table():
    page = np.full((500, 1000), 255, np.uint8)
    cv2.putText(page, "narrative text only", (50, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
    assert find_table_regions(extract_lines(page, DPI), DPI) == []


def test_rule_coverage_equals_edge_coverage_for_every_stretch():
    from table_reconstruct.grid.grid import RuleCoverage, edge_coverage

    rng = np.random.default_rng(3)
    mask = np.where(rng.random((60, 80)) < 0.3, 255, 0).astype(np.uint8)
    for horizontal in (True, False):
        coverage = RuleCoverage(mask, horizontal, band=2)
        for position in (-5, 0, 7, 59, 79, 90):
            for start, end in ((0, 80), (3, 17), (10, 10), (12, 5), (70, 200), (85, 95), (-3, 10)):
                assert coverage(position, start, end) == edge_coverage(mask, horizontal, position, start, end, 2)


def test_a_stroke_beside_a_rule_does_not_merge_the_block_below():
    """A leftover stroke (painted-out text's anti-aliased bottoms) a few pixels above a row rule, under
    one column only: the sliver it makes between the two holds no text and must not merge cells."""
    page = draw_table()
    cv2.line(page, (XS[0] + 20, YS[3] - 9), (XS[1] - 20, YS[3] - 9), 0, 2)
    grid = grid_of(page)
    assert (grid.n_rows, grid.n_cols) == (4, 4)
    assert len(grid.cells) == 16 - 1 - 2
    assert all(c.rowspan * c.colspan <= 3 for c in grid.cells)


def test_a_double_rule_is_one_separator():
    page = draw_table()
    cv2.line(page, (XS[0], YS[2] + 8), (XS[-1], YS[2] + 8), 0, 2)
    grid = grid_of(page)
    assert (grid.n_rows, grid.n_cols) == (4, 4) and len(grid.cells) == 16 - 1 - 2
