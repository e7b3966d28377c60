"""Row semantics: each body row's classification code, level, name, parent and total flag.

Codes come from one 科目编码 column ("2011301", or "201"/"20113"/"2011301"
by level), from split 类|款|项 columns ("201 | 13 | 01", the 类 column left
blank on 款 rows and so on, so context fills it), or from the front of a
name cell when a scan joined them. 功能分类 codes are 3/5/7 digits for
类/款/项; 经济分类 codes (301, 30101; 501, 50101) are 3/5 for 类/款. Unit
codes (单位代码) nest by prefix and enclose the classification rows below them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from table_reconstruct.semantics import classification
from table_reconstruct.semantics.column_roles import (
    CODE_COLUMNS,
    LABEL_COLUMNS,
    SPLIT_CODE_COLUMN_SETS,
    UNIT_CODE_COLUMNS,
    amount_columns,
    code_columns,
    column_named,
    printed_code_columns,
)
from table_reconstruct.model import RowInfo, Table
from table_reconstruct.cells.numbers import AmountKind, read_amount
from table_reconstruct.cells.text_normalize import has_cjk

TOTAL_NAMES = frozenset({"合计", "总计", "本年收入合计", "本年支出合计", "收入总计", "支出总计", "收入合计", "支出合计",
                         "本年收入总计", "本年支出总计"})
# A code before its name, apart by a space, a dash or a colon ("201 一般公共服务支出", "2010801-行政运行").
_LEADING_CODE = re.compile(r"^\s*\[?(\d{3}(?:\s*\d{2}){0,2})\]?(\s*[-－—–:：]?\s*)(?![\d年.,，])(.*)$")
_LEADING_DIGITS = re.compile(r"^\s*(\d+)\s*(.*)$")
_NAME_PUNCT = re.compile(r"[\s:：]+")


@dataclass(frozen=True)
class RowCode:
    """A row's code and the kind of code list it belongs to: function, econ or unit."""

    code: str
    kind: str


def normalized_name(text: str) -> str:
    """A name for comparison: no spaces, no colons (``收入合计:`` is ``收入合计``)."""
    return _NAME_PUNCT.sub("", text or "")


def is_total_name(text: str) -> bool:
    return normalized_name(text) in TOTAL_NAMES


def split_leading_code(text: str, spaced_only: bool = False) -> tuple[Optional[str], str]:
    """``"2011301行政运行"`` -> (``"2011301"``, ``"行政运行"``); (None, text) when no code leads.

    ``spaced_only`` asks for a space between code and name, for label cells
    where digits can begin a name ("12345热线平台").
    """
    match = _LEADING_CODE.match(text or "")
    if not match or (spaced_only and not match.group(2)):
        return None, text
    return re.sub(r"\s+", "", match.group(1)), match.group(3).strip()


def code_and_name(text: str, spaced_only: bool = False) -> tuple[Optional[str], str]:
    """A classification code (3, 5 or 7 digits of a 功能/经济 list) leading a label, and the name after it."""
    code, rest = split_leading_code(text, spaced_only)
    if code and len(code) in (3, 5, 7) and code[0] in "235":
        return code, rest
    return None, text


def code_kind(code: str) -> str:
    """经济分类 codes start with 3 or 5 (301…, 501…); 功能分类 codes with 2."""
    return "econ" if code[:1] in ("3", "5") else "function"


def code_level(code: str, kind: str) -> Optional[str]:
    if kind == "unit":
        return None
    if kind == "econ" and len(code) == 7:
        return None
    return classification.code_level(code)


def classification_parent(code: str, kind: str) -> Optional[str]:
    """The enclosing code in the classification itself (20113 for 2011301); None at the top."""
    return classification.parent_code(code) if kind in ("function", "econ") else None


def _first_label_column(table: Table, codes: set[int]) -> Optional[int]:
    """The names' column: by canonical name unless it holds codes, else the first column neither amounts nor codes."""
    for name in LABEL_COLUMNS:
        col = column_named(table, name)
        if col is not None and col not in codes:
            return col
    amounts = set(amount_columns(table))
    for column in table.columns:
        if column.index not in amounts and column.index not in codes:
            return column.index
    return None


def _split_codes(cells: Sequence[str], context: list[str]) -> Optional[str]:
    """Join 类|款|项 parts, taking blank leading parts from the rows above (``context``)."""
    parts = [re.sub(r"\s+", "", c) for c in cells]
    if not any(parts):
        return None
    widths, ends = (3, 2, 2), (3, 5, 7)
    for i, part in enumerate(parts):
        if part and not part.isdigit():
            return None
        if len(part) > widths[i] and len(part) in ends:  # a whole code written in one part
            whole = [part[:3], part[3:5], part[5:7]]
            parts = [p for p in whole if p] + [""] * (3 - len([p for p in whole if p]))
            break
    last = max(i for i, p in enumerate(parts) if p)
    for i in range(last + 1):
        if not parts[i]:
            parts[i] = context[i] if i < len(context) else ""
    code = "".join(parts[: last + 1])
    context[:] = parts[: last + 1] + [""] * (2 - last)
    return code if len(code) == ends[last] else None


