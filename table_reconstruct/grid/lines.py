"""Ruling-line extraction: binarize the page, keep long thin strokes, find table regions.

Morphological opening with a long, one-pixel-thick kernel keeps horizontal
(or vertical) runs longer than any text stroke. What survives is grouped into
connected components: a table's lines all touch each other, while the odd long
text stroke (一, 丨) stands alone and is dropped with the small components.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np

from table_reconstruct.grid.components import drop_components, few_seeds, label, label_with_stats, select, select_labels
from table_reconstruct.grid.geometry import Rect, union


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


def extract_lines(gray: np.ndarray, dpi: float, faint: bool = True) -> LineMasks:
    """The page's ink and its rules, worked out only in the window the ink occupies.

    A scan's ink (text, noise) covers the page; a born-digital render with its
    text painted out is ink only where the table is, often two thirds of the
    page, and the morphology costs by the pixel. ``faint``: also look for faint
    grey rules that a noisy scan's ink mask breaks up; a born-digital render
    draws every rule crisply, and there the search only finds false ones.
    """
    ink = binarize(gray, dpi)
    window = ink_window(ink, _window_margin(dpi))
    inside = ink[window]
    horizontal, vertical = np.zeros_like(ink), np.zeros_like(ink)
    if inside.size:  # not a blank page
        across_ink, down_ink = rule_inks(gray[window], inside, dpi) if faint else (inside, inside)
        across, down = rule_directions(across_ink, down_ink, dpi)
        # A short run is a rule only if a sure rule vouches for it, crossing or in line: with none, no rules.
        if cv2.countNonZero(across.anchors) or cv2.countNonZero(down.anchors):
            horizontal[window] = mended_rules(across, down)
            vertical[window] = mended_rules(down, across)
    return LineMasks(ink=ink, horizontal=horizontal, vertical=vertical)


# Faint rules (light grey ruling on a noisy, blurred scan): a rule is darker, by FAINT_CONTRAST grey
# levels on average over FAINT_ALONG_INCHES along it, than the paper FAINT_SIDE_INCHES away on both
# sides; its pieces are joined across breaks up to FAINT_GAP_INCHES.
FAINT_ALONG_INCHES = 0.05
FAINT_SIDE_INCHES = 0.02
FAINT_CONTRAST = 5
FAINT_GAP_INCHES = 0.03


def rule_inks(gray: np.ndarray, ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """The ink the horizontal and the vertical rules are looked for in: ``ink`` with that direction's faint rules.

    The vertical faint lines must end on horizontal rules (``ending_on_rules``): a glyph's upright
    stroke in line with a column rule is what they mistake. Held to the vertical rules, the row rules'
    faint pieces that a seal or noise cuts short were lost (北京 seal lost 2 numbers), so those stay.
    """
    across, down = faint_rules(gray, dpi, True), faint_rules(gray, dpi, False)
    crossing = open_along(cv2.bitwise_or(ink, across), True, 2 * min_line_length(dpi))
    return cv2.bitwise_or(ink, across), cv2.bitwise_or(ink, ending_on_rules(down, crossing, dpi, False))


def ending_on_rules(faint: np.ndarray, crossing: np.ndarray, dpi: float, horizontal: bool) -> np.ndarray:
    """``faint`` without the pieces between crossing rules that stop short of one and are no rule on their own.

    A faint rule runs from crossing rule to crossing rule. A glyph's stroke in
    line with a column rule, a hair above the row rule that rule stops on,
    looks like the rule running on into the cell (the averaging bridges the
    hair), and stops in the middle of it: that piece goes.
    """
    reach = max(3, int(dpi * FAINT_GAP_INCHES))
    crossing = cv2.dilate(crossing, _along(horizontal, 3))
    pieces = cv2.bitwise_and(faint, cv2.bitwise_not(crossing))
    count, labels, stats = label_with_stats(pieces)
    if count <= 1:
        return faint
    near = cv2.dilate(crossing, _along(horizontal, 2 * reach + 1))
    if not horizontal:  # work along rows either way
        near, stats = near.T, stats[:, [1, 0, 3, 2, 4]]
    short = np.zeros(count, dtype=bool)
    for index in range(1, count):
        x, y, w, h = (int(v) for v in stats[index, :4])
        band = near[y : y + h]
        short[index] = w < 2 * min_line_length(dpi) and not (band[:, x].any() and band[:, x + w - 1].any())
    return cv2.bitwise_and(faint, cv2.bitwise_not(select(labels, short)))


def faint_rules(gray: np.ndarray, dpi: float, horizontal: bool) -> np.ndarray:
    """Long thin lines a little darker than the paper on both sides: light rules the ink mask breaks up.

    The local-mean threshold of ``binarize`` loses a light grey rule wherever
    noise or nearby text darkens its neighbourhood, and the rule falls apart
    into pieces too short to mend. A pixel darker than the paper on both
    sides across is on a line, not the edge of a glyph (paper on one side
    only); averaging that contrast along the direction evens out the noise
    but not the rule. Only lines at least twice as long as any text stroke
    count, so a character's stroke never becomes a rule this way.
    """
    along = max(3, int(dpi * FAINT_ALONG_INCHES) | 1)
    side = max(2, int(round(dpi * FAINT_SIDE_INCHES)))
    # A little smoothing along first (less than a rule's crossing is wide) steadies the noisy samples.
    grey = cv2.blur(gray.astype(np.float32) if horizontal else gray.T.astype(np.float32), (along // 2 | 1, 1))
    padded = np.pad(grey, ((side, side), (0, 0)), mode="edge")
    rows = grey.shape[0]
    # The paper on each side is the lighter of the points ``side`` and one pixel less away across: text
    # printed a hair from the rule (a cell's first glyph) darkens the far point but not the near one.
    # (Nearer points let noise through as line pixels, and mending them cost a third more time.)
    before = cv2.max(padded[:rows], padded[1 : rows + 1])
    after = cv2.max(padded[2 * side :], padded[2 * side - 1 : 2 * side - 1 + rows])
    # How much darker each pixel is than the darker of those two: paper on both sides, as a rule has;
    # averaged along the direction (a crossing rule only dents the average). In place: page-sized floats.
    contrast = np.subtract(np.minimum(before, after, out=before), grey, out=before)
    line = (cv2.blur(contrast, (along, 1)) >= FAINT_CONTRAST).astype(np.uint8) * 255
    if not horizontal:
        line = np.ascontiguousarray(line.T)
    # The averaging smears a line's ends on by half its length: trimmed first, so no rule runs past
    # where it stops and no column of glyphs joins up into a line across the gaps between text lines.
    # The crossing of a frame rule raises the contrast a side beyond a rule's end too: trimmed as well.
    line = cv2.erode(line, _along(horizontal, along + side))
    gap = _along(horizontal, max(3, int(dpi * FAINT_GAP_INCHES) | 1))
    return open_along(cv2.morphologyEx(line, cv2.MORPH_CLOSE, gap), horizontal, 2 * min_line_length(dpi))


def ink_window(mask: np.ndarray, margin: int) -> tuple[slice, slice]:
    """Rows and columns of ``mask``'s nonzero pixels, ``margin`` pixels wider on every side (clipped)."""
    x, y, width, height = cv2.boundingRect(mask)
    if width == 0 or height == 0:
        return slice(0, 0), slice(0, 0)
    rows, cols = mask.shape[:2]
    return (slice(max(0, y - margin), min(rows, y + height + margin)),
            slice(max(0, x - margin), min(cols, x + width + margin)))  # fmt: skip


