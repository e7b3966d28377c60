"""Header rows versus body rows, and each leaf column's header path.

Budget tables put a multi-level header on top: the header block is every top
row until the first row that reads like data (a classification code, an
ordinal item such as 一、 or （一）, a total, or an amount), widened so no
merged header cell is cut in half.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

Position = tuple[int, int]
Span = tuple[int, int, int, int]  # row, col, rowspan, colspan

_AMOUNT = re.compile(r"^[-−]?[\d,，]*\d\.\d+$|^[-−]?\d{1,3}(,\d{3})+$")
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$|^\d{2}$")
_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十]+[、）)]")
_TOTAL = re.compile(r"^(合\s*计|总\s*计|本年.*合计|收入总计|支出总计|小\s*计)$")
_HEADER_MARK = re.compile(r"^(栏\s*次|行\s*次)$")


def is_body_row(texts: Sequence[str]) -> bool:
    """Does this row of cell texts (only cells that start in it) read like data?"""
    values = [t.strip() for t in texts if t and t.strip()]
    if not values or any(_HEADER_MARK.match(v) for v in values):
        return False
    first = values[0]
    if _CODE.match(first) or _ORDINAL.match(first):
        return True
    if _TOTAL.match(first) and len(values) > 1 and any(_AMOUNT.match(v) for v in values[1:]):
        return True
    return any(_AMOUNT.match(v) for v in values)


def is_column_number(text: str) -> bool:
    """栏次 labels and the column numbers under them name no column, so header paths skip them.

    行次 is different: it heads the column of row numbers, a real column.
    """
    return bool(re.fullmatch(r"栏\s*次|\d{1,2}", text.strip()))


def count_header_rows(n_rows: int, spans: Sequence[Span], texts: Mapping[Position, str]) -> int:
    """Number of header rows: at least one, never splitting a merged header cell."""
    header_end = 1
    row = 0
    while row < n_rows:
        header_end = max(header_end, row + 1, _span_end(spans, header_end))
        row = header_end
        if row >= n_rows:
            break
        starting = [texts.get((r, c), "") for r, c, _, _ in sorted(spans, key=lambda s: s[1]) if r == row]
        if is_body_row(starting):
            break
        header_end = row + 1
    return min(max(1, _span_end(spans, header_end)), n_rows)


def _span_end(spans: Sequence[Span], header_end: int) -> int:
    """Widen the header block until no cell starting inside it reaches below it."""
    end = header_end
    changed = True
    while changed:
        changed = False
        for r, _, rs, _ in spans:
            if r < end and r + rs > end:
                end, changed = r + rs, True
    return end


def header_paths(n_cols: int, header_rows: int, spans: Sequence[Span], texts: Mapping[Position, str]) -> list[list[str]]:
    """For every leaf column, the texts of the distinct header cells above it, top to bottom."""
    covering: dict[Position, Position] = {}
    for r, c, rs, cs in spans:
        for i in range(r, r + rs):
            for j in range(c, c + cs):
                covering[(i, j)] = (r, c)
    paths = []
    for col in range(n_cols):
        path: list[str] = []
        seen: set[Position] = set()
        for row in range(header_rows):
            origin = covering.get((row, col))
            if origin is None or origin in seen:
                continue
            seen.add(origin)
            text = texts.get(origin, "").strip()
            if is_column_number(text):
                continue
            if text and (not path or path[-1] != text):
                path.append(text)
        paths.append(path)
    return paths
