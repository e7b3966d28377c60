"""Join a table that continues on the next page into one table.

Disclosures printed from Excel break long tables over pages: the next page
either repeats the header rows or just goes on with body rows from its top
margin, with no title of its own. Pages are reconstructed one at a time, so
each page holds its own fragment; this pure step, run once all pages are
done, decides which fragments are one table and joins them.

A fragment continues the previous one when all of these hold:

* it is the first table of the very next page, the previous one the last of its page;
* both have the same number of columns at the same x-positions (relative to
  the table's left edge, as a share of the page width, so a shifted scan still fits);
* the next one has no title of its own (or the same title, or one marked 续), or it
  begins with a body row (a code, a numbered item, an amount): a new table begins
  with its header, so the caption above a piece that begins with data is the page's
  running header;
* and either the next one repeats the header rows (they are dropped), or the
  previous fragment reaches near the bottom of its page and the next one
  starts near the top of its.

A repeated header is evidence enough: Excel printouts break pages by hand,
so a table often stops mid-page and goes on, header repeated, on the next.

A page's running header (the department's name and year atop every page) is
read as the caption of a fragment that has no title of its own; a "title"
that comes back on pages apart (after other tables) and differs from the
previous fragment's is taken for such a running header, not for a new
table's title; a table's own title repeated on each of its pages is not.

A row too tall for what is left of a page is printed in two: its cells'
first lines at the foot of one page, the rest atop the next (an amount
wrapped in a narrow column comes apart, 12,437.3 | 6). When the piece's first
row fills only columns the last row fills, and in one of them a number cut
short reads whole with the piece's text after it, the two are one row.

A grid of a single row is a table only as such a continuation (the last row
of a table run over onto the next page); one that continues nothing is a box
around a line of text and is left out.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from rapidfuzz import fuzz

from .form_columns import identify_table
from .header import header_paths, is_body_row
from .model import BBox, Column, Finding, Table
from .numbers import AmountKind, read_amount
from .text_normalize import matching_key

PageSize = tuple[float, float]  # width, height in PDF points

# Column edges may differ by this share of the page width (scan shift, line width, deskew residue).
EDGE_TOLERANCE = 0.02
# "Near the bottom" / "near the top": within this share of the page height from that edge.
BOTTOM_REACH = 0.2
TOP_REACH = 0.25
# Markers that a title belongs to a continuation, e.g. 一般公共预算基本支出表（续）.
CONTINUED_MARKS = ("续", "接上页", "续表")
# A repeated header read by OCR twice need not come out identical (0-100, rapidfuzz ratio).
HEADER_SIMILARITY = 90
# Fewest rows of a table that stands on its own; a one-row grid only ever continues one.
MIN_ROWS = 2


@dataclass(frozen=True)
class JoinCheck:
    """Why two fragments were (or were not) joined, for logs and tests."""

    joined: bool
    reason: str
    repeated_header_rows: int = 0
    # The piece's first row (after a repeated header) finishes the previous piece's last row.
    broken_row: bool = False


def join_continued_tables(tables: Sequence[Table], page_sizes: Mapping[int, PageSize]) -> list[Table]:
    """The tables with every continuation merged into the table it continues (order kept)."""
    running = running_titles([t for t in tables if t.n_rows >= MIN_ROWS])
    tables = continuing_pieces(tables, page_sizes, running)
    out: list[Table] = []
    for index, table in enumerate(tables):
        previous = out[-1] if out else None
        if previous is not None:
            check = continuation(previous, table, page_sizes, _is_last_on_page(tables, index - 1),
                                 _is_first_on_page(tables, index), running)
            if check.joined:
                out[-1] = join_two(previous, table, check.repeated_header_rows, check.broken_row)
                continue
        out.append(table)
    return out


def continuing_pieces(tables: Sequence[Table], page_sizes: Mapping[int, PageSize],
                      running: frozenset[str] = frozenset()) -> list[Table]:
    """``tables`` without the one-row grids that neither continue the table right before them
    nor open the one right after (a header row left at the foot of a page: it is put on top).

    They are dropped before any join, so a box around a line of text stands between no two tables.
    """
    pieces = list(tables)
    kept = []
    for index, table in enumerate(pieces):
        if table.n_rows < MIN_ROWS and not (index and continuation(
                pieces[index - 1], table, page_sizes, _is_last_on_page(pieces, index - 1),
                _is_first_on_page(pieces, index), running).joined):
            if index + 1 < len(pieces) and _is_last_on_page(pieces, index) and _is_first_on_page(pieces, index + 1):
                opened = header_on_top(table, pieces[index + 1], page_sizes, running)
                if opened is not None:
                    pieces[index + 1] = opened
            continue
        kept.append(table)
    return kept


def header_on_top(head: Table, table: Table, page_sizes: Mapping[int, PageSize],
                  running: frozenset[str] = frozenset()) -> Optional[Table]:
    """``table`` with ``head`` on top, when ``head`` is its first header row left at the foot of the page before.

    The row lies near the page bottom, the table near the next page's top with a header and no
    title of its own; each of the row's cells spans whole columns of the table (收入 over 项目名称 |
    金额). Header, form and columns are read again with the row on top, under its caption.
    """
    page, next_page = _last_page(head), _first_page(table)
    sizes = page_sizes.get(page) if page is not None else None, page_sizes.get(next_page) if next_page else None
    if page is None or next_page != page + 1 or not sizes[0] or not sizes[1]:
        return None
    if table.title and matching_key(table.title) not in running or starts_with_body(table) or starts_with_body(head):
        return None
    if sizes[0][1] - page_bbox(head, page)[3] > BOTTOM_REACH * sizes[0][1] \
            or page_bbox(table, next_page)[1] > TOP_REACH * sizes[1][1]:
        return None
    at = _edge_indexes(column_edges(head, page), sizes[0][0], column_edges(table, next_page), sizes[1][0])
    if at is None:
        return None
    rows = head.n_rows
    cells = [c.model_copy(update={"col": at[c.col], "colspan": at[c.col + c.colspan] - at[c.col]}) for c in head.cells]
    cells += [c.model_copy(update={"row": c.row + rows}) for c in table.cells]
    header_rows = rows + table.header_rows
    spans = [(c.row, c.col, c.rowspan, c.colspan) for c in cells]
    paths = header_paths(table.n_cols, header_rows, spans, {(c.row, c.col): c.text for c in cells})
    identity = identify_table(head.title, paths)
    return table.model_copy(update={
        "title": head.title, "unit": head.unit or table.unit, "department": head.department or table.department,
        "pages": head.pages + [p for p in table.pages if p not in head.pages], "n_rows": table.n_rows + rows,
        "header_rows": header_rows, "cells": cells, "bbox": head.bbox,
        "columns": [Column(index=i, header_path=path, canonical=match.canonical, score=match.score)
                    for i, (path, match) in enumerate(zip(paths, identity.columns))],
        "form": identity.form.form, "form_score": identity.form.score,
        "page_bboxes": _page_bboxes(head) + _page_bboxes(table),
        "rows": [r.model_copy(update={"row": r.row + rows}) for r in table.rows],
        "validation": [_shift_finding(f, rows) for f in table.validation],
    }, deep=True)


def _edge_indexes(head: Sequence[Optional[float]], head_width: float, edges: Sequence[Optional[float]],
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


def continuation(previous: Table, nxt: Table, page_sizes: Mapping[int, PageSize],
                 previous_is_last: bool = True, next_is_first: bool = True,
                 running: frozenset[str] = frozenset()) -> JoinCheck:
    """Does ``nxt`` continue ``previous`` on the following page? (``running``: running headers' keys)"""
    last_page, next_page = _last_page(previous), _first_page(nxt)
    if last_page is None or next_page != last_page + 1:
        return JoinCheck(False, "not on the next page")
    if not (previous_is_last and next_is_first):
        return JoinCheck(False, "another table lies between them")
    if previous.n_cols != nxt.n_cols:
        return JoinCheck(False, f"column count {previous.n_cols} vs {nxt.n_cols}")
    prev_size, next_size = page_sizes.get(last_page), page_sizes.get(next_page)
    if not prev_size or not next_size:
        return JoinCheck(False, "page size unknown")
    if not same_columns(column_edges(previous, last_page), prev_size[0], column_edges(nxt, next_page), next_size[0]):
        return JoinCheck(False, "column positions differ")
    if nxt.title and matching_key(nxt.title) not in running and not _same_title(previous.title, nxt.title) \
            and not starts_with_body(nxt):
        return JoinCheck(False, "next table has a title of its own")
    repeated = repeated_header_rows(previous, nxt)
    if repeated:
        return JoinCheck(True, "header rows repeated", repeated, row_goes_on(previous, nxt, repeated))
    prev_box, next_box = page_bbox(previous, last_page), page_bbox(nxt, next_page)
    if prev_size[1] - prev_box[3] > BOTTOM_REACH * prev_size[1]:
        return JoinCheck(False, "previous table ends well above the page bottom")
    if next_box[1] > TOP_REACH * next_size[1]:
        return JoinCheck(False, "next table starts well below the page top")
    return JoinCheck(True, "continues at the top of the next page without a header", 0, row_goes_on(previous, nxt, 0))


def starts_with_body(table: Table) -> bool:
    """Does the table's top row read as data (a code, a numbered item, an amount) rather than a header?"""
    top = sorted((c for c in table.cells if c.row == 0), key=lambda c: c.col)
    return is_body_row([c.text for c in top])


def running_titles(tables: Sequence[Table]) -> frozenset[str]:
    """Keys of the titles that come back after other tables: running headers atop every page.

    A table's own title repeated on each of its pages forms one run of consecutive pages; a
    running header read as the caption of headerless continuations forms several, apart.
    """
    pages: dict[str, set[int]] = {}
    for table in tables:
        if table.title and table.pages:
            pages.setdefault(matching_key(table.title), set()).add(min(table.pages))
    return frozenset(key for key, on in pages.items() if _runs(sorted(on)) >= 2)


def _runs(pages: list[int]) -> int:
    """How many runs of consecutive page numbers ``pages`` (sorted) make."""
    return sum(1 for k, page in enumerate(pages) if k == 0 or page != pages[k - 1] + 1)


def row_goes_on(previous: Table, nxt: Table, first: int) -> bool:
    """Does row ``first`` of ``nxt`` finish the last row of ``previous`` (one row printed over the page break)?

    Its filled cells lie in columns the last row fills, and in one of them the last row's number,
    cut short (fewer decimals than the column's other amounts), reads whole with its text after it.
    """
    last = previous.n_rows - 1
    if first >= nxt.n_rows or last < previous.header_rows:
        return False
    above = {c.col: c.text.strip() for c in previous.cells if c.row == last and c.text.strip()}
    below = {c.col: c.text.strip() for c in nxt.cells if c.row == first and c.text.strip()}
    if not below or not set(below) <= set(above):
        return False
    return any(_cut_number(previous, col, above[col], text) for col, text in below.items())


def _cut_number(table: Table, col: int, head: str, tail: str) -> bool:
    start, whole = read_amount(head), read_amount(head + tail)
    if start.kind is not AmountKind.NUMBER or whole.kind is not AmountKind.NUMBER:
        return False
    decimals = Counter(amount.decimals for cell in table.cells
                       if cell.col == col and table.header_rows <= cell.row < table.n_rows - 1
                       and (amount := read_amount(cell.text)).kind is AmountKind.NUMBER).most_common(1)
    return bool(decimals) and start.decimals < decimals[0][0] == whole.decimals


def join_two(first: Table, second: Table, drop_rows: int = 0, broken_row: bool = False) -> Table:
    """``second``'s rows appended below ``first``'s (its first ``drop_rows`` repeated header rows left out).

    Cells keep their own page and bbox; columns, caption and header stay those of ``first``.
    ``broken_row``: ``second``'s first row (after those) is the rest of ``first``'s last row,
    its texts go on that row's cells.
    """
    if broken_row:
        rest = {c.col: c.text.strip() for c in second.cells if c.row == drop_rows and c.text.strip()}
        last = first.n_rows - 1
        first = first.model_copy(update={"cells": [
            cell.model_copy(update={"text": cell.text.strip() + rest[cell.col]})
            if cell.row == last and cell.col in rest else cell for cell in first.cells]})
        drop_rows += 1
    offset = first.n_rows - drop_rows
    moved = [
        cell.model_copy(update={"row": cell.row + offset})
        for cell in second.cells
        if cell.row >= drop_rows
    ]
    return first.model_copy(
        update={
            "pages": first.pages + [p for p in second.pages if p not in first.pages],
            "n_rows": first.n_rows + second.n_rows - drop_rows,
            "cells": first.cells + moved,
            "page_bboxes": _page_bboxes(first) + _page_bboxes(second),
            "unit": first.unit or second.unit,
            "department": first.department or second.department,
            "rows": first.rows + [r.model_copy(update={"row": r.row + offset}) for r in second.rows if r.row >= drop_rows],
            "validation": first.validation + [_shift_finding(f, offset) for f in second.validation],
        },
        deep=True,
    )


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


def repeated_header_rows(previous: Table, nxt: Table) -> int:
    """How many top rows of ``nxt`` repeat ``previous``'s header (0 when they do not)."""
    rows = previous.header_rows
    if rows < 1 or nxt.n_rows <= rows:
        return 0
    head, again = _header_block(previous, rows), _header_block(nxt, rows)
    if head[0] != again[0] or not head[1]:
        return 0
    return rows if fuzz.ratio(head[1], again[1]) >= HEADER_SIMILARITY else 0


def page_bbox(table: Table, page: int) -> BBox:
    """The table's box on ``page``: the union of its cells there (or its bbox)."""
    boxes = [c.bbox for c in table.cells if c.page == page]
    if not boxes:
        return table.bbox or (0.0, 0.0, 0.0, 0.0)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _shift_finding(finding: Finding, offset: int) -> Finding:
    return finding.model_copy(update={"cells": [(row + offset, col) for row, col in finding.cells]})


def _page_bboxes(table: Table) -> list[BBox]:
    if table.page_bboxes and len(table.page_bboxes) == len(table.pages):
        return list(table.page_bboxes)
    if len(table.pages) == 1 and table.bbox is not None:
        return [tuple(table.bbox)]
    return [page_bbox(table, page) for page in table.pages]


def _header_block(table: Table, rows: int) -> tuple[list[tuple[int, int, int, int]], str]:
    """The top ``rows`` rows: their cell spans, and their text in reading order (OCR may differ slightly)."""
    cells = sorted((c for c in table.cells if c.row < rows), key=lambda c: (c.row, c.col))
    return [(c.row, c.col, c.rowspan, c.colspan) for c in cells], "|".join(matching_key(c.text) for c in cells)


def _same_title(a: Optional[str], b: str) -> bool:
    key_b = matching_key(b)
    if any(mark in key_b for mark in CONTINUED_MARKS):
        return True
    return a is not None and matching_key(a) == key_b


def _first_page(table: Table) -> Optional[int]:
    return min(table.pages) if table.pages else None


def _last_page(table: Table) -> Optional[int]:
    return max(table.pages) if table.pages else None


def _is_last_on_page(tables: Sequence[Table], index: int) -> bool:
    page = _last_page(tables[index])
    return all(_first_page(t) != page for t in tables[index + 1 :])


def _is_first_on_page(tables: Sequence[Table], index: int) -> bool:
    page = _first_page(tables[index])
    return all(_last_page(t) != page for t in tables[:index])


