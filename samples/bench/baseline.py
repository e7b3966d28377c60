"""The naive baseline: whole-page OCR, rows and columns by clustering text boxes.

What one gets from an OCR engine without table reconstruction: detect every
text line on the page, recognize it, group lines into rows by vertical
overlap and into columns by horizontal overlap, ignore ruling lines, call the
first row the header. It uses the same engine and the same header
vocabulary as the pipeline, so the difference measures table reconstruction.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Sequence

import numpy as np

from ocr.engines.base import OcrEngine
from ocr.pages.rasterize import PageImage, iter_pages
from table_reconstruct.semantics.form_columns import identify_table
from table_reconstruct.tables.title import TextLine, find_unit
from table_reconstruct.model import Cell, Column, DocumentInfo, DocumentResult, PageNote, Table

# The caption line under the title (部门名称：… 单位：万元) has two boxes like a
# table row; without this one rule the naive header would always be that line.
_CAPTION = re.compile(r"(部门名称|单位名称|编制单位|部门)\s*[:：]|单\s*位\s*[:：]")


# The baseline reads the same free-text lines the pipeline reads above its grids.
TextBox = TextLine


def read_boxes(image: np.ndarray, engine: OcrEngine) -> list[TextBox]:
    """Every text line the engine finds on the page, recognized, empty reads dropped."""
    lines = [d for d in engine.detect(image) if d.x1 > d.x0 and d.y1 > d.y0]
    reads = engine.recognize([image[d.y0:d.y1, d.x0:d.x1] for d in lines])
    return [TextBox(r.text.strip(), d.x0, d.y0, d.x1, d.y1, r.confidence)
            for d, r in zip(lines, reads) if r.text.strip()]


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def group_rows(boxes: Sequence[TextBox]) -> list[list[TextBox]]:
    """Rows of boxes that overlap vertically by at least half the smaller height, top to bottom."""
    rows: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        if rows:
            top, bottom = min(b.y0 for b in rows[-1]), max(b.y1 for b in rows[-1])
            if _overlap(box.y0, box.y1, top, bottom) >= 0.5 * min(box.height, bottom - top):
                rows[-1].append(box)
                continue
        rows.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in rows]


def is_caption(row: Sequence[TextBox]) -> bool:
    return any(_CAPTION.search(box.text) for box in row)


def table_rows(rows: list[list[TextBox]]) -> list[list[TextBox]]:
    """The longest run of consecutive rows holding two or more boxes, caption lines excluded."""
    best: list[list[TextBox]] = []
    run: list[list[TextBox]] = []
    for row in rows + [[]]:
        if len(row) >= 2 and not is_caption(row):
            run.append(row)
            continue
        if len(run) > len(best):
            best = run
        run = []
    return best


def column_bands(rows: list[list[TextBox]]) -> list[tuple[float, float]]:
    """Merged x-intervals of the body boxes (the header row's wide labels would merge columns)."""
    body = rows[1:] or rows
    intervals = sorted((b.x0, b.x1) for row in body for b in row)
    bands: list[list[float]] = []
    for x0, x1 in intervals:
        if bands and x0 <= bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return [(a, b) for a, b in bands]


def _column_of(box: TextBox, bands: list[tuple[float, float]]) -> int:
    overlaps = [_overlap(box.x0, box.x1, a, b) for a, b in bands]
    if max(overlaps) > 0:
        return int(np.argmax(overlaps))
    centre = (box.x0 + box.x1) / 2
    return int(np.argmin([abs(centre - (a + b) / 2) for a, b in bands]))


def _edges(extents: list[tuple[float, float]]) -> list[float]:
    """Cell boundaries: the outer extents and midpoints between neighbours."""
    inner = [(extents[i][1] + extents[i + 1][0]) / 2 for i in range(len(extents) - 1)]
    return [extents[0][0], *inner, extents[-1][1]]


def build_table(rows: list[list[TextBox]], above: Sequence[TextBox], page: int, points_per_pixel: float) -> Table:
    """A full grid of 1×1 cells from clustered rows; header = first row."""
    bands = column_bands(rows)
    texts = [[[] for _ in bands] for _ in rows]
    for r, row in enumerate(rows):
        for box in row:
            texts[r][_column_of(box, bands)].append(box)
    xs = _edges(bands)
    ys = _edges([(min(b.y0 for b in row), max(b.y1 for b in row)) for row in rows])
    cells = []
    for r in range(len(rows)):
        for c in range(len(bands)):
            parts = texts[r][c]
            bbox = tuple(round(v * points_per_pixel, 2) for v in (xs[c], ys[r], xs[c + 1], ys[r + 1]))
            cells.append(Cell(row=r, col=c, text="".join(b.text for b in parts), page=page, bbox=bbox,
                              confidence=min((b.confidence for b in parts), default=1.0)))
    title = max(above, key=lambda b: b.height).text if above else None
    paths = [[cells[c].text] if cells[c].text else [] for c in range(len(bands))]
    identity = identify_table(title, paths)
    columns = [Column(index=c, header_path=path, canonical=match.canonical, score=match.score)
               for c, (path, match) in enumerate(zip(paths, identity.columns))]
    unit = find_unit(above)
    bbox = tuple(round(v * points_per_pixel, 2) for v in (xs[0], ys[0], xs[-1], ys[-1]))
    return Table(title=title, unit=unit, pages=[page], n_rows=len(rows), n_cols=len(bands), header_rows=1,
                 cells=cells, columns=columns, bbox=bbox, form=identity.form.form, form_score=identity.form.score)


def baseline_page(page: PageImage, engine: OcrEngine) -> list[Table]:
    """Zero or one table for the page."""
    rows = group_rows(read_boxes(page.image, engine))
    body = table_rows(rows)
    if len(body) < 2:
        return []
    top = min(b.y0 for b in body[0])
    above = [b for row in rows for b in row if b.y1 <= top]
    return [build_table(body, above, page.number, page.points_per_pixel)]


def baseline_document(path: Path, dpi: int, engine: OcrEngine, pages: str | None = None) -> DocumentResult:
    """Run the baseline over every page of ``path`` (or the ``pages`` selected)."""
    info = DocumentInfo(source=str(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                        settings={"system": "naive-baseline", "dpi": dpi}, pipeline_version="baseline")
    tables: list[Table] = []
    for page in iter_pages(path, dpi, pages, rasterizer="pdf2image"):  # the naive pass as first measured: poppler
        found = baseline_page(page, engine)
        info.page_notes.append(PageNote(page=page.number, tables=len(found)))
        tables.extend(found)
    info.pages = len(info.page_notes)
    return DocumentResult(document=info, tables=tables)
