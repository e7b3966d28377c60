"""One page from its text layer: grid from a low-resolution render, text from the layer, no OCR pass.

The grid comes from the same ruling-line code as the OCR path (so both give
the same structure), run on a 100-DPI pdfium render, which costs a few
milliseconds. Cell and caption text come from the layer's characters. Before
the page is accepted, a few sampled cells are rendered at the OCR resolution
and recognized; if any disagrees with the layer, the page goes to OCR.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from ocr.engines.base import OcrEngine
from ocr.pdfium_doc import PageLayer, PdfiumDocument
from ocr.text_layer_trust import Verdict, agreement_verdict, layer_verdict

from .assemble import assemble_table
from .cell_text import CellReading, TextPage, read_cells
from .geometry import Rect
from .grid import GridCell
from .header_mapping import Vocabulary
from .layer_cells import caption_lines, layer_readings
from .lines import binarize
from .model import Table
from .reconstruct import CAPTION_REACH_INCHES, find_grids
from .title import read_caption

# Rules of born-digital pages are crisp: with the text painted out, 100 DPI finds them as well
# as 200 does, at a quarter of the pixels.
GRID_DPI = 100.0
# Cells OCR'd to check a layer: enough to catch a wrong font map, few enough to stay cheap.
SAMPLED_CELLS = 3


@dataclass(frozen=True)
class LayerPage:
    verdict: Verdict
    tables: list[Table]


def reconstruct_from_layer(
    doc: PdfiumDocument, number: int, engine: OcrEngine, ocr_dpi: float, vocabulary: Vocabulary | None = None
) -> LayerPage:
    """The page's tables from its text layer, or an untrusted verdict saying why OCR is needed."""
    layer = doc.text_layer(number)
    verdict = layer_verdict(layer)
    if not verdict.trusted:
        return LayerPage(verdict, [])
    page = doc.render(number, GRID_DPI)
    grids, _, _ = find_grids(replace(page, image=without_text(page.image, layer, page.points_per_pixel)))
    readings = [layer_readings(grid, layer.chars, page.points_per_pixel) for grid in grids]
    samples = sample_cells([r for table in readings for r in table], SAMPLED_CELLS)
    ocr_texts = read_sampled(doc, number, samples, page.points_per_pixel, ocr_dpi, engine)
    if samples:
        verdict = agreement_verdict([(r.text, text) for r, text in zip(samples, ocr_texts)])
        if not verdict.trusted:
            return LayerPage(verdict, [])
    tables, previous_bottom = [], 0
    for grid, grid_readings in zip(grids, readings):
        top = max(previous_bottom, grid.rect.y0 - int(CAPTION_REACH_INCHES * page.dpi))
        area = Rect(0, top, page.image.shape[1], max(top, grid.rect.y0 - 2))
        caption = read_caption(caption_lines(layer.chars, area, page.points_per_pixel))
        tables.append(assemble_table(grid, grid_readings, caption, number, page.points_per_pixel, vocabulary))
        previous_bottom = grid.rect.y1
    return LayerPage(verdict, tables)


def without_text(image: np.ndarray, layer: PageLayer, points_per_pixel: float) -> np.ndarray:
    """The render with every glyph's ink box painted white: bold title strokes are not rules."""
    clean = image.copy()
    if not layer.chars:
        return clean
    boxes = np.rint(np.array([ch.ink for ch in layer.chars]) / points_per_pixel).astype(int).clip(min=0).tolist()
    for x0, y0, x1, y1 in boxes:
        clean[y0 : y1 + 1, x0 : x1 + 1] = 255
    return clean


def sample_cells(readings: Sequence[CellReading], count: int) -> list[CellReading]:
    """``count`` filled single-line cells spread over the page, those with digits first (where a bad map hurts)."""
    filled = [r for r in readings if r.text and len(r.lines) == 1]
    with_digits = [r for r in filled if any(ch.isdigit() for ch in r.text)]
    pool = with_digits if len(with_digits) >= count else filled
    if len(pool) <= count:
        return list(pool)
    step = len(pool) / count
    return [pool[int(i * step + step / 2)] for i in range(count)]


def read_sampled(
    doc: PdfiumDocument,
    number: int,
    samples: Sequence[CellReading],
    points_per_pixel: float,
    dpi: float,
    engine: OcrEngine,
) -> list[str]:
    """OCR of each sampled cell, rendered alone at ``dpi`` and read the way the OCR path reads cells."""
    texts = []
    for reading in samples:
        box = reading.cell.rect.to_points(points_per_pixel)
        gray = doc.render_region(number, box, dpi)
        page = TextPage(gray=gray, ink=binarize(gray, dpi), dpi=dpi)
        cell = GridCell(0, 0, 1, 1, Rect(0, 0, gray.shape[1], gray.shape[0]))
        texts.append(read_cells(page, [cell], engine)[0].text)
    return texts