def _window_margin(dpi: float) -> int:
    """Blank border that keeps every kernel of rule mending inside the window, so results match the whole page's.

    The longest erosion is the anchors' opening (2 × ``min_line_length``), applied
    to masks grown at most by a bridged gap and a closing beyond the ink.
    """
    return 4 * min_line_length(dpi) + max_rule_gap(dpi) + 2 * _bridge(dpi)


def _along(horizontal: bool, size: int, across: int = 1) -> np.ndarray:
    """A rectangular kernel ``size`` long in the rule direction, ``across`` wide."""
    return cv2.getStructuringElement(cv2.MORPH_RECT, (size, across) if horizontal else (across, size))


def open_along(mask: np.ndarray, horizontal: bool, size: int) -> np.ndarray:
    """The runs of ``mask`` at least ``size`` pixels long along the direction, kept exactly where they are.

    OpenCV's opening dilates with the anchor it eroded with, which for an
    even ``size`` moves every kept run one pixel on (its first pixel lost, a
    blank one past its end gained); dilating about the mirrored anchor undoes
    the erosion exactly, whatever the parity.
    """
    kernel = _along(horizontal, size)
    mirrored = size - 1 - size // 2
    return cv2.dilate(cv2.erode(mask, kernel), kernel, anchor=(mirrored, 0) if horizontal else (0, mirrored))


def _bridge(dpi: float) -> int:
    return max(1, int(dpi / 100)) * 2 + 1


