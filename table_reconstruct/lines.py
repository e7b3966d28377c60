"""Ruling-line extraction: binarize the page, keep long thin strokes, find table regions.

Morphological opening with a long, one-pixel-thick kernel keeps horizontal
(or vertical) runs longer than any text stroke. What survives is grouped into
connected components: a table's lines all touch each other, while the odd long
text stroke (一, 丨) stands alone and is dropped with the small components.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .geometry import Rect


@dataclass(frozen=True)
class LineMasks:
    """Binary masks (255 = ink) of one page: all ink, and its horizontal/vertical rules."""

    ink: np.ndarray
    horizontal: np.ndarray
    vertical: np.ndarray


@dataclass(frozen=True)
class TableRegion:
    """The box of one connected ruling structure and its own line masks (cropped to the box)."""

    rect: Rect
    horizontal: np.ndarray
    vertical: np.ndarray


def binarize(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Ink mask robust to uneven illumination: a pixel is ink if darker than its neighbourhood."""
    block = max(15, int(dpi / 6) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12)


def min_line_length(dpi: float) -> int:
    """Shortest run kept as a rule: longer than a body-text character stroke (~0.15 inch)."""
    return max(12, int(dpi * 0.15))


def extract_lines(gray: np.ndarray, dpi: float) -> LineMasks:
    ink = binarize(gray, dpi)
    length = min_line_length(dpi)
    bridge = max(1, int(dpi / 100))
    horizontal = _directional_open(ink, (length, 1), (bridge * 2 + 1, 1))
    vertical = _directional_open(ink, (1, length), (1, bridge * 2 + 1))
    return LineMasks(ink=ink, horizontal=horizontal, vertical=vertical)


def _directional_open(ink: np.ndarray, kernel: tuple[int, int], bridge: tuple[int, int]) -> np.ndarray:
    """Close small gaps along the direction (broken scan lines), then keep long runs."""
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, bridge))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))


def find_table_regions(masks: LineMasks, dpi: float) -> list[TableRegion]:
    """Connected ruling structures large enough to be tables, top to bottom."""
    grid = cv2.bitwise_or(masks.horizontal, masks.vertical)
    joined = cv2.dilate(grid, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    min_width, min_height = int(dpi * 1.0), int(dpi * 0.25)
    regions = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if w < min_width or h < min_height:
            continue
        rect = Rect(int(x), int(y), int(x + w), int(y + h))
        own = (labels[rect.y0 : rect.y1, rect.x0 : rect.x1] == label).astype(np.uint8) * 255
        horizontal = cv2.bitwise_and(masks.horizontal[rect.y0 : rect.y1, rect.x0 : rect.x1], own)
        vertical = cv2.bitwise_and(masks.vertical[rect.y0 : rect.y1, rect.x0 : rect.x1], own)
        regions.append(TableRegion(rect=rect, horizontal=horizontal, vertical=vertical))
    return sorted(regions, key=lambda region: (region.rect.y0, region.rect.x0))
