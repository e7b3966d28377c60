"""Free text outside the grids (titles, units, department lines), found by the detector."""

from __future__ import annotations

import numpy as np

from ocr.engines.base import OcrEngine

from .geometry import Rect
from .title import TextLine


def read_text_lines(gray: np.ndarray, area: Rect, engine: OcrEngine, pad: int = 4) -> list[TextLine]:
    """Detect and recognize the text lines inside ``area`` of the page, top to bottom."""
    if area.width < 8 or area.height < 8:
        return []
    strip = gray[area.y0 : area.y1, area.x0 : area.x1]
    if int((strip < 128).sum()) == 0:
        return []
    detected = engine.detect(strip)
    height, width = strip.shape[:2]
    boxes = [Rect(d.x0, d.y0, d.x1, d.y1).expand(pad, width, height) for d in detected]
    boxes = [box for box in boxes if box.width > 2 and box.height > 2]
    recognitions = engine.recognize([strip[b.y0 : b.y1, b.x0 : b.x1] for b in boxes])
    lines = [
        TextLine(r.text, area.x0 + b.x0, area.y0 + b.y0, area.x0 + b.x1, area.y0 + b.y1, r.confidence)
        for b, r in zip(boxes, recognitions)
        if r.text.strip()
    ]
    return sorted(lines, key=lambda line: (line.y0, line.x0))
