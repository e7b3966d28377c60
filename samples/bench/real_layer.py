"""Read a real PDF page's vector rules and text-layer characters with pdfium (truth side of the real track)."""

from __future__ import annotations

from ctypes import c_float, c_int
from pathlib import Path

from ocr.pages.pdfium_doc import PageFrame, PdfiumDocument

from samples.bench.real_truth import LONG, STRAIGHT, Segment, TruthCell, merge_segments, truth_cells

Matrix = tuple[float, float, float, float, float, float]
# A filled (not stroked) shape this thin (points) across is a rule drawn as a bar; wider, a cell's background.
THIN_FILL = 2.5
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F


def _object_matrix(obj) -> Matrix:
    import pypdfium2.raw as pdfium_c

    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return m.a, m.b, m.c, m.d, m.e, m.f


def _path_points(obj, matrix: Matrix) -> list[list[tuple[float, float]]]:
    """The path's subpaths as point lists in PDF space (a closed subpath repeats its start)."""
    import pypdfium2.raw as pdfium_c

    x, y = c_float(), c_float()
    a, b, c, d, e, f = matrix
    subpaths: list[list[tuple[float, float]]] = []
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def page_rules(page, frame: PageFrame) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical path edges of a page, on the displayed page, merged into rules."""
    import pypdfium2.raw as pdfium_c

    horizontals: list[Segment] = []
    verticals: list[Segment] = []
    stack = [(pdfium_c.FPDFPage_GetObject(page, i), _IDENTITY) for i in range(pdfium_c.FPDFPage_CountObjects(page))]
    while stack:
        obj, outer = stack.pop()
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        matrix = _compose(_object_matrix(obj), outer)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            stack.extend((pdfium_c.FPDFFormObj_GetObject(obj, i), matrix)
                         for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)))
            continue
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        fill, stroke = c_int(), c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
        for points in _path_points(obj, matrix):
            shown = [frame.to_display(x, y, x, y)[:2] for x, y in points]
            if not stroke.value:  # a filled shape is a rule only as a thin bar (a cell's fill is no border)
                xs, ys = [p[0] for p in shown], [p[1] for p in shown]
                if min(max(xs) - min(xs), max(ys) - min(ys)) > THIN_FILL:
                    continue
            for (dx0, dy0), (dx1, dy1) in zip(shown, shown[1:]):
                if abs(dy1 - dy0) <= STRAIGHT and abs(dx1 - dx0) >= LONG:
                    horizontals.append(((dy0 + dy1) / 2, min(dx0, dx1), max(dx0, dx1)))
                elif abs(dx1 - dx0) <= STRAIGHT and abs(dy1 - dy0) >= LONG:
                    verticals.append(((dx0 + dx1) / 2, min(dy0, dy1), max(dy0, dy1)))
    return merge_segments(horizontals), merge_segments(verticals)


def document_truth(path: Path, pages: list[int] | None = None) -> dict[int, tuple[list[TruthCell], tuple[float, float]]]:
    """Truth cells and size (points) of each page (1-based) of a born-digital PDF, every page when ``pages`` is None."""
    out: dict[int, tuple[list[TruthCell], tuple[float, float]]] = {}
    with PdfiumDocument(path) as doc:
        for number in pages or range(1, len(doc) + 1):
            layer = doc.text_layer(number)
            page = doc._page(number)  # the page just loaded for its layer
            horizontals, verticals = page_rules(page, PageFrame.of(page))
            chars = [(c.x0, c.y0, c.x1, c.y1, c.text) for c in layer.chars]
            out[number] = truth_cells(number, chars, horizontals, verticals), (layer.width_pt, layer.height_pt)
    return out
