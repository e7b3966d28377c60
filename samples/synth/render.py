"""Draw a laid-out page with PIL: ruled grid, wrapped cell texts, title and dept line.

Returns the clean grayscale image plus the ground-truth ``Table``; scan
degradation is a separate step (``degrade``) so truth never depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from table_reconstruct.model import Table

from samples.synth.fonts import FontSet
from samples.synth.layout import PageLayout, PlacedText, Style, layout_page
from samples.synth.spec import TableSpec
from samples.synth.truth import table_truth

_ANCHOR = {"left": "lm", "center": "mm", "right": "rm"}


@dataclass(frozen=True)
class Rules:
    """How the grid lines look: width in px at 200 DPI, gray level, and breaks.

    ``gaps_per_inch`` short white gaps are cut into every rule (a broken,
    badly photocopied grid); ``seed`` makes their places reproducible.
    """

    width_px: int = 2
    gray: int = 0
    gaps_per_inch: float = 0.0
    seed: int = 0

    def at_dpi(self, dpi: int) -> int:
        return max(1, round(self.width_px * dpi / 200))


@dataclass
class RenderedPage:
    image: Image.Image
    layout: PageLayout
    table: Table


def _hline(draw: ImageDraw.ImageDraw, x0: int, x1: int, y: int, px: int, fill: int = 0) -> None:
    draw.rectangle((x0 - px // 2, y - px // 2, x1 + (px - 1) // 2, y + (px - 1) // 2), fill=fill)


def _vline(draw: ImageDraw.ImageDraw, x: int, y0: int, y1: int, px: int, fill: int = 0) -> None:
    draw.rectangle((x - px // 2, y0 - px // 2, x + (px - 1) // 2, y1 + (px - 1) // 2), fill=fill)


def _cut_gaps(draw: ImageDraw.ImageDraw, layout: PageLayout, s: float, px: int, rules: Rules) -> None:
    """Erase short stretches of every grid line (before text is drawn, so glyphs stay whole)."""
    rng = np.random.default_rng(rules.seed)
    x0, y0, x1, y1 = (round(v * s) for v in layout.table_rect)
    inches = lambda a, b: (b - a) / (s * 72)  # noqa: E731
    half = px // 2 + 1
    for y in (round(v * s) for v in layout.row_y):
        for _ in range(rng.poisson(rules.gaps_per_inch * inches(x0, x1))):
            gx, glen = int(rng.integers(x0, x1)), int(rng.integers(2, 8))
            draw.rectangle((gx, y - half, gx + glen, y + half), fill=255)
    for x in (round(v * s) for v in layout.col_x):
        for _ in range(rng.poisson(rules.gaps_per_inch * inches(y0, y1))):
            gy, glen = int(rng.integers(y0, y1)), int(rng.integers(2, 8))
            draw.rectangle((x - half, gy, x + half, gy + glen), fill=255)


def _text(draw: ImageDraw.ImageDraw, item: PlacedText, scale: float, fonts: FontSet, ink: int) -> None:
    font = fonts.pil(round(item.size * scale), item.bold)
    draw.text((item.x * scale, item.y * scale), item.text, font=font, fill=ink, anchor=_ANCHOR[item.align])


def draw_page(layout: PageLayout, dpi: int, fonts: FontSet, line_px: int = 2, ink: int = 0,
              rules: Rules | None = None) -> Image.Image:
    """Rasterize ``layout`` at ``dpi``; every cell outline is drawn, merged cells have no inner lines.

    ``rules`` (thin/thick/faint/broken grid) overrides ``line_px``.
    """
    s = dpi / 72
    px, gray = (rules.at_dpi(dpi), rules.gray) if rules else (line_px, 0)
    image = Image.new("L", (round(layout.width * s), round(layout.height * s)), 255)
    draw = ImageDraw.Draw(image)
    for box in layout.cells:
        x0, y0, x1, y1 = (round(v * s) for v in box.rect)
        _hline(draw, x0, x1, y0, px, gray)
        _hline(draw, x0, x1, y1, px, gray)
        _vline(draw, x0, y0, y1, px, gray)
        _vline(draw, x1, y0, y1, px, gray)
    if rules and rules.gaps_per_inch:
        _cut_gaps(draw, layout, s, px, rules)
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
