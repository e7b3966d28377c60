"""Pure geometry: where the title, dept line, grid lines and cell texts go, in points.

Everything here is in PDF points (1/72 in) from the page's top-left corner so
the PIL renderer, the reportlab writer and the truth all share one layout.
Text width comes from an injected ``Measure`` so the module stays font-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Literal

from samples.synth.spec import Align, GridCell, Orientation, TableSpec

Measure = Callable[[str, float, bool], float]
"""(text, font size in pt, bold) -> advance width in pt."""

A4_PT = (595.276, 841.89)
Rect = tuple[float, float, float, float]


def page_size_pt(orientation: Orientation, dpi: int) -> tuple[float, float]:
    """A4 snapped to whole pixels at ``dpi``, so image and PDF page agree exactly."""
    w, h = A4_PT if orientation == "portrait" else (A4_PT[1], A4_PT[0])
    return round(w * dpi / 72) * 72 / dpi, round(h * dpi / 72) * 72 / dpi


@dataclass(frozen=True)
class Style:
    """Typographic knobs; defaults give ~29 px body text at 200 DPI."""

    margin_x: float = 36.0
    margin_top: float = 42.0
    title_size: float = 16.0
    text_size: float = 10.5
    line_spacing: float = 1.3
    pad_x: float = 4.0
    pad_y: float = 4.0
    gap_title: float = 14.0
    gap_dept: float = 6.0


@dataclass(frozen=True)
class PlacedText:
    """One line of text: ``x`` is its left/centre/right edge per ``align``, ``y`` its vertical centre."""

    text: str
    x: float
    y: float
    align: Align
    size: float
    bold: bool = False


@dataclass(frozen=True)
class CellBox:
    """A grid cell with its rectangle and the wrapped lines drawn inside it."""

    cell: GridCell
    rect: Rect
    lines: tuple[PlacedText, ...]


@dataclass(frozen=True)
class PageLayout:
    """A whole page: size, free texts (title, dept, unit), grid edges and cells."""

    width: float
    height: float
    texts: tuple[PlacedText, ...]
    col_x: tuple[float, ...]
    row_y: tuple[float, ...]
    cells: tuple[CellBox, ...]

    @property
    def table_rect(self) -> Rect:
        return self.col_x[0], self.row_y[0], self.col_x[-1], self.row_y[-1]


_TOKEN = re.compile(r"[A-Za-z0-9.,%\-]+|\s+|.[）)，,。、：；:]*")


def wrap_text(text: str, width: float, size: float, measure: Measure, bold: bool = False) -> list[str]:
    """Greedy wrap for CJK: break between characters, keep number runs whole,
    never start a line with closing punctuation; trims spaces at line ends."""
    if not text:
        return []
    lines: list[str] = []
    current = ""
    for token in _TOKEN.findall(text):
        candidate = current + token
        if current and measure(candidate.rstrip(), size, bold) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
        while current and measure(current, size, bold) > width and len(current) > 1:
            cut = len(current) - 1  # a single over-long token: split by characters
            while cut > 1 and measure(current[:cut], size, bold) > width:
                cut -= 1
            lines.append(current[:cut].rstrip())
            current = current[cut:].lstrip()
    if current.strip():
        lines.append(current.strip())
    return lines


def column_widths(spec: TableSpec, table_width: float) -> list[float]:
    """Split the table width over leaf columns by their weights."""
    total = sum(c.weight for c in spec.columns)
    return [table_width * c.weight / total for c in spec.columns]


def _block_height(n_lines: int, style: Style) -> float:
    return max(n_lines, 1) * style.text_size * style.line_spacing + 2 * style.pad_y


def row_heights(spec: TableSpec, widths: list[float], measure: Measure, style: Style) -> list[float]:
    """Rows grow to fit their wrapped text; a spanning cell stretches its last row."""
    heights = [_block_height(1, style)] * spec.n_rows
    cells = sorted(spec.grid_cells(), key=lambda c: c.rowspan)
    for cell in cells:
        inner = sum(widths[cell.col:cell.col + cell.colspan]) - 2 * style.pad_x
        need = _block_height(len(wrap_text(cell.drawn, inner, style.text_size, measure)), style)
        have = sum(heights[cell.row:cell.row + cell.rowspan])
        if need > have:
            last = cell.row + cell.rowspan - 1
            heights[last] += need - have
    return heights


def _edges(start: float, sizes: list[float]) -> tuple[float, ...]:
    edges = [start]
    for s in sizes:
        edges.append(edges[-1] + s)
    return tuple(edges)


def _place_lines(lines: list[str], rect: Rect, align: Align, style: Style) -> tuple[PlacedText, ...]:
    x0, y0, x1, y1 = rect
    step = style.text_size * style.line_spacing
    top = (y0 + y1) / 2 - step * len(lines) / 2
    x = {"left": x0 + style.pad_x, "center": (x0 + x1) / 2, "right": x1 - style.pad_x}[align]
    return tuple(PlacedText(t, x, top + step * (i + 0.5), align, style.text_size) for i, t in enumerate(lines))


def _captions(spec: TableSpec, width: float, style: Style) -> tuple[tuple[PlacedText, ...], float]:
    """Title, dept and unit lines, and the y where the grid starts below them."""
    title_y = style.margin_top + style.title_size / 2
    dept_y = title_y + style.title_size / 2 + style.gap_title + style.text_size / 2
    left, right = style.margin_x, width - style.margin_x
    texts = (
        PlacedText(spec.title, width / 2, title_y, "center", style.title_size, bold=True),
        PlacedText(f"部门名称：{spec.dept_name}", left, dept_y, "left", style.text_size),
        PlacedText(f"单位：{spec.unit}", right, dept_y, "right", style.text_size),
    )
    return texts, dept_y + style.text_size / 2 + style.gap_dept


def _page_breaks(spec: TableSpec, heights: list[float], top: float, bottom: float, style: Style) -> list[int]:
    """First row of every page: body rows that do not fit go on, header rows never split."""
    starts, y = [0], top
    for row, h in enumerate(heights):
        if y + h > bottom and row > max(starts[-1], spec.header_rows - 1):
            starts.append(row)
            y = style.margin_top
        y += h
    return starts


def layout_pages(spec: TableSpec, measure: Measure, dpi: int = 200, style: Style = Style()) -> list[PageLayout]:
    """Lay out ``spec`` on as many A4 pages as its rows need.

    The first page has the captions and the header; continuation pages carry
    only body rows from the top margin on (no repeated header), as many
    Excel-printed disclosures do. Row indices stay those of the whole table.
    """
    width, height = page_size_pt(spec.orientation, dpi)
    texts, top = _captions(spec, width, style)
    widths = column_widths(spec, width - 2 * style.margin_x)
    heights = row_heights(spec, widths, measure, style)
    col_x = _edges(style.margin_x, widths)
    bottom = height - style.margin_x / 2
    starts = _page_breaks(spec, heights, top, bottom, style)
    ends = starts[1:] + [spec.n_rows]
    cells = list(spec.grid_cells())
    pages = []
    for index, (first, end) in enumerate(zip(starts, ends)):
        row_y = _edges(top if index == 0 else style.margin_top, heights[first:end])
        if row_y[-1] > bottom:
            raise ValueError(f"table {spec.title!r}: rows {first}-{end - 1} do not fit on one page "
                             f"({row_y[-1]:.0f} > {height:.0f} pt)")
        boxes = []
        for cell in cells:
            if not first <= cell.row < end:
                continue
            if cell.row + cell.rowspan > end:
                raise ValueError(f"table {spec.title!r}: cell {cell.row},{cell.col} would split over a page break")
            rect = (col_x[cell.col], row_y[cell.row - first], col_x[cell.col + cell.colspan],
                    row_y[cell.row - first + cell.rowspan])
            lines = wrap_text(cell.drawn, rect[2] - rect[0] - 2 * style.pad_x, style.text_size, measure)
            boxes.append(CellBox(cell, rect, _place_lines(lines, rect, cell.align, style)))
        pages.append(PageLayout(width, height, texts if index == 0 else (), col_x, row_y, tuple(boxes)))
    return pages


def layout_page(spec: TableSpec, measure: Measure, dpi: int = 200, style: Style = Style()) -> PageLayout:
    """Lay out title, dept/unit line and the ruled grid of ``spec`` on one A4 page."""
    pages = layout_pages(spec, measure, dpi, style)
    if len(pages) > 1:
        raise ValueError(f"table {spec.title!r} does not fit on one page ({len(pages)} pages needed)")
    return pages[0]
