"""Cell truth of a real born-digital page: its ruling lines and its text layer.

Real disclosures printed from Excel/WPS draw every cell border as a vector
path and carry an exact text layer. A character belongs to the cell whose
four rules enclose its centre; characters with the same four rules make one
truth cell. Nothing of the pipeline is used here (it reads the rendered
rules with OpenCV), so the truth stays independent of what it scores.
Characters not enclosed on all four sides (titles, captions, notes, page
numbers) are not table cells and are not scored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterable, Optional, Sequence

Segment = tuple[float, float, float]  # (position, start, end): y, x0, x1 of a horizontal; x, y0, y1 of a vertical
BBox = tuple[float, float, float, float]

# A rule is a path edge this straight and at least LONG long (points): the short ends of a thin
# filled rectangle drawn as a rule are not rules across it.
STRAIGHT = 0.6
LONG = 2.0
# Rules closer than this (points) are one rule (a thin filled rectangle has two edges).
SAME_RULE = 1.2
# A rule must reach this close (points) to a character centre to bound it.
REACH = 1.0

_NUMBER = re.compile(r"^[-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class TruthCell:
    """One ruled cell of the text layer: text in reading order, bbox in points (top-left origin)."""

    page: int
    bbox: BBox
    text: str

    @property
    def centre(self) -> tuple[float, float]:
        return (self.bbox[0] + self.bbox[2]) / 2, (self.bbox[1] + self.bbox[3]) / 2

    @property
    def kind(self) -> Optional[str]:
        return cell_kind(self.text)


def normalize(text: str) -> str:
    """NFKC, no whitespace: what two readings of one cell must share."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def cell_kind(text: str) -> Optional[str]:
    """``number`` (integers, zeros, separators, sign, decimals), ``name`` (holds Chinese) or None (dashes, blanks)."""
    norm = normalize(text)
    if _NUMBER.match(norm):
        return "number"
    if _CJK.search(norm):
        return "name"
    return None


def number_value(text: str) -> Optional[tuple[Decimal, str]]:
    """A number's value and, for integers, its digits (so that a code 03 is not 3); None if not a number."""
    norm = normalize(text).replace("−", "-")
    if not _NUMBER.match(norm):
        return None
    try:
        value = Decimal(norm.replace(",", ""))
    except InvalidOperation:
        return None
    return value, ("" if "." in norm else norm.replace(",", "").lstrip("-"))


def scored_cells(cells: Sequence[TruthCell]) -> list[TruthCell]:
    """The cells a reader must get right: every number, and every name on a row that holds a number.

    A name cell counts when a number cell's vertical centre lies within its
    height or its own centre within the number's (a name wrapped over two
    lines beside one-line amounts): the rows of data, not headers repeated on
    a continued page, titles or notes that happen to sit in a ruled box.
    """
    numbers = [c for c in cells if c.kind == "number"]

    def on_a_data_row(cell: TruthCell) -> bool:
        y0, y1, cy = cell.bbox[1], cell.bbox[3], cell.centre[1]
        return any(y0 < n.centre[1] < y1 or n.bbox[1] < cy < n.bbox[3] for n in numbers)

    return [c for c in cells if c.kind == "number" or (c.kind == "name" and on_a_data_row(c))]


def merge_segments(segments: Iterable[Segment]) -> list[Segment]:
    """Collinear pieces joined: rules drawn as many short strokes or as thin rectangles become one each."""
    merged: list[list[float]] = []
    for pos, a, b in sorted(segments):
        near = (rule for rule in reversed(merged) if pos - rule[0] <= SAME_RULE)
        rule = next((r for r in near if a <= r[2] + SAME_RULE and b >= r[1] - SAME_RULE), None)
        if rule is None:
            merged.append([pos, a, b])
        else:
            rule[1], rule[2] = min(rule[1], a), max(rule[2], b)
    return [(p, a, b) for p, a, b in merged]


def enclosing_box(x: float, y: float, horizontals: Sequence[Segment], verticals: Sequence[Segment]) -> Optional[BBox]:
    """The nearest rule on each side of ``(x, y)`` that spans it, or None when a side is open."""
    left = max((p for p, a, b in verticals if p < x and a - REACH <= y <= b + REACH), default=None)
    right = min((p for p, a, b in verticals if p > x and a - REACH <= y <= b + REACH), default=None)
    top = max((p for p, a, b in horizontals if p < y and a - REACH <= x <= b + REACH), default=None)
    bottom = min((p for p, a, b in horizontals if p > y and a - REACH <= x <= b + REACH), default=None)
    if None in (left, right, top, bottom):
        return None
    return round(left, 1), round(top, 1), round(right, 1), round(bottom, 1)


def reading_order(chars: Sequence[tuple[float, float, float, str]]) -> str:
    """Characters ``(cx, cy, height, text)`` of one cell as lines top to bottom, each left to right."""
    lines: list[list[tuple[float, float, float, str]]] = []
    for char in sorted(chars, key=lambda c: c[1]):
        if lines and abs(char[1] - lines[-1][0][1]) <= 0.5 * max(char[2], lines[-1][0][2]):
            lines[-1].append(char)
        else:
            lines.append([char])
    return "".join(c[3] for line in lines for c in sorted(line, key=lambda c: c[0]))


def truth_cells(page: int, chars: Sequence[tuple[float, float, float, float, str]],
                horizontals: Sequence[Segment], verticals: Sequence[Segment]) -> list[TruthCell]:
    """Group the characters ``(x0, y0, x1, y1, text)`` of one page into their ruled cells."""
    groups: dict[BBox, list[tuple[float, float, float, str]]] = {}
    for x0, y0, x1, y1, text in chars:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        box = enclosing_box(cx, cy, horizontals, verticals)
        if box is not None:
            groups.setdefault(box, []).append((cx, cy, y1 - y0, text))
    return [TruthCell(page, box, reading_order(group)) for box, group in sorted(groups.items(), key=lambda g: (g[0][1], g[0][0]))]
