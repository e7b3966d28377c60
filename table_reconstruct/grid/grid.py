"""Grid reconstruction: separators from line projections, merged cells from missing edges.

The atomic grid is every row separator crossed with every column separator.
Two neighbouring atomic cells belong to one merged cell when the rule between
them is absent, which is how rowspan/colspan of multi-level headers show up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from table_reconstruct.grid.geometry import Rect, cluster_positions
from table_reconstruct.grid.lines import TableRegion, min_line_length

# Share of an edge that must be inked for the rule to count as present; below
# one half so broken or faint scan lines still separate cells.
EDGE_PRESENT = 0.45
# A rule may stray this many pixels sideways along one cell edge (scan jitter, residual skew).
MAX_WANDER_PX = 2.5
# An open side: the crossing rules run on this far (inches) past the last
# separator, and at least this share of them agree where they end.
OPEN_SIDE_INCHES = 0.15
OPEN_SIDE_AGREE = 0.6
# Two row (or column) rules closer than this (inches, ~1.3 mm) hold no text between them: a double
# rule, or a stray stroke beside a rule. Kept apart, the sliver between them has no measurable
# side edges, counts as open everywhere and merges a whole block of cells into one.
MIN_GAP_INCHES = 0.05


@dataclass(frozen=True)
class GridCell:
    """A (possibly merged) cell: grid position, spans and its pixel box on the page."""

    row: int
    col: int
    rowspan: int
    colspan: int
    rect: Rect


@dataclass(frozen=True)
class Grid:
    rect: Rect
    row_lines: tuple[int, ...]
    col_lines: tuple[int, ...]
    cells: tuple[GridCell, ...]

    @property
    def n_rows(self) -> int:
        return len(self.row_lines) - 1

    @property
    def n_cols(self) -> int:
        return len(self.col_lines) - 1


def separator_positions(line_mask: np.ndarray, axis: int, min_length: int, gap: int) -> list[int]:
    """Positions (along the other axis) where ``line_mask`` has a rule at least ``min_length`` long.

    ``axis=1`` finds rows holding horizontal rules, ``axis=0`` columns holding vertical ones.
    """
    inked = (line_mask > 0).sum(axis=axis)
    return cluster_positions([int(i) for i in np.flatnonzero(inked >= min_length)], gap)


def edge_coverage(line_mask: np.ndarray, horizontal: bool, position: int, start: int, end: int, band: int) -> float:
    """Share of the edge from ``start`` to ``end`` at ``position`` that carries a rule."""
    if end <= start:
        return 0.0
    lo, hi = max(0, position - band), position + band + 1
    window = line_mask[lo:hi, start:end] if horizontal else line_mask[start:end, lo:hi].T
    if window.size == 0:
        return 0.0
    return float((window > 0).any(axis=0).mean())


class RuleCoverage:
    """``edge_coverage`` for many edges of one mask: each rule's inked columns counted once, then
    any stretch of it in constant time (prefix sums). Same values as ``edge_coverage``."""

    def __init__(self, line_mask: np.ndarray, horizontal: bool, band: int) -> None:
        self.mask, self.horizontal, self.band = line_mask, horizontal, band
        self._prefix: dict[int, np.ndarray] = {}

    def __call__(self, position: int, start: int, end: int) -> float:
        length = self.mask.shape[1] if self.horizontal else self.mask.shape[0]
        if start < 0:  # negative slice bounds count from the end: leave those to the plain function
            return edge_coverage(self.mask, self.horizontal, position, start, end, self.band)
        start, end = min(start, length), min(end, length)
        if end <= start:
            return 0.0
        prefix = self._prefix.get(position)
        if prefix is None:
            lo, hi = max(0, position - self.band), position + self.band + 1
            strip = self.mask[lo:hi] if self.horizontal else self.mask[:, lo:hi].T
            inked = (strip > 0).any(axis=0) if strip.shape[0] else np.zeros(length, dtype=bool)
            prefix = self._prefix[position] = np.concatenate(([0], np.cumsum(inked)))
        return float(int(prefix[end] - prefix[start]) / (end - start))


def edge_wander(line_mask: np.ndarray, horizontal: bool, position: int, start: int, end: int, band: int) -> float:
    """How far (px) the rule along an edge strays sideways: ~0 for a ruled line, more for a curve.

    The middle of the inked pixels across the band is taken at every step
    along the edge; a straight rule keeps it still, while the flat-looking
    stretch of a round seal's ring drifts by several pixels.
    """
    lo, hi = max(0, position - band), position + band + 1
    window = line_mask[lo:hi, start:end] if horizontal else line_mask[start:end, lo:hi].T
    inked = window > 0
    columns = inked.any(axis=0)
    if not columns.any():
        return 0.0
    offsets = np.arange(window.shape[0], dtype=np.float64)[:, None]
    middles = (inked * offsets).sum(axis=0)[columns] / inked.sum(axis=0)[columns]
    if middles.min() == middles.max():  # a crisp rule's middle never moves (and np.percentile is slow)
        return 0.0
    # Spread of the middle 90 %, so a speck touching the rule does not count as a curve.
    low, high = np.percentile(middles, [5, 95])
    return float(high - low)


def merge_atomic_cells(
    n_rows: int, n_cols: int, open_right: set[tuple[int, int]], open_down: set[tuple[int, int]]
) -> list[tuple[int, int, int, int]]:
    """Group atomic cells joined by missing edges into rectangles ``(row, col, rowspan, colspan)``.

    ``open_right`` holds (i, j) when no rule separates (i, j) from (i, j+1);
    ``open_down`` when none separates (i, j) from (i+1, j). Groups that come out
    non-rectangular are widened to their bounding box, merging any group they
    then overlap, so every grid position belongs to exactly one cell.
    """
    parent = list(range(n_rows * n_cols))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for i, j in open_right:
        join(i * n_cols + j, i * n_cols + j + 1)
    for i, j in open_down:
        join(i * n_cols + j, (i + 1) * n_cols + j)

    changed = True
    while changed:
        changed = False
        bounds: dict[int, list[int]] = {}
        for k in range(n_rows * n_cols):
            i, j = divmod(k, n_cols)
            b = bounds.setdefault(find(k), [i, j, i, j])
            b[0], b[1], b[2], b[3] = min(b[0], i), min(b[1], j), max(b[2], i), max(b[3], j)
        for root, (r0, c0, r1, c1) in bounds.items():
            for i in range(r0, r1 + 1):
                for j in range(c0, c1 + 1):
                    if find(i * n_cols + j) != find(root):
                        join(i * n_cols + j, root)
                        changed = True
    spans = {}
    for k in range(n_rows * n_cols):
        i, j = divmod(k, n_cols)
        b = spans.setdefault(find(k), [i, j, i, j])
        b[2], b[3] = max(b[2], i), max(b[3], j)
    return sorted((r0, c0, r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in spans.values())


def build_grid(region: TableRegion, dpi: float) -> Grid | None:
    """The grid of one table region, or None when it is not a table (fewer than 2×2 lines)."""
    gap = max(2, int(dpi / 40))
    min_length = min_line_length(dpi)
    rows = separator_positions(region.horizontal, axis=1, min_length=min_length, gap=gap)
    cols = separator_positions(region.vertical, axis=0, min_length=min_length, gap=gap)
    rows, cols = _drop_unsupported(region, rows, cols, gap)
    min_gap = int(dpi * MIN_GAP_INCHES)
    rows = merge_close_separators(region.horizontal, rows, min_gap, horizontal=True)
    cols = merge_close_separators(region.vertical, cols, min_gap, horizontal=False)
    if len(rows) < 2 or len(cols) < 2:
        return None
    reach = int(dpi * OPEN_SIDE_INCHES)
    cols = close_open_sides(region.horizontal, rows, cols, gap, reach, horizontal=True)
    rows = close_open_sides(region.vertical, cols, rows, gap, reach, horizontal=False)
    open_right, open_down = _open_edges(region, rows, cols, gap)
    ox, oy = region.rect.x0, region.rect.y0
    cells = tuple(
        GridCell(r, c, rs, cs, Rect(ox + cols[c], oy + rows[r], ox + cols[c + cs], oy + rows[r + rs]))
        for r, c, rs, cs in merge_atomic_cells(len(rows) - 1, len(cols) - 1, open_right, open_down)
    )
    return Grid(
        rect=region.rect,
        row_lines=tuple(oy + y for y in rows),
        col_lines=tuple(ox + x for x in cols),
        cells=cells,
    )


def merge_close_separators(mask: np.ndarray, positions: list[int], min_gap: int, horizontal: bool) -> list[int]:
    """``positions`` with each run of separators closer than ``min_gap`` kept as its most inked one."""
    if len(positions) < 2:
        return positions
    inked = (mask > 0).sum(axis=1 if horizontal else 0)
    kept: list[int] = [positions[0]]
    for position in positions[1:]:
        if position - kept[-1] >= min_gap:
            kept.append(position)
        elif inked[min(position, len(inked) - 1)] > inked[min(kept[-1], len(inked) - 1)]:
            kept[-1] = position
    return kept


def rule_extents(mask: np.ndarray, positions: list[int], band: int, horizontal: bool) -> list[tuple[int, int]]:
    """First and last inked index of the rule at each position, along its own direction."""
    extents = []
    for position in positions:
        lo, hi = max(0, position - band), position + band + 1
        strip = mask[lo:hi] if horizontal else mask[:, lo:hi].T
        inked = np.flatnonzero((strip > 0).any(axis=0))
        if inked.size:
            extents.append((int(inked[0]), int(inked[-1]) + 1))
    return extents


def close_open_sides(
    mask: np.ndarray, crossing: list[int], separators: list[int], band: int, reach: int, horizontal: bool
) -> list[int]:
    """``separators`` plus an outer one on each side the table left open.

    A table drawn without, say, its left border still has row rules that run
    on to where that border would be; when most of the ``crossing`` rules
    (row rules for column separators, ``horizontal=True``) end well beyond
    the outermost separator, a separator is put where they end.
    """
    extents = rule_extents(mask, crossing, band, horizontal)
    if len(extents) < 2:
        return separators
    need = OPEN_SIDE_AGREE * len(extents)
    starts = [start for start, _ in extents if start < separators[0] - reach]
    ends = [end for _, end in extents if end > separators[-1] + reach]
    result = list(separators)
    if len(starts) >= need:
        result.insert(0, int(np.median(starts)))
    if len(ends) >= need:
        result.append(int(np.median(ends)) - 1)
    return result


def _open_edges(region: TableRegion, rows: list[int], cols: list[int], band: int):
    open_right, open_down = set(), set()
    vertical, horizontal = RuleCoverage(region.vertical, False, band), RuleCoverage(region.horizontal, True, band)
    for i in range(len(rows) - 1):
        for j in range(len(cols) - 1):
            if j + 1 < len(cols) - 1 and vertical(cols[j + 1], rows[i] + band, rows[i + 1] - band) < EDGE_PRESENT:
                open_right.add((i, j))
            if i + 1 < len(rows) - 1 and horizontal(rows[i + 1], cols[j] + band, cols[j + 1] - band) < EDGE_PRESENT:
                open_down.add((i, j))
    return open_right, open_down


def _drop_unsupported(region: TableRegion, rows: list[int], cols: list[int], band: int):
    """Remove inner separators with no straight rule along any cell edge (stray strokes, seal rings)."""

    ink = region.ink

    def supported(mask, horizontal: bool, position: int, others: list[int]) -> bool:
        coverage = RuleCoverage(mask, horizontal, band)
        return any(
            coverage(position, a + band, b - band) >= EDGE_PRESENT
            and edge_wander(mask if ink is None else ink, horizontal, position, a + band, b - band, band) <= MAX_WANDER_PX
            for a, b in zip(others, others[1:])
        )

    rows = [y for k, y in enumerate(rows) if k in (0, len(rows) - 1) or supported(region.horizontal, True, y, cols)]
    cols = [x for k, x in enumerate(cols) if k in (0, len(cols) - 1) or supported(region.vertical, False, x, rows)]
    return rows, cols
