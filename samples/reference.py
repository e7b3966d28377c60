"""The real tables of ``shared/reference/*.txt`` as ``Table``s, for checks on real published numbers.

Those files are disclosures converted to text: a title line ending in 表, a
``单位：万元`` line, then the table as tab-separated rows, its multi-level
header flattened into several rows. Header cells are given the span up to
the next filled cell of their row (and down over empty cells below), then
the pipeline's own header paths and column mapping name the columns.
"""

from __future__ import annotations

import re
from pathlib import Path

from table_reconstruct.tables.header import header_paths, is_body_row
from table_reconstruct.semantics.header_mapping import map_columns
from table_reconstruct.model import Cell, Column, Table
from table_reconstruct.cells.text_normalize import normalize_cell_text

_TITLE = re.compile(r"^[#\s]*(.*表)\s*$")
_UNIT = re.compile(r"单位[:：]\s*(\S+)")


# The converter drops the leading empty cells of lower header rows, so deep headers cannot be rebuilt
# from the text; the standard 支出表 layout (13 or 14 columns under this top row) is written out instead.
_EXPENDITURE_PATHS = [["科目编码", "类"], ["科目编码", "款"], ["科目编码", "项"], ["单位代码"], ["单位（科目名称）"],
                      ["合计"], ["基本支出", "小计"], ["基本支出", "人员经费", "工资福利支出"],
                      ["基本支出", "人员经费", "对个人和家庭的补助"], ["基本支出", "公用经费", "商品和服务支出"],
                      ["基本支出", "公用经费", "资本性支出"], ["项目支出", "小计"], ["项目支出", "其他运转类"],
                      ["项目支出", "特定目标类"]]


def known_layout(header: list[list[str]], n_cols: int) -> list[list[str]] | None:
    """Leaf header paths of a standard 支出表 recognised by its top header row, else None."""
    top = [t for t in header[0] if t] if header else []
    if len(top) == 6 and top[0] == "科目编码" and top[3:] == ["合计", "基本支出", "项目支出"] \
            and n_cols in (13, 14):
        return _EXPENDITURE_PATHS[:n_cols]
    return None


def _header_spans(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Spans of the filled header cells: right to the next filled cell, down over empty cells."""
    spans = []
    n_cols = len(rows[0]) if rows else 0
    for r, row in enumerate(rows):
        filled = [c for c, text in enumerate(row) if text]
        for i, c in enumerate(filled):
            end = filled[i + 1] if i + 1 < len(filled) else n_cols
            down = 1
            while r + down < len(rows) and not any(rows[r + down][c:end]):
                down += 1
            spans.append((r, c, down, end - c))
    return spans


def table_from_rows(title: str, unit: str | None, rows: list[list[str]]) -> Table:
    n_cols = max(len(r) for r in rows)
    grid = [[normalize_cell_text(t) for t in r] + [""] * (n_cols - len(r)) for r in rows]
    header_rows = 0
    while header_rows < len(grid) - 1 and not is_body_row(grid[header_rows]):
        header_rows += 1
    header_rows = max(1, header_rows)
    spans = _header_spans(grid[:header_rows])
    texts = {(r, c): grid[r][c] for r in range(len(grid)) for c in range(n_cols)}
    paths = known_layout(grid[:header_rows], n_cols) or header_paths(n_cols, header_rows, spans, texts)
    columns = [Column(index=i, header_path=p, canonical=m.canonical, score=m.score)
               for i, (p, m) in enumerate(zip(paths, map_columns(paths)))]
    cells = [Cell(row=r, col=c, rowspan=rs, colspan=cs, text=grid[r][c]) for r, c, rs, cs in spans]
    cells += [Cell(row=r, col=c, text=grid[r][c]) for r in range(header_rows, len(grid)) for c in range(n_cols)]
    return Table(title=title, unit=unit, n_rows=len(grid), n_cols=n_cols, header_rows=header_rows, cells=cells,
                 columns=columns)


def reference_tables(path: Path) -> list[Table]:
    """Every tab-separated table of one reference file, with the title and unit printed above it."""
    tables: list[Table] = []
    title, unit, rows = None, None, []

    def flush() -> None:
        if title and len(rows) > 1:
            tables.append(table_from_rows(title, unit, rows))

    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if not line.strip():
            continue
        if rows:
            flush()
            title, unit, rows = None, None, []
        if (m := _TITLE.match(line)) and len(line) < 60:
            title, unit = m.group(1).strip(), None
        elif m := _UNIT.search(line):
            unit = m.group(1)
    flush()
    return tables
