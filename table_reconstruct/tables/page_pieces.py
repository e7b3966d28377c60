"""Where a piece of a table sits on its page: column boundaries, boxes, pages; for the page join.

Pieces are compared by their columns' boundaries measured from the table's
left edge as a share of the page width, so a shifted scan still fits.
"""

from __future__ import annotations

import statistics
from typing import Optional, Sequence

from table_reconstruct.tables.header import is_body_row
from table_reconstruct.model import BBox, Finding, Table

PageSize = tuple[float, float]  # width, height in PDF points

# Column edges may differ by this share of the page width (scan shift, line width, deskew residue).
EDGE_TOLERANCE = 0.02
# "Near the bottom" / "near the top": within this share of the page height from that edge.
BOTTOM_REACH = 0.2
TOP_REACH = 0.25


def column_edges(table: Table, page: int) -> list[Optional[float]]:
    """x of each column boundary (n_cols + 1 values, None where no cell marks it) on ``page``."""
    lefts: dict[int, list[float]] = {}
    rights: dict[int, list[float]] = {}
    for cell in table.cells:
        if cell.page != page:
            continue
        lefts.setdefault(cell.col, []).append(cell.bbox[0])
        rights.setdefault(cell.col + cell.colspan, []).append(cell.bbox[2])
    edges: list[Optional[float]] = []
    for k in range(table.n_cols + 1):
        values = lefts.get(k, []) + rights.get(k, [])
        edges.append(statistics.median(values) if values else None)
    return edges


def same_columns(a: Sequence[Optional[float]], width_a: float, b: Sequence[Optional[float]], width_b: float) -> bool:
    """Same boundaries, measured from each table's left edge as a share of its page width."""
    if len(a) != len(b) or a[0] is None or b[0] is None:
        return False
    pairs = [((x - a[0]) / width_a, (y - b[0]) / width_b) for x, y in zip(a, b) if x is not None and y is not None]
    return len(pairs) >= 2 and all(abs(x - y) <= EDGE_TOLERANCE for x, y in pairs)


def edge_indexes(head: Sequence[Optional[float]], head_width: float, edges: Sequence[Optional[float]],
                  width: float) -> Optional[list[int]]:
    """For each of ``head``'s column boundaries, the index of the same boundary in ``edges`` (None if one has none)."""
    if None in head or edges[0] is None or len(head) < 2:
        return None
    found = []
    for x in head:
        share = (x - head[0]) / head_width
        match = [k for k, y in enumerate(edges) if y is not None and abs((y - edges[0]) / width - share) <= EDGE_TOLERANCE]
        if not match:
            return None
        found.append(match[0])
    return found if found[0] == 0 and found[-1] == len(edges) - 1 and found == sorted(set(found)) else None


def page_bbox(table: Table, page: int) -> BBox:
    """The table's box on ``page``: the union of its cells there (or its bbox)."""
    boxes = [c.bbox for c in table.cells if c.page == page]
    if not boxes:
        return table.bbox or (0.0, 0.0, 0.0, 0.0)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def page_bboxes(table: Table) -> list[BBox]:
    if table.page_bboxes and len(table.page_bboxes) == len(table.pages):
        return list(table.page_bboxes)
    if len(table.pages) == 1 and table.bbox is not None:
        return [tuple(table.bbox)]
    return [page_bbox(table, page) for page in table.pages]


def shift_finding(finding: Finding, offset: int) -> Finding:
    return finding.model_copy(update={"cells": [(row + offset, col) for row, col in finding.cells]})


def first_page_of(table: Table) -> Optional[int]:
    return min(table.pages) if table.pages else None


def last_page_of(table: Table) -> Optional[int]:
    return max(table.pages) if table.pages else None


def starts_with_body(table: Table) -> bool:
    """Does the table's top row read as data (a code, a numbered item, an amount) rather than a header?"""
    top = sorted((c for c in table.cells if c.row == 0), key=lambda c: c.col)
    return is_body_row([c.text for c in top])
