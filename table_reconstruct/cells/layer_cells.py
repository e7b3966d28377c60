"""Cell text and caption lines from a trusted text layer, instead of OCR.

Characters come with boxes in points; each goes to the grid cell holding its
centre (found by bisecting the grid's rule positions, so a page costs
milliseconds), is grouped into lines by vertical overlap, and the lines go
through the same clean-up as OCR readings so both paths give the same text.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Sequence

from ocr.pages.pdfium_doc import LayerChar

from table_reconstruct.cells.cell_text import CellReading, reading_from_lines
from table_reconstruct.grid.geometry import Rect
from table_reconstruct.grid.grid import Grid
from table_reconstruct.tables.title import TextLine

# A gap wider than this share of the line height between two Latin letters is a word space.
WORD_GAP = 0.3
# Pieces of one printed row further apart than this many line heights are separate lines (as the detector splits them).
CAPTION_SPLIT_GAP = 2.0


def group_lines(chars: Sequence[LayerChar]) -> list[list[LayerChar]]:
    """Characters grouped into text lines, top to bottom, left to right.

    A character joins the line when its box's centre lies within half a character height of the
    line's mean centre (the smaller of its own height and the line's smallest). The line's band does
    not grow with each box: fonts of one cell differ in box height (重庆-19 p26: digits' boxes are
    twice the CJK line, punctuation's sit low), and a band grown by them reached into the next line,
    so a multi-line cell's lines interleaved into one.
    """
    lines: list[list[LayerChar]] = []
    centre_sum = least_height = 0.0
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        height = ch.y1 - ch.y0
        if lines and abs(ch.cy - centre_sum / len(lines[-1])) <= min(height, least_height) / 2:
            lines[-1].append(ch)
            centre_sum, least_height = centre_sum + ch.cy, min(least_height, height)
            continue
        lines.append([ch])
        centre_sum, least_height = ch.cy, height
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def line_text(line: Sequence[LayerChar]) -> str:
    """A line's characters, with a space only where a wide gap separates two Latin letters."""
    out = []
    for previous, ch in zip([None, *line], line):
        if previous is not None and previous.text.isascii() and previous.text.isalpha() \
                and ch.text.isascii() and ch.text.isalpha() \
                and ch.x0 - previous.x1 > WORD_GAP * (ch.y1 - ch.y0):
            out.append(" ")
        out.append(ch.text)
    return "".join(out)


def chars_by_cell(grid: Grid, chars: Sequence[LayerChar], points_per_pixel: float) -> list[list[LayerChar]]:
    """The characters of each grid cell (same order as ``grid.cells``), by the cell holding their centre."""
    rows = [y * points_per_pixel for y in grid.row_lines]
    cols = [x * points_per_pixel for x in grid.col_lines]
    owner = {}
    for index, cell in enumerate(grid.cells):
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                owner[(r, c)] = index
    inside: list[list[LayerChar]] = [[] for _ in grid.cells]
    for ch in chars:
        r, c = bisect_right(rows, ch.cy) - 1, bisect_right(cols, ch.cx) - 1
        if 0 <= r < grid.n_rows and 0 <= c < grid.n_cols:
            inside[owner[(r, c)]].append(ch)
    return inside


def layer_readings(grid: Grid, inside: Sequence[Sequence[LayerChar]], points_per_pixel: float) -> list[CellReading]:
    """One reading per grid cell from its characters (``chars_by_cell``)."""
    readings = []
    for cell, cell_chars in zip(grid.cells, inside):
        lines = group_lines(cell_chars)
        boxes = [_pixels(line, points_per_pixel) for line in lines]
        readings.append(reading_from_lines(cell, [line_text(line) for line in lines], [1.0] * len(lines), boxes))
    return readings


def caption_lines(chars: Sequence[LayerChar], area: Rect, points_per_pixel: float) -> list[TextLine]:
    """Text lines of the characters whose centre lies in ``area`` (page pixels), as the caption reader expects."""
    scale = 1.0 / points_per_pixel
    chosen = [ch for ch in chars if area.x0 <= ch.cx * scale < area.x1 and area.y0 <= ch.cy * scale < area.y1]
    lines = []
    for line in group_lines(chosen):
        for piece in _split_at_gaps(line):
            box = _pixels(piece, points_per_pixel)
            lines.append(TextLine(line_text(piece), box.x0, box.y0, box.x1, box.y1))
    return lines


def _split_at_gaps(line: list[LayerChar]) -> list[list[LayerChar]]:
    pieces = [[line[0]]]
    for previous, ch in zip(line, line[1:]):
        if ch.x0 - previous.x1 > CAPTION_SPLIT_GAP * max(ch.y1 - ch.y0, previous.y1 - previous.y0):
            pieces.append([])
        pieces[-1].append(ch)
    return pieces


def _pixels(chars: Sequence[LayerChar], points_per_pixel: float) -> Rect:
    scale = 1.0 / points_per_pixel
    return Rect(
        int(min(c.x0 for c in chars) * scale),
        int(min(c.y0 for c in chars) * scale),
        int(round(max(c.x1 for c in chars) * scale)),
        int(round(max(c.y1 for c in chars) * scale)),
    )