class RuleDirection:
    """One direction's masks of a page, each worked out once: the other direction's mending reads them too.

    ``crossing`` is the other direction (``rule_directions`` pairs them); its long runs vouch for a
    short run that spans from one of them to another.
    """

    def __init__(self, ink: np.ndarray, dpi: float, horizontal: bool) -> None:
        self.dpi, self.horizontal = dpi, horizontal
        self.length, self.bridge = min_line_length(dpi), _bridge(dpi)
        self.gap = _along(horizontal, max_rule_gap(dpi) | 1)
        # Ink with breaks of a pixel or two bridged along the direction.
        self.closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, _along(horizontal, self.bridge))
        self.runs = open_along(self.closed, horizontal, self.length)
        self.crossing: RuleDirection | None = None

    @cached_property
    def long_runs(self) -> np.ndarray:
        """Runs twice as long as any text stroke."""
        return open_along(self.runs, self.horizontal, 2 * self.length)

    @cached_property
    def anchors(self) -> np.ndarray:
        """Long runs that are not the edge of a line of glyphs: rules for sure."""
        crossing = self.crossing.long_runs if self.crossing is not None else None
        return _without_glyph_edges(self.long_runs, self.closed, self.dpi, self.horizontal, crossing, self.bridge)

    @cached_property
    def lined_up(self) -> np.ndarray:
        """The runs that line up with an anchor: what the other direction takes for crossing rules."""
        return _linked(self.anchors, self.runs, self.gap)


def rule_directions(across: np.ndarray, down: np.ndarray, dpi: float) -> tuple[RuleDirection, RuleDirection]:
    """The horizontal and vertical rule masks of a page (from their own ink), each knowing the other."""
    horizontal, vertical = RuleDirection(across, dpi, True), RuleDirection(down, dpi, False)
    horizontal.crossing, vertical.crossing = vertical, horizontal
    return horizontal, vertical


