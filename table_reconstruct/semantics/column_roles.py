"""Which columns of a table hold codes, row labels and amounts, by canonical name first.

Rules downstream key on canonical column names (vocabulary/columns.yaml) so
they work whatever form a table is; the column's body is only consulted to
tell amount columns from text columns a vocabulary does not name.
"""

from __future__ import annotations

import re
from typing import Optional

from table_reconstruct.model import Table
from table_reconstruct.cells.numbers import AmountKind, read_amount

SPLIT_CODE_COLUMNS = ("功能分类_类", "功能分类_款", "功能分类_项")
# Economic classification printed split as 类 | 款 (301 | 01), in the per-form vocabularies.
SPLIT_CODE_COLUMN_SETS = (
    SPLIT_CODE_COLUMNS,
    ("部门经济分类_类", "部门经济分类_款"),
    ("政府经济分类_类", "政府经济分类_款"),
)
CODE_COLUMNS = ("科目编码", "功能分类科目编码", "经济分类科目编码", "政府经济分类科目编码")
UNIT_CODE_COLUMNS = ("单位代码", "部门代码")
LABEL_COLUMNS = ("科目名称", "单位名称", "项目名称", "收入项目", "支出项目", "项目", "政府经济分类科目名称", "支出用途项目")
# Canonical names that hold codes whatever the form: *编码, *代码 and split *_类/_款/_项 parts.
_CODE_NAME = re.compile(r"(编码|代码|_类|_款|_项)$")
# A 功能/经济 classification code alone in a cell: 3, 5 or 7 digits, 类 codes starting 2, 3 or 5.
_CLASSIFICATION_CODE = re.compile(r"^\s*([235]\d{2}(?:\d{2}){0,2})\s*$")
# Share of a column's filled body cells that must be codes for it to be a code column nobody named.
CODE_SHARE = 0.6
# Header words of columns that hold numbers which are not amounts (row numbers, codes).
_NOT_AMOUNT_HEADER = re.compile(r"行\s*次|栏\s*次|代\s*码|编\s*码|序\s*号|名\s*称|类\s*型|单\s*位$|备\s*注")


def columns_named(table: Table, canonical: str) -> list[int]:
    return [c.index for c in table.columns if c.canonical == canonical]


def column_named(table: Table, canonical: str) -> Optional[int]:
    """The column with this canonical name; None when absent or ambiguous (named twice)."""
    found = columns_named(table, canonical)
    return found[0] if len(found) == 1 else None


def body_texts(table: Table, col: int) -> list[str]:
    """The texts of one column's body rows (merged cells count at their origin)."""
    rows = table.body_rows()
    return [row[col] if col < len(row) else "" for row in rows]


def is_label_column(table: Table, col: int) -> bool:
    column = table.columns[col] if col < len(table.columns) else None
    if column is not None and column.canonical in LABEL_COLUMNS:
        return True
    if column is not None and column.canonical is None and column.header_path and column.header_path[-1] in ("项目", "项 目"):
        return True
    return False


def is_code_column(table: Table, col: int) -> bool:
    column = table.columns[col] if col < len(table.columns) else None
    if column is None:
        return False
    return bool(column.canonical and _CODE_NAME.search(column.canonical))


def printed_code_columns(table: Table) -> set[int]:
    """Columns holding classification codes that the header mapping did not name so (a merged
    "科目编码科目名称" header, or one mapped to 科目名称): their filled body cells are mostly
    codes that nest (301 above 30101), and nothing else in them is a number.

    Nesting is what tells codes from integer amounts: 301 and 30101 in one column are a 类 and its 款.
    """
    rows = table.body_rows()
    found = set()
    for column in table.columns:
        col = column.index
        if is_code_column(table, col):
            continue
        body = [row[col].strip() for row in rows if col < len(row) and row[col].strip()]
        codes = {m.group(1) for m in map(_CLASSIFICATION_CODE.match, body) if m}
        coded = sum(1 for text in body if _CLASSIFICATION_CODE.match(text))
        others = [text for text in body if not _CLASSIFICATION_CODE.match(text)]
        nested = any(code[:cut] in codes for code in codes for cut in (3, 5) if len(code) > cut)
        if nested and coded >= max(2, CODE_SHARE * len(body)) and not any(re.search(r"\d", t) for t in others):
            found.add(col)
    return found


def code_columns(table: Table) -> set[int]:
    """Every column holding codes: named so (``is_code_column``) or found by its content."""
    return {c.index for c in table.columns if is_code_column(table, c.index)} | printed_code_columns(table)


def key_value_columns(table: Table) -> set[int]:
    """The unnamed columns of a form whose top row pairs keys with values, not headings with columns.

    A 绩效目标表 opens "项目名称 | 水库移民后期扶持 | 主管部门 | 重庆市水利局": two label keys, each followed
    by a value no vocabulary names. Such a row is the form's first entry, read as its header; the
    columns under its values hold values of keys (当年预算 | 12,700.00) and indicators' figures,
    with no heading of their own to name.
    """
    top = sorted((c for c in table.cells if c.row == 0), key=lambda c: c.col)
    pairs = sum(
        1 for key, value in zip(top, top[1:])
        if any(is_label_column(table, k) for k in range(key.col, key.col + key.colspan))
        and value.text.strip()
        and not any(table.columns[v].canonical for v in range(value.col, min(value.col + value.colspan, table.n_cols)))
    )
    return {c.index for c in table.columns if c.canonical is None} if pairs >= 2 else set()


def amount_columns(table: Table) -> list[int]:
    """Columns whose body is amounts: mostly numbers, dashes or blanks, and not codes or row numbers."""
    result = []
    not_amounts = printed_code_columns(table) | key_value_columns(table)
    for column in table.columns:
        col = column.index
        if is_code_column(table, col) or is_label_column(table, col) or col in not_amounts:
            continue
        if column.canonical is None and any(_NOT_AMOUNT_HEADER.search(p) for p in column.header_path):
            continue
        if column.canonical and _NOT_AMOUNT_HEADER.search(column.canonical):
            continue
        kinds = [read_amount(t).kind for t in body_texts(table, col)]
        numbers = sum(k is AmountKind.NUMBER for k in kinds)
        texts = sum(k is AmountKind.TEXT for k in kinds)
        if (numbers or column.canonical) and texts <= max(1, numbers // 3):
            result.append(col)
    return result
