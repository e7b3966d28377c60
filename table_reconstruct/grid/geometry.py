"""Geometry objects and pure functions on them, kept apart from image processing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True)
class Rect:
    """Axis-aligned box in pixels; x1/y1 are exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def area(self) -> int:
        return max(0, self.width) * max(0, self.height)

    @property
    def center_y(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2

    def shrink(self, margin: int) -> "Rect":
        """The box with ``margin`` pixels taken off each side (never inverted)."""
        mx = min(margin, max(0, (self.width - 1) // 2))
        my = min(margin, max(0, (self.height - 1) // 2))
        return Rect(self.x0 + mx, self.y0 + my, self.x1 - mx, self.y1 - my)

    def expand(self, margin: int, limit_w: int, limit_h: int) -> "Rect":
        return Rect(max(0, self.x0 - margin), max(0, self.y0 - margin), min(limit_w, self.x1 + margin), min(limit_h, self.y1 + margin))

    def to_points(self, points_per_pixel: float) -> tuple[float, float, float, float]:
        s = points_per_pixel
        return (round(self.x0 * s, 2), round(self.y0 * s, 2), round(self.x1 * s, 2), round(self.y1 * s, 2))


def intersection(a: Rect, b: Rect) -> Rect | None:
    box = Rect(max(a.x0, b.x0), max(a.y0, b.y0), min(a.x1, b.x1), min(a.y1, b.y1))
    return box if box.width > 0 and box.height > 0 else None


def overlap_fraction(inner: Rect, outer: Rect) -> float:
    """Share of ``inner``'s area that lies inside ``outer``."""
    common = intersection(inner, outer)
    return common.area / inner.area if common and inner.area else 0.0


def union(rects: Iterable[Rect]) -> Rect:
    rects = list(rects)
    return Rect(min(r.x0 for r in rects), min(r.y0 for r in rects), max(r.x1 for r in rects), max(r.y1 for r in rects))


def cluster_positions(positions: Sequence[int], gap: int) -> list[int]:
    """Merge sorted pixel positions closer than ``gap`` into their centres.

    A ruling line several pixels thick shows up as consecutive rows (or
    columns) in a projection; each run becomes one separator position.
    """
    if not positions:
        return []
    ordered = sorted(positions)
    groups: list[list[int]] = [[ordered[0]]]
    for value in ordered[1:]:
        if value - groups[-1][-1] <= gap:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [round(sum(group) / len(group)) for group in groups]


def runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """Half-open index ranges where ``flags`` is true, in order."""
    spans, start = [], None
    for index, flag in enumerate(flags):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            spans.append((start, index))
            start = None
    if start is not None:
        spans.append((start, len(flags)))
    return spans


def merge_close_runs(spans: Sequence[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """Join runs separated by fewer than ``gap`` units (e.g. the halves of 二 or a broken line)."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start - merged[-1][1] < gap:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