def mended_rules(this: RuleDirection, other: RuleDirection) -> np.ndarray:
    """The rules of one direction (``this.runs``), short ones checked and broken ones mended.

    Runs twice as long as any text stroke (anchors) are rules. Shorter runs
    must be thin on their own once the crossing rules are taken away (a
    character stroke on a rule's line is joined to the rest of its character,
    the flat-looking stretch of a seal's ring to the rest of the ring) and
    either meet long crossing rules at both ends, as the short rule of a one-row header cell
    does, or be linked to a rule like the pieces below. A worn or photocopied
    rule leaves short pieces between its breaks: a thin piece on the line of
    an anchor counts when a chain of breaks no longer than ``max_rule_gap``
    links it to a sure rule; the breaks are then bridged along the line.
    """
    horizontal, dpi, anchors, runs = this.horizontal, this.dpi, this.anchors, this.runs
    pieces = cv2.bitwise_and(open_along(this.closed, horizontal, max(3, this.length // 3)), cv2.bitwise_not(runs))
    if cv2.countNonZero(pieces):  # only pieces near a sure rule count (the wide dilation is skipped when none can)
        near_a_rule = _along(horizontal, 2 * int(dpi * SHORT_PIECE_REACH) + 1, this.bridge)
        pieces = cv2.bitwise_and(pieces, cv2.dilate(anchors, near_a_rule))
    short_runs = cv2.bitwise_and(runs, cv2.bitwise_not(anchors))
    if not (cv2.countNonZero(short_runs) or cv2.countNonZero(pieces)):
        return _linked(anchors, short_runs, this.gap)  # every rule is long: nothing to check (crisp renders)
    # Crossing rules are the long crossing runs and what lines up with them; a character's own
    # cross strokes are not, so taking the crossing rules away leaves the character whole.
    crossing = other.lined_up
    thin = _thin_parts(this.closed, crossing, dpi, horizontal, cv2.bitwise_or(short_runs, pieces))
    short_runs = cv2.bitwise_and(short_runs, thin)
    sure = cv2.bitwise_or(anchors, _met_by_crossing(short_runs, crossing, anchors, this.bridge, horizontal))
    doubtful = cv2.bitwise_or(short_runs, cv2.bitwise_and(pieces, thin))
    return _linked(sure, doubtful, this.gap)


def _linked(sure: np.ndarray, doubtful: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """``sure`` and the parts of ``doubtful`` a chain of breaks no longer than ``gap`` links to it, bridged.

    A lone piece, however thin, is no rule.
    """
    mended = cv2.morphologyEx(cv2.bitwise_or(sure, doubtful), cv2.MORPH_CLOSE, gap)
    # Closing along a line only fills gaps between pixels it was given: a part with no sure pixel holds a doubtful one.
    return _holding(mended, sure, few_seeds(cv2.bitwise_and(doubtful, cv2.bitwise_not(sure))))


def _met_by_crossing(mask: np.ndarray, crossing: np.ndarray, anchors: np.ndarray, reach: int,
                     horizontal: bool) -> np.ndarray:
    """The connected parts of ``mask`` that a crossing rule meets (within ``reach`` pixels) as a rule's would.

    A short rule closing a header cell runs from one crossing rule to the next,
    and a worn rule's piece crosses one; a 一 or 二 printed flush against a
    cell's left rule meets it at one end only. A part met at one end only is
    kept when a long rule lies on its line (the last piece of a worn rule).
    """
    count, labels, stats = label_with_stats(mask)
    if count <= 1:
        return mask
    near = cv2.dilate(crossing, np.ones((reach, reach), np.uint8))
    if not horizontal:  # work along rows either way
        near, anchors, stats = near.T, anchors.T, stats[:, [1, 0, 3, 2, 4]]
    keep = np.zeros(count, dtype=bool)
    for index in range(1, count):
        x, y, w, h = (int(v) for v in stats[index, :4])
        band = near[y : y + h]
        first, last = band[:, x].any(), band[:, x + w - 1].any()
        middle = band[:, x + reach : max(x + reach, x + w - reach)].any()
        in_line = first != last and anchors[max(0, y - reach) : y + h + reach].any()
        keep[index] = bool(middle or (first and last) or in_line)
    return select(labels, keep)


# A run shorter than this (inches) with ink along one side is the flat top or foot of a line of glyphs
# (a 5-digit code in a serif face, its serifs bridged), not a rule: a rule has paper on both sides.
GLYPH_EDGE_INCHES = 1.0
GLYPH_EDGE_SIDE_INK = 0.3


def _without_glyph_edges(long_runs: np.ndarray, closed: np.ndarray, dpi: float, horizontal: bool,
                         crossing: np.ndarray | None = None, reach: int = 1) -> np.ndarray:
    """``long_runs`` without the short ones that lie along the top or bottom (left or right) of glyph ink,
    or are thicker than a rule.

    A short run that long ``crossing`` runs meet (within ``reach``) at both ends is a rule closing a
    cell, even with text printed flush against it (a name column's rule beside its names): a line of
    glyphs does not stop exactly on two rules. A short run thicker than a rule is a line of glyphs
    the closing along the direction fused into a bar (北京-11 p7: the ``000000`` of ``53.000000``,
    flush against a column rule, was painted out as a rule), held to the thinness short runs are.
    """
    count, labels, stats = label_with_stats(long_runs)
    if count <= 1:
        return long_runs
    ink, boxes = (closed, stats) if horizontal else (closed.T, stats[:, [1, 0, 3, 2, 4]])
    near = None
    if crossing is not None:
        near = cv2.dilate(crossing, np.ones((2 * reach + 1, 2 * reach + 1), np.uint8))
        near = near if horizontal else near.T
    gap = max(2, int(round(dpi * 0.015)))
    thickest = max(4, int(dpi * THIN_RULE_INCHES))
    keep = np.ones(count, dtype=bool)
    keep[0] = False
    for index in range(1, count):
        x, y, w, h = (int(v) for v in boxes[index, :4])
        if w >= dpi * GLYPH_EDGE_INCHES:
            continue
        if near is not None and near[y : y + h, x].any() and near[y : y + h, x + w - 1].any():
            continue
        if h > thickest:  # a whole line of glyphs closed into a bar (000000 set tight), not a rule
            keep[index] = False
            continue
        above = ink[max(0, y - gap - 1) : max(0, y - 1), x : x + w].any(axis=0).mean() if y > 1 else 0.0
        below = ink[y + h + 1 : y + h + gap + 1, x : x + w].any(axis=0).mean() if y + h + 1 < ink.shape[0] else 0.0
        keep[index] = max(above, below) < GLYPH_EDGE_SIDE_INK
    return select(labels, keep)


def _holding(mask: np.ndarray, wanted: np.ndarray, seeds: np.ndarray | None) -> np.ndarray:
    """The components of ``mask`` with a pixel of ``wanted``, where only those holding one of ``seeds``
    (None: too many to list) may lack one."""
    if seeds is None:
        count, labels = label(mask)
        return select_labels(labels, count, labels[wanted > 0])
    if not len(seeds):
        return mask
    return drop_components(mask, seeds, lambda window, part: cv2.countNonZero(cv2.bitwise_and(wanted[window], part)) > 0)


def _thin_parts(closed: np.ndarray, crossing: np.ndarray, dpi: float, horizontal: bool, asked: np.ndarray) -> np.ndarray:
    """Ink (crossing rules taken away) in components no thicker across the direction than a rule.

    Right only at the pixels of ``asked``, the only ones the caller reads:
    when they are few, only their components are measured.
    """
    alone = cv2.bitwise_and(closed, cv2.bitwise_not(cv2.dilate(crossing, np.ones((3, 3), np.uint8))))
    limit = max(4, int(dpi * THIN_RULE_INCHES))
    seeds = few_seeds(cv2.bitwise_and(asked, alone))
    if seeds is not None:
        across = 0 if horizontal else 1  # the window's rows or columns
        return drop_components(alone, seeds, lambda window, _: window[across].stop - window[across].start <= limit)
    _, labels, stats = label_with_stats(alone)
    thin = stats[:, cv2.CC_STAT_HEIGHT if horizontal else cv2.CC_STAT_WIDTH] <= limit
    thin[0] = False
    return select(labels, thin)


def find_table_regions(masks: LineMasks, dpi: float) -> list[TableRegion]:
    """Ruling structures large enough to be tables, top to bottom.

    A structure is a group of connected rule components; pieces of a badly
    broken grid that came apart (each at least ``PIECE_INCHES`` long) join
    when they come within the longest bridged gap of each other, while text
    strokes, too short, never do. Nearness is by pixels, not boxes, so a frame
    around the whole page (a deskewed scan's edge) does not swallow the table.
    """
    reach = max_rule_gap(dpi) | 1
    # Worked out in the window the rules occupy (plus both dilations), in the window's coordinates.
    rows, cols = ink_window(cv2.bitwise_or(masks.horizontal, masks.vertical), 4 + reach)
    if rows.stop <= rows.start:
        return []
    grid = cv2.bitwise_or(masks.horizontal[rows, cols], masks.vertical[rows, cols])
    joined = cv2.dilate(grid, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, labels, stats = label_with_stats(joined)
    stats[:, 0] += cols.start
    stats[:, 1] += rows.start
    min_width, min_height = int(dpi * 1.0), int(dpi * 0.25)
    big = np.zeros(count, dtype=bool)
    big[1:] = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]) >= dpi * PIECE_INCHES
    group_of = _joined_groups(labels, stats, big, reach, (rows.start, cols.start))
    regions = []
    for group in np.unique(group_of[1:]):
        members = np.flatnonzero(group_of == group)
        members = members[members > 0]
        rect = union(
            Rect(int(stats[m, 0]), int(stats[m, 1]), int(stats[m, 0] + stats[m, 2]), int(stats[m, 1] + stats[m, 3]))
            for m in members
        )
        if rect.width < min_width or rect.height < min_height:
            continue
        window = labels[rect.y0 - rows.start : rect.y1 - rows.start, rect.x0 - cols.start : rect.x1 - cols.start]
        own = select_labels(window, count, members)
        horizontal = cv2.bitwise_and(masks.horizontal[rect.y0 : rect.y1, rect.x0 : rect.x1], own)
        vertical = cv2.bitwise_and(masks.vertical[rect.y0 : rect.y1, rect.x0 : rect.x1], own)
        ink = masks.ink[rect.y0 : rect.y1, rect.x0 : rect.x1]
        regions.append(TableRegion(rect=rect, horizontal=horizontal, vertical=vertical, ink=ink))
    return sorted(regions, key=lambda region: (region.rect.y0, region.rect.x0))


def _joined_groups(
    labels: np.ndarray, stats: np.ndarray, big: np.ndarray, reach: int, origin: tuple[int, int]
) -> np.ndarray:
    """Each component's group number: big components within ``reach`` of each other share one, the rest are alone.

    ``stats`` are in page coordinates, ``labels`` in the window's, whose top-left is ``origin`` (row, column).
    """
    count = len(big)
    group_of = np.arange(count)
    members = np.flatnonzero(big)
    if len(members) < 2:  # a lone big component has nothing to join
        return group_of
    _, groups = label(cv2.dilate(select(labels, big), np.ones((reach, reach), np.uint8)))
    # Each big component joins the group its pixels fall in (all fall in one: the groups are
    # its dilation's components), read at one of its pixels.
    for member in members:
        x, y, width = int(stats[member, 0]) - origin[1], int(stats[member, 1]) - origin[0], int(stats[member, 2])
        first = x + int(np.argmax(labels[y, x : x + width] == member))  # the bbox's top row holds one
        group_of[member] = count + int(groups[y, first])
    return group_of
