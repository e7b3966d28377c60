"""A faint rule ends on rules: a glyph's upright stroke in line with a column rule is no rule into the cell.

The synthetic full corpus's noisy scans (doc00, doc03 page 1) lost a merged
header cell this way: a character of the header (算, 出) printed with its
upright stroke right above the column rule that starts on the header's
bottom rule; the faint-rule search's averaging bridged the hair between the
stroke's foot and the rule, and the column rule ran on into the header cell.
Drawn here with OpenCV, blurred and noised like such a scan.
"""

from __future__ import annotations

import cv2
import numpy as np

from table_reconstruct.grid.grid import build_grid
from table_reconstruct.grid.lines import extract_lines, find_table_regions

DPI = 200
XS = [100, 400, 700]  # the middle column rule starts on the header's bottom rule
YS = [100, 160, 220, 280, 340]


def header_over_two_columns(seed: int = 3) -> np.ndarray:
    """A header cell across both columns, a 十-like glyph's upright stroke in line with the column rule below."""
    page = np.full((440, 800), 215, np.uint8)
    for y in YS:
        cv2.line(page, (XS[0], y), (XS[-1], y), 120, 2)
    for x in (XS[0], XS[-1]):
        cv2.line(page, (x, YS[0]), (x, YS[-1]), 120, 2)
    cv2.line(page, (XS[1], YS[1]), (XS[1], YS[-1]), 120, 2)
    x, foot = XS[1], YS[1] - 12  # the stroke stops a hair above the header's bottom rule
    cv2.line(page, (x, YS[0] + 22), (x, foot), 100, 3)
    cv2.line(page, (x - 14, YS[0] + 32), (x + 14, YS[0] + 32), 100, 3)
    for left in (XS[0] + 60, XS[1] + 60):
        cv2.putText(page, "TOTAL", (left, YS[1] - 18), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 90, 2)
    page = cv2.GaussianBlur(page, (0, 0), 1.4)
    rng = np.random.default_rng(seed)
    return np.clip(page + rng.normal(0, 6, page.shape), 0, 255).astype(np.uint8)


def test_a_glyph_stroke_in_line_with_a_column_rule_does_not_split_the_header_cell():
    masks = extract_lines(header_over_two_columns(), DPI, faint=True)
    grids = [g for g in (build_grid(r, DPI) for r in find_table_regions(masks, DPI)) if g is not None]
    assert len(grids) == 1
    grid = grids[0]
    assert (grid.n_rows, grid.n_cols) == (4, 2)
    spans = {(c.row, c.col, c.rowspan, c.colspan) for c in grid.cells}
    assert (0, 0, 1, 2) in spans  # the header spans both columns
    assert {(r, 0, 1, 1) for r in range(1, 4)} <= spans  # the body rows are still split by the column rule
