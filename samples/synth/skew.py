"""Make truth bboxes follow a skewed scan.

``degrade`` rotates the page image with PIL (counter-clockwise on screen for a
positive angle, about the page centre). The same rotation applied to the
truth keeps table matching by IoU and cell lookup by centre honest: a
rotated rectangle is stored as its axis-aligned envelope, and its centre
lands exactly where the rotated cell's centre is.
"""

from __future__ import annotations

import math

from table_reconstruct.model import Table

BBox = tuple[float, float, float, float]


def rotate_point(x: float, y: float, degrees: float, cx: float, cy: float) -> tuple[float, float]:
    """Where ``(x, y)`` (y pointing down) goes under PIL's ``Image.rotate(degrees)`` about ``(cx, cy)``."""
    a = math.radians(degrees)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)


def rotate_bbox(bbox: BBox, degrees: float, cx: float, cy: float) -> BBox:
    """Axis-aligned envelope of the rotated rectangle."""
    x0, y0, x1, y1 = bbox
    corners = [rotate_point(x, y, degrees, cx, cy) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)


def skew_table(table: Table, degrees_by_page: dict[int, float], page_size: tuple[float, float]) -> Table:
    """A copy of ``table`` whose bboxes follow each page's rotation (pages may differ)."""
    if not any(degrees_by_page.get(p, 0.0) for p in table.pages):
        return table
    cx, cy = page_size[0] / 2, page_size[1] / 2
    cells = [c.model_copy(update={"bbox": rotate_bbox(c.bbox, degrees_by_page.get(c.page, 0.0), cx, cy)})
             for c in table.cells]
    first = degrees_by_page.get(table.pages[0], 0.0)
    bbox = rotate_bbox(table.bbox, first, cx, cy) if table.bbox else None
    return table.model_copy(update={"cells": cells, "bbox": bbox})
