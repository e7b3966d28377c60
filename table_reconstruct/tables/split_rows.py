"""Rows and header rows that a page break split off a table, put back where they belong.

A row too tall for what is left of a page is printed in two: its cells'
first lines at the foot of one page, the rest atop the next (an amount
wrapped in a narrow column comes apart, 12,437.3 | 6). A table's first header
row may be left alone under its title at the foot of a page, the rest of the
table atop the next (收入 | 支出 over 项目名称 | 金额 | 项目名称 | 金额).
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Optional

from table_reconstruct.semantics.form_columns import identify_table
from table_reconstruct.tables.header import header_paths
from table_reconstruct.model import Column, Table
from table_reconstruct.cells.numbers import AmountKind, read_amount
from table_reconstruct.tables.page_pieces import (BOTTOM_REACH, TOP_REACH, PageSize, column_edges, edge_indexes, first_page_of, last_page_of,
                          page_bbox, page_bboxes, shift_finding, starts_with_body)
from table_reconstruct.cells.text_normalize import matching_key


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


def header_on_top(head: Table, table: Table, page_sizes: Mapping[int, PageSize],
                  running: frozenset[str] = frozenset()) -> Optional[Table]:
    """``table`` with ``head`` on top, when ``head`` is its first header row left at the foot of the page before.

    The row lies near the page bottom, the table near the next page's top with a header and no
    title of its own; each of the row's cells spans whole columns of the table (收入 over 项目名称 |
    金额). Header, form and columns are read again with the row on top, under its caption.
    """
    page, next_page = last_page_of(head), first_page_of(table)
    sizes = page_sizes.get(page) if page is not None else None, page_sizes.get(next_page) if next_page else None
    if page is None or next_page != page + 1 or not sizes[0] or not sizes[1]:
        return None
    if table.title and matching_key(table.title) not in running or starts_with_body(table) or starts_with_body(head):
        return None
    if sizes[0][1] - page_bbox(head, page)[3] > BOTTOM_REACH * sizes[0][1] \
            or page_bbox(table, next_page)[1] > TOP_REACH * sizes[1][1]:
        return None
    at = edge_indexes(column_edges(head, page), sizes[0][0], column_edges(table, next_page), sizes[1][0])
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
        "page_bboxes": page_bboxes(head) + page_bboxes(table),
        "rows": [r.model_copy(update={"row": r.row + rows}) for r in table.rows],
        "validation": [shift_finding(f, rows) for f in table.validation],
    }, deep=True)
