"""Grids whose rules are hard to see: doubled, badly broken, stamped over, or missing a side.

Drawn here with OpenCV at 200 DPI; the real line extraction and grid code must
still give the 5×4 grid with the right cell boxes.
"""

from __future__ import annotations

import cv2
import numpy as np

from table_reconstruct.grid.grid import build_grid
from table_reconstruct.grid.lines import extract_lines, find_table_regions

DPI = 200
XS = [100, 320, 540, 760, 980]
YS = [100, 170, 240, 310, 380, 450]


def blank() -> np.ndarray:
    return np.full((560, 1100), 255, np.uint8)


def draw_grid(page: np.ndarray, xs=XS, ys=YS, x_span=None, y_span=None, thickness: int = 2) -> np.ndarray:
    x0, x1 = x_span or (xs[0], xs[-1])
    y0, y1 = y_span or (ys[0], ys[-1])
    for y in ys:
        cv2.line(page, (x0, y), (x1, y), 0, thickness)
    for x in xs:
        cv2.line(page, (x, y0), (x, y1), 0, thickness)
    return page


def grids(page: np.ndarray):
    masks = extract_lines(page, DPI)
    return [g for g in (build_grid(r, DPI) for r in find_table_regions(masks, DPI)) if g is not None]


def the_grid(page: np.ndarray):
    found = grids(page)
    assert len(found) == 1
    return found[0]


def near(values, expected, tolerance: int = 4) -> bool:
    return len(values) == len(expected) and all(abs(a - b) <= tolerance for a, b in zip(values, expected))


def test_doubled_rules_count_once():
    page = draw_grid(blank())
    for y in (YS[0] - 5, YS[-1] + 5):  # a double outer frame, as many printed forms have
        cv2.line(page, (XS[0] - 5, y), (XS[-1] + 5, y), 0, 2)
    for x in (XS[0] - 5, XS[-1] + 5):
        cv2.line(page, (x, YS[0] - 5), (x, YS[-1] + 5), 0, 2)
    grid = the_grid(page)
    assert (grid.n_rows, grid.n_cols) == (5, 4)
    assert len(grid.cells) == 20


def test_badly_broken_rules_still_make_one_table():
    page = draw_grid(blank())
    rng = np.random.default_rng(3)
    for y in YS:  # 4-12 px breaks, about three an inch along every rule (twice the corpus's worst)
        for x in rng.integers(XS[0], XS[-1], 13):
            page[y - 2 : y + 3, x : x + int(rng.integers(4, 13))] = 255
    for x in XS:
        for y in rng.integers(YS[0], YS[-1], 5):
            page[y : y + int(rng.integers(4, 13)), x - 2 : x + 3] = 255
    grid = the_grid(page)
    assert (grid.n_rows, grid.n_cols) == (5, 4)
    assert near(grid.row_lines, YS) and near(grid.col_lines, XS)
    assert len(grid.cells) == 20


def test_a_stamp_over_the_rules_adds_no_separator():
    page = draw_grid(blank())
    cv2.circle(page, (640, 270), 95, 60, 4)  # an official seal's ring over two columns and three rows
    cv2.putText(page, "SEAL", (585, 285), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 60, 3)
    grid = the_grid(page)
    assert (grid.n_rows, grid.n_cols) == (5, 4)
    assert len(grid.cells) == 20


def test_open_left_and_right_sides_are_closed_where_the_rules_end():
    page = draw_grid(blank(), xs=XS[1:-1], x_span=(XS[0], XS[-1]))
    grid = the_grid(page)
    assert (grid.n_rows, grid.n_cols) == (5, 4)
    assert near(grid.col_lines, XS)


def test_open_top_is_closed_where_the_column_rules_start():
    page = draw_grid(blank(), ys=YS[1:], y_span=(YS[0], YS[-1]))
    grid = the_grid(page)
    assert (grid.n_rows, grid.n_cols) == (5, 4)
    assert near(grid.row_lines, YS)


def test_short_overhangs_do_not_invent_a_column():
    page = draw_grid(blank(), x_span=(XS[0] - 12, XS[-1] + 12))  # rules overshoot the frame a little
    grid = the_grid(page)
    assert (grid.n_rows, grid.n_cols) == (5, 4)


def test_a_yi_flush_against_a_cell_rule_is_text_but_a_short_header_rule_is_a_rule():
    """一 printed right beside a cell's left rule meets it at one end only; a header's short rule meets two."""
    page = draw_grid(blank())
    cv2.line(page, (XS[1], 135), (XS[2], 135), 0, 2)      # a short rule splitting one header cell
    yi = (YS[2] + 35, XS[0] + 3)                            # row 2, flush against the left rule
    page[yi[0] : yi[0] + 3, yi[1] : yi[1] + 32] = 0         # a 一 stroke (~0.16 in at 200 DPI)
    masks = extract_lines(page, DPI)
    assert not masks.horizontal[yi[0] : yi[0] + 3, yi[1] + 6 : yi[1] + 32].any()
    assert masks.horizontal[135, XS[1] + 10 : XS[2] - 10].all()