def _row_code(texts: Sequence[str], table: Table, context: list[str], unnamed: Sequence[int] = ()) -> tuple[Optional[RowCode], str]:
    """This row's code (if any) and text left over in a code cell (a name that crept in).

    ``unnamed``: code columns found by their content (``printed_code_columns``), read last.
    """
    for names in SPLIT_CODE_COLUMN_SETS:
        split = [column_named(table, name) for name in names]
        if any(c is not None for c in split):
            code = _split_codes([texts[c] if c is not None else "" for c in split], context)
            if code:
                return RowCode(code, code_kind(code)), ""
    for name in CODE_COLUMNS:
        col = column_named(table, name)
        if col is not None and texts[col].strip():
            code, rest = split_leading_code(texts[col])
            if code:
                return RowCode(code, code_kind(code)), rest
    for name in UNIT_CODE_COLUMNS:
        col = column_named(table, name)
        if col is not None and texts[col].strip():
            match = _LEADING_DIGITS.match(texts[col])
            if match:
                return RowCode(match.group(1), "unit"), match.group(2)
    for col in unnamed:
        code, rest = split_leading_code(texts[col])
        if code:
            return RowCode(code, code_kind(code)), rest
    return None, ""


def _encloses(outer: RowCode, inner: RowCode) -> bool:
    """Does ``outer``'s row add up ``inner``'s row (a 类 its 款, a unit its classification rows)?"""
    if outer.kind == "unit":
        return inner.kind != "unit" or (inner.code.startswith(outer.code) and len(inner.code) > len(outer.code))
    return inner.kind == outer.kind and inner.code.startswith(outer.code) and len(inner.code) > len(outer.code)


def row_semantics(table: Table) -> list[RowInfo]:
    """One ``RowInfo`` per body row, in order."""
    body = table.body_rows()
    code_cols = code_columns(table)
    unnamed = sorted(printed_code_columns(table))
    label = _first_label_column(table, code_cols)
    amounts = amount_columns(table)
    context: list[str] = ["", "", ""]
    coded_table = bool(code_cols)
    infos: list[RowInfo] = []
    codes: list[Optional[RowCode]] = []
    for offset, texts in enumerate(body):
        row = table.header_rows + offset
        code, rest = _row_code(texts, table, context, unnamed)
        name = texts[label].strip() if label is not None else ""
        if code is None and name:
            leading, remainder = code_and_name(name, spaced_only=not coded_table)
            if leading and remainder:
                code, name = RowCode(leading, code_kind(leading)), remainder
        if rest:
            name = rest + name
        if not name:  # "合计" printed across the code columns
            name = next((texts[c].strip() for c in sorted(code_cols) if has_cjk(texts[c]) and not split_leading_code(texts[c])[0]), "")
        info = RowInfo(row=row, name=name or None, is_total=any(is_total_name(t) for t in texts if t))
        if code is not None:
            info.code, info.level = code.code, code_level(code.code, code.kind)
            info.parent = classification_parent(code.code, code.kind)
        infos.append(info)
        codes.append(code)
    has_amount = [any(read_amount(texts[c]).kind is AmountKind.NUMBER for c in amounts) for texts in body]
    _join_wrapped_names(infos, codes, has_amount)
    _link_parents(infos, codes, [tuple(texts[c].strip() for c in amounts) for texts in body])
    return infos


def _join_wrapped_names(infos: list[RowInfo], codes: list[Optional[RowCode]], has_amount: list[bool]) -> None:
    """In a coded table, a row with only a name is the wrapped part of a neighbour's name."""
    if not any(codes):
        return
    for i, info in enumerate(infos):
        if codes[i] or has_amount[i] or info.is_total or not info.name:
            continue
        after = i + 1 < len(infos) and not infos[i + 1].name and (codes[i + 1] or has_amount[i + 1])
        if after:
            target = infos[i + 1]
            target.name = info.name
        elif i > 0 and infos[i - 1].continuation_of is None and infos[i - 1].name:
            target = infos[i - 1]
            target.name = (target.name or "") + info.name
        else:
            continue
        info.continuation_of, info.name = target.row, None


def has_deeper_level(code: RowCode) -> bool:
    """Does the classification go on below this code (a 类 or 款 of 功能分类, a 类 of 经济分类)?"""
    return len(code.code) < {"function": 7, "econ": 5}.get(code.kind, 0)


def _link_parents(infos: list[RowInfo], codes: list[Optional[RowCode]], figures: Sequence[tuple[str, ...]]) -> None:
    """Each coded row's ``parent_row``: the nearest row above that encloses it; totals reset the chain.

    A row printed with the very code, name and figures of the row right above it is that row's
    only part, its own deeper code misprinted (款 21999 其他支出 502.00 over 项 "21999" 其他支出
    502.00): a code names one row of a list, never two siblings. (Rows that repeat a code beside
    other classifications, each with its own figures, stay siblings.)
    """
    stack: list[tuple[int, RowCode]] = []
    for index, (info, code) in enumerate(zip(infos, codes)):
        if info.is_total:
            stack.clear()
            continue
        if code is None:
            continue
        if index and stack and stack[-1][0] == infos[index - 1].row and stack[-1][1] == code and has_deeper_level(code) \
                and info.name and infos[index - 1].name == info.name and figures[index] == figures[index - 1] \
                and any(figures[index]):
            info.parent_row = stack[-1][0]
            stack.append((info.row, code))
            continue
        while stack and not _encloses(stack[-1][1], code):
            stack.pop()
        info.parent_row = stack[-1][0] if stack else None
        if info.parent is None and code.kind == "unit" and stack and stack[-1][1].kind == "unit":
            info.parent = stack[-1][1].code
        stack.append((info.row, code))
