"""Draw a laid-out page with PIL: ruled grid, wrapped cell texts, title and dept line.

Returns the clean grayscale image plus the ground-truth ``Table``; scan
degradation is a separate step (``degrade``) so truth never depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from table_reconstruct.model import Table

from .fonts import FontSet
from .layout import PageLayout, PlacedText, Style, layout_page
from .spec import TableSpec
from .truth import table_truth

_ANCHOR = {"left": "lm", "center": "mm", "right": "rm"}


@dataclass
class RenderedPage:
    image: Image.Image
    layout: PageLayout
    table: Table


def _hline(draw: ImageDraw.ImageDraw, x0: int, x1: int, y: int, px: int) -> None:
    draw.rectangle((x0 - px // 2, y - px // 2, x1 + (px - 1) // 2, y + (px - 1) // 2), fill=0)


def _vline(draw: ImageDraw.ImageDraw, x: int, y0: int, y1: int, px: int) -> None:
    draw.rectangle((x - px // 2, y0 - px // 2, x + (px - 1) // 2, y1 + (px - 1) // 2), fill=0)


def _text(draw: ImageDraw.ImageDraw, item: PlacedText, scale: float, fonts: FontSet, ink: int) -> None:
    font = fonts.pil(round(item.size * scale), item.bold)
    draw.text((item.x * scale, item.y * scale), item.text, font=font, fill=ink, anchor=_ANCHOR[item.align])


def draw_page(layout: PageLayout, dpi: int, fonts: FontSet, line_px: int = 2, ink: int = 0) -> Image.Image:
    """Rasterize ``layout`` at ``dpi``; every cell outline is drawn, merged cells have no inner lines."""
    s = dpi / 72
    image = Image.new("L", (round(layout.width * s), round(layout.height * s)), 255)
    draw = ImageDraw.Draw(image)
    for box in layout.cells:
        x0, y0, x1, y1 = (round(v * s) for v in box.rect)
        _hline(draw, x0, x1, y0, line_px)
        _hline(draw, x0, x1, y1, line_px)
        _vline(draw, x0, y0, y1, line_px)
        _vline(draw, x1, y0, y1, line_px)
    for item in layout.texts:
        _text(draw, item, s, fonts, ink)
    for box in layout.cells:
        for line in box.lines:
            _text(draw, line, s, fonts, ink)
    return image


def render_page(spec: TableSpec, page: int, dpi: int = 200, fonts: FontSet | None = None,
                style: Style = Style()) -> RenderedPage:
    """Lay out and draw ``spec`` as page number ``page`` (1-based) with its truth table."""
    fonts = fonts or FontSet()
    layout = layout_page(spec, fonts.measure, dpi, style)
    return RenderedPage(draw_page(layout, dpi, fonts), layout, table_truth(spec, layout, page))
