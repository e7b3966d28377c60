"""The tidy long table of values: one row per amount, with what a reader needs to use it.

Pure functions from a table to rows. Row code and name come from the table's
``rows`` (row semantics) when filled in; until then from the row's label cells:
the code columns joined (类|款|项 → "2010301") and the nearest text label to the
left of the amount, so two-sided tables (收入项目 金额 | 支出项目 金额) name
each amount by its own side.
"""

from __future__ import annotations

import re
from decimal import Decimal

from table_reconstruct.semantics.column_roles import code_columns, is_label_column
from table_reconstruct.model import Cell, DocumentResult, Finding, RowInfo, Table
from table_reconstruct.cells.numbers import parse_amount
from table_reconstruct.semantics.rows import code_and_name, split_leading_code
from table_reconstruct.cells.text_normalize import has_cjk

UNIT_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
NORMALIZED_UNIT = "元"
# Until row semantics fill in ``Table.rows``: a row named like a total (合计, 收入总计 …).
_TOTAL_NAME = re.compile(r"(合\s*计|总\s*计)$")

VIOLATION = "violation"
NO_FINDING = "ok"


def to_yuan(value: Decimal | None, unit: str | None) -> Decimal | None:
    """The amount in 元, or None when the printed unit is unknown (nothing is guessed)."""
    factor = UNIT_FACTORS.get((unit or "").replace(" ", ""))
    if value is None or factor is None:
        return None
    return value * factor


def label_columns(table: Table) -> set[int]:
    """Columns that label rows: code and name columns (``column_roles``), or unmapped columns holding no amount at all."""
    labels = code_columns(table) | {c.index for c in table.columns if is_label_column(table, c.index)}
    for column in table.columns:
        if column.canonical is None:
            body = [c for c in table.cells if c.col == column.index and c.row >= table.header_rows and c.text.strip()]
            if body and not any(parse_amount(c.text) is not None for c in body):
                labels.add(column.index)
    return labels


def row_labels(cells: dict[int, Cell], labels: set[int], codes: set[int], col: int) -> tuple[str | None, str | None, int | None]:
    """(code, name, the name's column) of the amount at ``col`` from the label cells of its row (``codes``: code columns).

    Code cells are joined (类|款|项 → "2010301"), each without a name printed beside
    its code ("2010801-行政运行"). A name cell that leads with its own code
    ("201 一般公共服务支出", "30101-基本工资") gives code and name as one pair.
    """
    code_parts, code_names = [], []
    for c in sorted(cells):
        if c < col and c in codes and cells[c].text.strip():
            part, rest = split_leading_code(cells[c].text)
            if part is None and has_cjk(cells[c].text):  # "合计" printed across the code columns
                code_names.append(cells[c].text.strip())
                continue
            code_parts.append(part or cells[c].text.strip())
            if part and rest:
                code_names.append(rest)
    code = "".join(code_parts) or None
    names = [c for c in sorted(cells) if c < col and c in labels and c not in codes and cells[c].text.strip()]
    name = cells[names[-1]].text.strip() if names else (code_names[-1] if code_names else None)
    if names:
        own_code, rest = code_and_name(name, spaced_only=True)
        if own_code and rest:
            code, name = own_code, rest
    return code, name, (names[-1] if names else None)


def flagged_cells(result: DocumentResult) -> dict[tuple[int, int, int], list[str]]:
    """(table, row, col) → rules of the findings that involve the cell."""
    flagged: dict[tuple[int, int, int], list[str]] = {}

    def flag(key: tuple[int, int, int], finding: Finding) -> None:
        flagged.setdefault(key, []).append(finding.rule)

    for index, table in enumerate(result.tables):
        for finding in table.validation:
            for row, col in finding.cells:
                flag((index, row, col), finding)
            for ref in finding.refs:
                flag((ref.table, ref.row, ref.col), finding)
    for finding in result.validation:
        for ref in finding.refs:
            flag((ref.table, ref.row, ref.col), finding)
    return flagged


def tidy_rows(result: DocumentResult, index: int, year: int | None, flagged: dict) -> list[dict]:
    """One dict per body cell of table ``index``; label cells carry no value."""
    table = result.tables[index]
    labels = label_columns(table)
    codes = code_columns(table)
    canonical = {column.index: column.canonical for column in table.columns}
    row_info: dict[int, RowInfo] = {info.row: info for info in table.rows}
    by_row: dict[int, dict[int, Cell]] = {}
    for cell in table.cells:
        if cell.row >= table.header_rows:
            by_row.setdefault(cell.row, {})[cell.col] = cell
    rows = []
    for row, cells in sorted(by_row.items()):
        info = row_info.get(row)
        for col, cell in sorted(cells.items()):
            value = None if col in labels else (cell.value if cell.value is not None else parse_amount(cell.text))
            code, name, name_col = row_labels(cells, labels, codes, col)
            # Row semantics describe the row's first (left) side; an amount on the right side of a
            # two-sided table (收入 | 支出) is named by its own label to the left.
            if info and (name_col is None or name_col == min(labels, default=name_col)):
                code, name = info.code or code, info.name or name
                is_total = bool(info.is_total)
            else:
                is_total = bool(name and _TOTAL_NAME.search(name))
            rules = flagged.get((index, row, col), [])
            rows.append(
                {
                    "row": row,
                    "column_index": col,
                    "title": table.title,
                    "canonical_column": canonical.get(col),
                    "text": cell.text,
                    "confidence": cell.confidence,
                    "department": table.department,
                    "year": year,
                    "form": table.form,
                    "row_code": code,
                    "row_name": name,
                    "is_total": is_total,
                    "value": value,
                    "unit": table.unit,
                    "value_yuan": to_yuan(value, table.unit),
                    "validation_status": VIOLATION if rules else NO_FINDING,
                    "validation_rules": ",".join(dict.fromkeys(rules)) or None,
                }
            )
    return rows
