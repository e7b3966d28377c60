"""Free text outside the grids (titles, units, department lines), found by the detector.

Detection runs on the strip scaled down to ``DETECT_DPI``: caption lines are
set at 10 pt or more, which the detector still finds at 100 DPI, and its
cost falls with the square of the scale. Recognition reads full-resolution crops.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr.engines.base import OcrEngine

from table_reconstruct.grid.geometry import Rect
from table_reconstruct.tables.title import TextLine


DETECT_DPI = 100.0


def read_text_lines(
    gray: np.ndarray, area: Rect, engine: OcrEngine, pad: int = 4, dpi: float | None = None
) -> list[TextLine]:
    """Detect and recognize the text lines inside ``area`` of the page, top to bottom.

    With the page's ``dpi`` given, detection sees the strip at no more than ``DETECT_DPI``.
    """
    if area.width < 8 or area.height < 8:
        return []
    strip = gray[area.y0 : area.y1, area.x0 : area.x1]
    if int((strip < 128).sum()) == 0:
        return []
    height, width = strip.shape[:2]
    boxes = [box.expand(pad, width, height) for box in _detect(strip, engine, dpi)]
    boxes = [box for box in boxes if box.width > 2 and box.height > 2]
    recognitions = engine.recognize([strip[b.y0 : b.y1, b.x0 : b.x1] for b in boxes])
    lines = [
        TextLine(r.text, area.x0 + b.x0, area.y0 + b.y0, area.x0 + b.x1, area.y0 + b.y1, r.confidence)
        for b, r in zip(boxes, recognitions)
        if r.text.strip()
    ]
    return sorted(lines, key=lambda line: (line.y0, line.x0))


def _detect(strip: np.ndarray, engine: OcrEngine, dpi: float | None) -> list[Rect]:
    """Detected line boxes in ``strip`` pixels, detection run at no more than ``DETECT_DPI``."""
    scale = min(1.0, DETECT_DPI / dpi) if dpi else 1.0
    small = strip
    if scale < 1.0:
        size = (max(1, round(strip.shape[1] * scale)), max(1, round(strip.shape[0] * scale)))
        small = cv2.resize(strip, size, interpolation=cv2.INTER_AREA)
    back = 1.0 / scale
    return [
        Rect(int(d.x0 * back), int(d.y0 * back), int(np.ceil(d.x1 * back)), int(np.ceil(d.y1 * back)))
        for d in engine.detect(small)
    ]
