"""Page orientation: which quarter turn makes a scanned page upright.

Budget tables are often landscape pages stored sideways or a sheet fed in
upside down. Two cheap questions settle it:

* sideways or not: with the rules painted out, an upright page's characters
  merge into *wide* text lines when smeared sideways, a sideways page's into
  *tall* ones when smeared up and down (Chinese text lines are wide and short
  when upright);
* upside down or not: PP-OCR's small 0°/180° line classifier looks at the
  page's longest text lines (a few milliseconds); an engine without one
  reads the lines both ways instead, and upright text reads with the higher
  confidence.

Both run on the page shrunk to ``ORIENT_DPI``; only the handful of line crops
given to the recognizer come from the full page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.engines.base import OcrEngine, TextOrientationClassifier

from table_reconstruct.cells.cell_text import remove_specks
from table_reconstruct.grid.components import label_with_stats
from table_reconstruct.grid.geometry import Rect
from table_reconstruct.grid.lines import binarize, min_line_length, open_along

ORIENT_DPI = 100.0
# Text line height range (inches) and how much longer than high a line must be.
LINE_HEIGHT_INCHES = (0.06, 0.35)
LINE_ASPECT = 3.0
# A page is turned only when the other direction holds clearly more text.
SIDEWAYS_RATIO = 2.0
# Lines looked at to tell upright from upside down, and the margin needed to flip: the mean
# probability of "turned" from a classifier, or the confidence gain from reading the lines turned.
PROBE_LINES = 3
FLIP_MARGIN = 0.1
# Probe crops are cut to this many line heights: a few characters decide, and long crops cost.
PROBE_ASPECT = 8


@dataclass(frozen=True)
class TextLineStats:
    """Text-like strokes of a page: wide lines (upright text) and tall ones (sideways text)."""

    wide: list[Rect]
    tall: list[Rect]

    @property
    def wide_length(self) -> int:
        return sum(r.width for r in self.wide)

    @property
    def tall_length(self) -> int:
        return sum(r.height for r in self.tall)


def text_ink(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Ink of the page without its ruling lines or scan specks.

    Unbroken runs twice as long as a character are enough here (no bridging or
    mending, as the grid needs: bridging would join a text line's strokes into
    runs and paint the text out); a piece of a broken rule left behind is too
    thin to pass for a text line.
    """
    ink = binarize(gray, dpi)
    length = 2 * min_line_length(dpi)
    rules = cv2.bitwise_or(open_along(ink, True, length), open_along(ink, False, length))
    text = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(rules, np.ones((3, 3), np.uint8))))
    return remove_specks(text, min_area=max(4, int((dpi / 100) ** 2 * 4)))


def _line_boxes(ink: np.ndarray, dpi: float, horizontal: bool) -> list[Rect]:
    reach = max(3, int(dpi * 0.04)) | 1
    kernel = (reach, 1) if horizontal else (1, reach)
    smeared = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    _, _, stats = label_with_stats(smeared)
    low, high = (int(v * dpi) for v in LINE_HEIGHT_INCHES)
    boxes = []
    for x, y, w, h, _ in stats[1:]:
        long_side, short_side = (w, h) if horizontal else (h, w)
        if low <= short_side <= high and long_side >= LINE_ASPECT * short_side:
            boxes.append(Rect(int(x), int(y), int(x + w), int(y + h)))
    return boxes


def text_line_stats(ink: np.ndarray, dpi: float) -> TextLineStats:
    return TextLineStats(wide=_line_boxes(ink, dpi, True), tall=_line_boxes(ink, dpi, False))


def is_sideways(stats: TextLineStats) -> bool:
    """True when clearly more text runs up and down than across."""
    return stats.tall_length > SIDEWAYS_RATIO * max(stats.wide_length, 1)


def is_upside_down(gray: np.ndarray, lines: list[Rect], engine: OcrEngine) -> bool:
    """True when the longest ``lines`` (boxes in ``gray``'s pixels) look turned by 180°."""
    crops = probe_crops(gray, lines)
    if not crops:
        return False
    if isinstance(engine, TextOrientationClassifier):
        turned = engine.turned_probabilities(crops)
        if turned is not None:
            return bool(np.mean(turned) > 0.5 + FLIP_MARGIN)
    readings = engine.recognize(crops + [np.ascontiguousarray(c[::-1, ::-1]) for c in crops])
    upright = np.mean([r.confidence for r in readings[: len(crops)]])
    turned_confidence = np.mean([r.confidence for r in readings[len(crops) :]])
    return bool(turned_confidence > upright + FLIP_MARGIN)


def probe_crops(gray: np.ndarray, lines: list[Rect]) -> list[np.ndarray]:
    """The longest ``PROBE_LINES`` lines cut from the page, each to at most ``PROBE_ASPECT`` line heights."""
    probes = sorted(lines, key=lambda r: r.width, reverse=True)[:PROBE_LINES]
    height, width = gray.shape[:2]
    crops = []
    for line in probes:
        line = Rect(line.x0, line.y0, min(line.x1, line.x0 + PROBE_ASPECT * line.height), line.y1)
        box = line.expand(max(2, line.height // 5), width, height)
        crops.append(np.ascontiguousarray(gray[box.y0 : box.y1, box.x0 : box.x1]))
    return crops


def shrink(gray: np.ndarray, dpi: float, target_dpi: float = ORIENT_DPI) -> tuple[np.ndarray, float]:
    """The page at no more than ``target_dpi``, and the scale used."""
    scale = min(1.0, target_dpi / dpi)
    if scale >= 1.0:
        return gray, 1.0
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale


def detect_rotation(gray: np.ndarray, dpi: float, engine: OcrEngine) -> int:
    """Clockwise turn (0, 90, 180 or 270 degrees) that makes the page upright."""
    small, scale = shrink(gray, dpi)
    small_dpi = dpi * scale
    stats = text_line_stats(text_ink(small, small_dpi), small_dpi)
    rotation = 0
    if is_sideways(stats):
        rotation = 90
        small, gray = cv2.rotate(small, cv2.ROTATE_90_CLOCKWISE), cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE)
        stats = text_line_stats(text_ink(small, small_dpi), small_dpi)
    lines = [
        Rect(int(r.x0 / scale), int(r.y0 / scale), int(np.ceil(r.x1 / scale)), int(np.ceil(r.y1 / scale)))
        for r in stats.wide
    ]
    if is_upside_down(gray, lines, engine):
        rotation += 180
    return rotation
