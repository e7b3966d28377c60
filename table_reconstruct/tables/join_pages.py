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

A row printed half on each page is read as one row, and a header row left
alone at the foot of a page goes on top of its table (``split_rows``).

A grid of a single row is a table only as such a continuation (the last row
of a table run over onto the next page) or as such a header row; any other is
a box around a line of text and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from rapidfuzz import fuzz

from table_reconstruct.model import Table
from table_reconstruct.tables.page_pieces import (BOTTOM_REACH, TOP_REACH, PageSize, column_edges, first_page_of, last_page_of, page_bbox,
                          page_bboxes, same_columns, shift_finding, starts_with_body)
from table_reconstruct.tables.split_rows import header_on_top, row_goes_on
from table_reconstruct.cells.text_normalize import matching_key
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


def continuation(previous: Table, nxt: Table, page_sizes: Mapping[int, PageSize],
                 previous_is_last: bool = True, next_is_first: bool = True,
                 running: frozenset[str] = frozenset()) -> JoinCheck:
    """Does ``nxt`` continue ``previous`` on the following page? (``running``: running headers' keys)"""
    last_page, next_page = last_page_of(previous), first_page_of(nxt)
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
            "page_bboxes": page_bboxes(first) + page_bboxes(second),
            "unit": first.unit or second.unit,
            "department": first.department or second.department,
            "rows": first.rows + [r.model_copy(update={"row": r.row + offset}) for r in second.rows if r.row >= drop_rows],
            "validation": first.validation + [shift_finding(f, offset) for f in second.validation],
        },
        deep=True,
    )


def repeated_header_rows(previous: Table, nxt: Table) -> int:
    """How many top rows of ``nxt`` repeat ``previous``'s header (0 when they do not)."""
    rows = previous.header_rows
    if rows < 1 or nxt.n_rows <= rows:
        return 0
    head, again = _header_block(previous, rows), _header_block(nxt, rows)
    if head[0] != again[0] or not head[1]:
        return 0
    return rows if fuzz.ratio(head[1], again[1]) >= HEADER_SIMILARITY else 0


def _header_block(table: Table, rows: int) -> tuple[list[tuple[int, int, int, int]], str]:
    """The top ``rows`` rows: their cell spans, and their text in reading order (OCR may differ slightly)."""
    cells = sorted((c for c in table.cells if c.row < rows), key=lambda c: (c.row, c.col))
    return [(c.row, c.col, c.rowspan, c.colspan) for c in cells], "|".join(matching_key(c.text) for c in cells)


def _same_title(a: Optional[str], b: str) -> bool:
    key_b = matching_key(b)
    if any(mark in key_b for mark in CONTINUED_MARKS):
        return True
    return a is not None and matching_key(a) == key_b


def _is_last_on_page(tables: Sequence[Table], index: int) -> bool:
    page = last_page_of(tables[index])
    return all(first_page_of(t) != page for t in tables[index + 1 :])


def _is_first_on_page(tables: Sequence[Table], index: int) -> bool:
    page = first_page_of(tables[index])
    return all(last_page_of(t) != page for t in tables[:index])
