"""One page from its text layer: grid from a low-resolution render, text from the layer, no OCR pass.

The grid comes from the same ruling-line code as the OCR path (so both give
the same structure), run on a 100-DPI pdfium render, which costs a few
milliseconds. Cell and caption text come from the layer's characters. Before
the page is accepted, a few sampled cells are rendered at the OCR resolution
and recognized; if any disagrees with the layer, the page goes to OCR.

A visible layer is wrong only where a font's Unicode map is wrong, and a
font is shared by every page of a document, so once sampled cells drawn in
a font agree with the image, later pages whose cells use only such fonts are
not sampled again (``checked_fonts``, one set per document). Invisible text
(an OCR layer over an image) says nothing about fonts and is sampled on
every page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from ocr.engines.base import OcrEngine
from ocr.pages.pdfium_doc import LayerChar, PageLayer, PdfiumDocument
from ocr.pages.text_layer_trust import Verdict, agreement_verdict, layer_verdict

from table_reconstruct.tables.assemble import assemble_tables
from table_reconstruct.cells.cell_text import CellReading, TextPage, read_cells
from table_reconstruct.grid.geometry import Rect
from table_reconstruct.grid.grid import GridCell
from table_reconstruct.cells.layer_cells import caption_lines, chars_by_cell, layer_readings
from table_reconstruct.grid.lines import binarize
from table_reconstruct.model import Table
from table_reconstruct.tables.reconstruct import find_grids

# Rules of born-digital pages are crisp: with the text painted out, 100 DPI finds them as well
# as 200 does, at a quarter of the pixels.
GRID_DPI = 100.0
# Cells OCR'd to check a layer: enough to catch a wrong font map, few enough to stay cheap.
SAMPLED_CELLS = 3


@dataclass(frozen=True)
class LayerPage:
    verdict: Verdict
    tables: list[Table]
    # The page's size in PDF points (width, height), for joining tables across pages.
    size_pt: tuple[float, float] = (0.0, 0.0)


def reconstruct_from_layer(
    doc: PdfiumDocument,
    number: int,
    engine: OcrEngine,
    ocr_dpi: float,
    checked_fonts: set[str] | None = None,
) -> LayerPage:
    """The page's tables from its text layer, or an untrusted verdict saying why OCR is needed.

    ``checked_fonts``: fonts this document's earlier pages confirmed; fonts the page confirms are added.
    """
    layer = doc.text_layer(number)
    verdict = layer_verdict(layer)
    if not verdict.trusted:
        return LayerPage(verdict, [])
    page = doc.render(number, GRID_DPI)
    grids, _, _ = find_grids(replace(page, image=without_text(page.image, layer, page.points_per_pixel)), scanned=False)
    cell_chars = [chars_by_cell(grid, layer.chars, page.points_per_pixel) for grid in grids]
    readings = [layer_readings(grid, inside, page.points_per_pixel) for grid, inside in zip(grids, cell_chars)]
    fonts = checked_fonts if layer.invisible_text_objects == 0 else None
    verdict = image_agreement(doc, number, readings, cell_chars, page.points_per_pixel, ocr_dpi, engine, fonts)
    if not verdict.trusted:
        return LayerPage(verdict, [])
    tables = assemble_tables(page, grids, readings, lambda area: caption_lines(layer.chars, area, page.points_per_pixel))
    return LayerPage(verdict, tables, (round(layer.width_pt, 2), round(layer.height_pt, 2)))


def image_agreement(
    doc: PdfiumDocument,
    number: int,
    readings: Sequence[Sequence[CellReading]],
    cell_chars: Sequence[Sequence[Sequence[LayerChar]]],
    points_per_pixel: float,
    ocr_dpi: float,
    engine: OcrEngine,
    checked_fonts: set[str] | None,
) -> Verdict:
    """Whether sampled cells in fonts not yet checked read the same from the image as from the layer."""
    filled = [
        (reading, frozenset(ch.font for ch in chars))
        for table, table_chars in zip(readings, cell_chars)
        for reading, chars in zip(table, table_chars)
        if reading.text
    ]
    if checked_fonts:
        unchecked = [(reading, fonts) for reading, fonts in filled if not fonts <= checked_fonts]
        if filled and not unchecked:
            names = ", ".join(sorted(font.split("#")[0] or "unnamed" for font in checked_fonts))
            return Verdict(True, f"text layer trusted: well-formed, and its fonts ({names}) agreed with OCR "
                                 "of sampled cells on an earlier page")
    else:
        unchecked = filled
    samples = sample_cells([reading for reading, _ in unchecked], SAMPLED_CELLS)
    ocr_texts = read_sampled(doc, number, samples, points_per_pixel, ocr_dpi, engine)
    verdict = agreement_verdict([(r.text, text) for r, text in zip(samples, ocr_texts)])
    if verdict.trusted and checked_fonts is not None and samples:
        fonts_of = {id(reading): fonts for reading, fonts in unchecked}
        for reading in samples:
            checked_fonts |= fonts_of[id(reading)]
    return verdict


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
    """``count`` filled single-line cells spread over the page.

    Short numbers first (3–6 characters, 3 or more digits, e.g. 0.54 or 30201): a wrong font map
    shows in digits, and recognition costs in proportion to a crop's width. Other filled cells when
    a page has too few. Never a cell of symbols alone (the ≥ or % of a 绩效目标表's 指标性质 column):
    OCR cannot confirm a lone symbol (PP-OCR reads a lone ≥ as V or W), so it would condemn a right layer.
    """
    filled = [r for r in readings if r.text and len(r.lines) == 1 and any(ch.isalnum() for ch in r.text)]
    numbers = [r for r in filled if 3 <= len(r.text) <= 6 and sum(ch.isdigit() for ch in r.text) >= 3]
    pool = numbers if len(numbers) >= count else filled
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
    """OCR of each sampled cell, rendered alone at ``dpi``, stacked into one strip read the way the OCR path reads cells."""
    if not samples:
        return []
    regions = [doc.render_region(number, r.cell.rect.to_points(points_per_pixel), dpi) for r in samples]
    strip = np.full((sum(g.shape[0] for g in regions), max(g.shape[1] for g in regions)), 255, np.uint8)
    cells, top = [], 0
    for index, gray in enumerate(regions):
        strip[top : top + gray.shape[0], : gray.shape[1]] = gray
        cells.append(GridCell(index, 0, 1, 1, Rect(0, top, gray.shape[1], top + gray.shape[0])))
        top += gray.shape[0]
    page = TextPage(gray=strip, ink=binarize(strip, dpi), dpi=dpi)
    return [reading.text for reading in read_cells(page, cells, engine)]
