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
    """The box of one connected ruling structure and its own line masks (cropped to the box).

    ``ink`` is all the page's ink in the box, for checks that need the rules' own shape.
    """

    rect: Rect
    horizontal: np.ndarray
    vertical: np.ndarray
    ink: np.ndarray | None = None


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
# Thickest a lone short rule piece may be (inches): a thick rule blurred, with a little
# scan noise on it, but thinner than any character.
THIN_RULE_INCHES = 0.05


def max_rule_gap(dpi: float) -> int:
    """Longest break (~0.1 inch) bridged between two collinear rule segments: worn or photocopied grids."""
    return max(3, int(dpi * 0.1))


def extract_lines(gray: np.ndarray, dpi: float) -> LineMasks:
    ink = binarize(gray, dpi)
    across, down = long_runs(ink, dpi, True), long_runs(ink, dpi, False)
    return LineMasks(ink=ink, horizontal=mend_rules(ink, across, down, dpi, True),
                     vertical=mend_rules(ink, down, across, dpi, False))


def _along(horizontal: bool, size: int, across: int = 1) -> np.ndarray:
    """A rectangular kernel ``size`` long in the rule direction, ``across`` wide."""
    return cv2.getStructuringElement(cv2.MORPH_RECT, (size, across) if horizontal else (across, size))


def _bridge(dpi: float) -> int:
    return max(1, int(dpi / 100)) * 2 + 1


def long_runs(ink: np.ndarray, dpi: float, horizontal: bool) -> np.ndarray:
    """Runs of ink longer than any text stroke in one direction: the sure parts of the rules."""
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, _along(horizontal, _bridge(dpi)))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, _along(horizontal, min_line_length(dpi)))


def mend_rules(ink: np.ndarray, runs: np.ndarray, crossing: np.ndarray, dpi: float, horizontal: bool) -> np.ndarray:
    """The rules of one direction (``runs``), short ones checked and broken ones mended.

    Runs twice as long as any text stroke (anchors) are rules. Shorter runs,
    and the short pieces a worn or photocopied rule leaves between its breaks
    (kept only on the line of an anchor nearby), must also be thin on their
    own once the crossing rules are taken away: a character stroke that
    happens to sit on a rule's line is joined to the rest of its character,
    and the flat-looking stretch of a seal's ring to the rest of the ring.
    The breaks between what is kept are then bridged along the line.
    """
    length, bridge = min_line_length(dpi), _bridge(dpi)
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, _along(horizontal, bridge))
    pieces = cv2.morphologyEx(closed, cv2.MORPH_OPEN, _along(horizontal, max(3, length // 3)))
    anchors = cv2.morphologyEx(runs, cv2.MORPH_OPEN, _along(horizontal, 2 * length))
    on_a_rule = cv2.dilate(anchors, _along(horizontal, 2 * int(dpi * SHORT_PIECE_REACH) + 1, bridge))
    doubtful = cv2.bitwise_and(cv2.bitwise_or(runs, cv2.bitwise_and(pieces, on_a_rule)), cv2.bitwise_not(anchors))
    rules = anchors
    if doubtful.any():
        alone = cv2.bitwise_and(closed, cv2.bitwise_not(cv2.dilate(crossing, np.ones((3, 3), np.uint8))))
        _, labels, stats, _ = cv2.connectedComponentsWithStats(alone, connectivity=8)
        thickness = stats[:, cv2.CC_STAT_HEIGHT if horizontal else cv2.CC_STAT_WIDTH]
        thin = thickness <= max(4, int(dpi * THIN_RULE_INCHES))
        thin[0] = False
        rules = cv2.bitwise_or(anchors, np.where(thin[labels] & (doubtful > 0), 255, 0).astype(np.uint8))
    return cv2.morphologyEx(rules, cv2.MORPH_CLOSE, _along(horizontal, max_rule_gap(dpi) | 1))


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
        ink = masks.ink[rect.y0 : rect.y1, rect.x0 : rect.x1]
        regions.append(TableRegion(rect=rect, horizontal=horizontal, vertical=vertical, ink=ink))
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
