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

from .geometry import Rect, intersection, union


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


# Shortest rule component (inches) that may join a table it does not touch.
PIECE_INCHES = 0.5
# How far (inches) along its line from a long rule run a short piece may lie and still count.
SHORT_PIECE_REACH = 0.3


def max_rule_gap(dpi: float) -> int:
    """Longest break (~0.1 inch) bridged between two collinear rule segments: worn or photocopied grids."""
    return max(3, int(dpi * 0.1))


def extract_lines(gray: np.ndarray, dpi: float) -> LineMasks:
    ink = binarize(gray, dpi)
    return LineMasks(ink=ink, horizontal=rule_mask(ink, dpi, True), vertical=rule_mask(ink, dpi, False))


def rule_mask(ink: np.ndarray, dpi: float, horizontal: bool) -> np.ndarray:
    """The rules of one direction, broken ones mended.

    Long runs are rules. A worn or photocopied rule also leaves short pieces
    between its breaks: those are kept only where they lie on the line of an
    anchor run nearby, one twice as long as any text stroke (so pieces of
    text never count), and the breaks between pieces are then bridged along
    the line.
    """
    length = min_line_length(dpi)
    bridge = max(1, int(dpi / 100)) * 2 + 1
    gap = max_rule_gap(dpi) | 1

    def along(size: int, across: int = 1) -> np.ndarray:
        return cv2.getStructuringElement(cv2.MORPH_RECT, (size, across) if horizontal else (across, size))

    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, along(bridge))
    long_runs = cv2.morphologyEx(closed, cv2.MORPH_OPEN, along(length))
    pieces = cv2.morphologyEx(closed, cv2.MORPH_OPEN, along(max(3, length // 3)))
    anchors = cv2.morphologyEx(long_runs, cv2.MORPH_OPEN, along(2 * length))
    on_a_rule = cv2.dilate(anchors, along(2 * int(dpi * SHORT_PIECE_REACH) + 1, bridge))
    rules = cv2.bitwise_or(long_runs, cv2.bitwise_and(pieces, on_a_rule))
    return cv2.morphologyEx(rules, cv2.MORPH_CLOSE, along(gap))


def find_table_regions(masks: LineMasks, dpi: float) -> list[TableRegion]:
    """Ruling structures large enough to be tables, top to bottom.

    A structure is a group of connected rule components; pieces of a badly
    broken grid that came apart (each at least ``PIECE_INCHES`` long) join the
    group whose box they touch, while text strokes, too short, never do.
    """
    grid = cv2.bitwise_or(masks.horizontal, masks.vertical)
    joined = cv2.dilate(grid, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    min_width, min_height = int(dpi * 1.0), int(dpi * 0.25)
    pieces = [
        (label, Rect(int(x), int(y), int(x + w), int(y + h)))
        for label, (x, y, w, h, _) in enumerate(stats[1:], start=1)
        if max(w, h) >= dpi * PIECE_INCHES
    ]
    regions = []
    for group in group_touching([rect for _, rect in pieces], max_rule_gap(dpi)):
        rect = union(pieces[i][1] for i in group)
        if rect.width < min_width or rect.height < min_height:
            continue
        window = labels[rect.y0 : rect.y1, rect.x0 : rect.x1]
        own = np.isin(window, [pieces[i][0] for i in group]).astype(np.uint8) * 255
        horizontal = cv2.bitwise_and(masks.horizontal[rect.y0 : rect.y1, rect.x0 : rect.x1], own)
        vertical = cv2.bitwise_and(masks.vertical[rect.y0 : rect.y1, rect.x0 : rect.x1], own)
        regions.append(TableRegion(rect=rect, horizontal=horizontal, vertical=vertical))
    return sorted(regions, key=lambda region: (region.rect.y0, region.rect.x0))


def group_touching(rects: list[Rect], gap: int) -> list[list[int]]:
    """Indices of ``rects`` grouped so that boxes within ``gap`` pixels of each other share a group."""
    parent = list(range(len(rects)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, a in enumerate(rects):
        grown = Rect(a.x0 - gap, a.y0 - gap, a.x1 + gap, a.y1 + gap)
        for j in range(i + 1, len(rects)):
            if intersection(grown, rects[j]) is not None:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for k in range(len(rects)):
        groups.setdefault(find(k), []).append(k)
    return list(groups.values())
