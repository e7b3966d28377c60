"""Row names settled by their classification code: the lexicon's spelling wins over a near OCR reading.

功能分类 and 经济分类 rows print a national code beside a name from a closed
list (``vocabulary/classification/*.csv`` and ``names.csv``, mined from the
text layers of real disclosures by ``python -m samples.lexicon``). When OCR
reads a row's code and a name within a few characters of one of the code's
names (a lost leading 一, 缴费 read as 激黄), that name is written instead;
the cell keeps its reading in ``raw_text`` and says so in ``corrections``,
which sends it to review. A reading far from every name of its code, or as
close to two different names, is left as read: the lexicon never supplies a
name the page does not support. The other way round, a name read exactly
that belongs to the code one misread digit away (``settle_code``) corrects
the code, noted the same way.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Optional

from rapidfuzz.distance import Levenshtein

from table_reconstruct.semantics.classification import join_code, lookup
from table_reconstruct.model import Table
from table_reconstruct.cells.text_normalize import matching_key

# Leading marks some regions print before a name (indentation dashes), kept as read.
_PREFIX = re.compile(r"^[-—–·•*\s]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
# A cell that starts with its own code: the code, then the mark printed between it and the name.
_LEADING_CODE = re.compile(r"^\[?(\d{3}(?:\s?\d{2}){0,2})\]?\s*([-—–~～;；:：_,，.·]?)\s*(?=[^\d\s])")
# Marks OCR reads for the hyphen between a code and its name (30101;基本工资, 3021101~差旅费).
_HYPHEN_LOOKALIKES = frozenset("-—–~～;；:：_,，.·")
# Cells of a column that must print the same mark after their code before it counts as the column's.
MIN_MARK_CONSENSUS = 3
# Most characters (share of the name's length, at least one) a reading may differ from the name it takes.
MAX_EDIT_SHARE = 0.34


@lru_cache(maxsize=1)
def _mined() -> dict[str, tuple[str, ...]]:
    """Names real disclosures print for each code (``names.csv``), printed in two documents or more."""
    text = resources.files("table_reconstruct").joinpath("vocabulary/classification/names.csv").read_text(encoding="utf-8")
    names: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if int(row["docs"]) >= 2:
            names.setdefault(row["code"], []).append(row["name"])
    return {code: tuple(found) for code, found in names.items()}


def names_for(code: str) -> tuple[str, ...]:
    """Every spelling of the code's name: the classification lists' and the ones real pages print."""
    entry = lookup(code)
    listed = entry.names if entry else ()
    return tuple(dict.fromkeys((*listed, *_mined().get(code, ()))))


def settle_name(code: str, text: str) -> Optional[str]:
    """The lexicon's name for ``code`` that ``text`` is a near misreading of, or None (right, or too far, or torn)."""
    prefix = _PREFIX.match(text)
    lead, core = (prefix.group(0), text[prefix.end():]) if prefix else ("", text)
    key = matching_key(core)
    if not key or not _CJK.search(key):
        return None
    best: dict[str, int] = {}
    for name in names_for(code):
        target = matching_key(name)
        if target == key:
            return None  # already one of the code's names
        distance = Levenshtein.distance(key, target)
        if distance <= max(1, int(MAX_EDIT_SHARE * len(target))):
            best[name] = distance
    if not best:
        return None
    nearest = min(best.values())
    winners = {matching_key(n) for n, d in best.items() if d == nearest}
    if len(winners) != 1:
        return None  # as near to two different names: doubtful, left as read
    name = min((n for n, d in best.items() if d == nearest), key=len)
    return lead + name


def settle_code(code: str, text: str) -> Optional[str]:
    """The code one digit away from ``code`` whose name ``text`` is exactly, where ``code``'s names are
    others and ``text`` is no near misreading of them; None otherwise (right, unknown, or ambiguous).

    OCR misreads a digit of a printed code as readily as a character of a name (北京-11 p7 on a 150-DPI
    scan: 30103-奖金 read 30105-奖金, a code no list or real page has). The name read whole and exactly
    is the stronger witness; a reading that fits two such neighbours, or none, is left as read.
    """
    key = matching_key(_PREFIX.sub("", text))
    if not key or not _CJK.search(key) or key in _name_keys(code) or settle_name(code, text) is not None:
        return None
    neighbours = {code[:i] + digit + code[i + 1:] for i in range(len(code)) for digit in "0123456789" if digit != code[i]}
    fitting = [other for other in sorted(neighbours) if key in _name_keys(other)]
    return fitting[0] if len(fitting) == 1 else None


def _name_keys(code: str) -> set[str]:
    return {matching_key(name) for name in names_for(code)}


def _with_digits(text: str, code: str) -> str:
    """``text`` (a printed code, perhaps with spaces or brackets) with its digits replaced by ``code``'s, in order."""
    digits = iter(code)
    return "".join(next(digits) if ch.isdigit() else ch for ch in text)


def _label_cell(table: Table, row: int):
    """The row's first cell holding Chinese text (its name), left of any amount."""
    cells = sorted((c for c in table.cells if c.row == row and _CJK.search(c.text or "")), key=lambda c: c.col)
    return cells[0] if cells else None


def column_marks(table: Table) -> dict[int, str]:
    """The mark each column prints between a code and its name, where most of its coded cells agree."""
    marks: dict[int, Counter] = {}
    for cell in table.cells:
        leading = _LEADING_CODE.match(cell.text or "") if cell.row >= table.header_rows else None
        if leading and _CJK.search(cell.text[leading.end():]):
            marks.setdefault(cell.col, Counter())[leading.group(2)] += 1
    agreed = {}
    for col, counts in marks.items():
        mark, count = counts.most_common(1)[0]
        if count >= MIN_MARK_CONSENSUS and 2 * count > sum(counts.values()):
            agreed[col] = mark
    return agreed


def settled_text(text: str, row_code: str | None, column_mark: str | None) -> tuple[str, str] | None:
    """``text`` with its name settled by its code (its own leading code, else the row's) and a misread
    code-name hyphen written as its column prints it, with that code; None when nothing changes."""
    leading = _LEADING_CODE.match(text)
    code = join_code(leading.group(1)) if leading else row_code
    if code is None:
        return None
    head, mark, name_text = ("", "", text) if not leading else \
        (text[: leading.start(2)], leading.group(2), text[leading.end():])
    recoded = settle_code(code, name_text) if leading else None
    if recoded:
        head, code = head[: leading.start(1)] + _with_digits(leading.group(1), recoded) + head[leading.end(1):], recoded
    name = settle_name(code, name_text) or name_text
    if leading and column_mark is not None and mark != column_mark and mark in _HYPHEN_LOOKALIKES \
            and column_mark in _HYPHEN_LOOKALIKES:
        mark = column_mark
    changed = head + mark + name if leading else name
    return (changed, code) if changed != text else None


def settle_row_names(table: Table) -> int:
    """Write the lexicon's name into every coded name cell that OCR read nearly right; returns how many.

    A cell starting with a code (``30101-基本工资``) is settled by that code, the row's name cell
    without one by the row's code.
    """
    fixed = 0
    marks = column_marks(table)
    for info in table.rows:
        row_code = join_code(info.code) if info.code else None
        label = _label_cell(table, info.row)
        for cell in (c for c in table.cells if c.row == info.row and _CJK.search(c.text or "")):
            settled = settled_text(cell.text, row_code if cell is label else None, marks.get(cell.col))
            if settled is None:
                continue
            original = cell.text
            cell.raw_text = cell.raw_text or original
            cell.text, code = settled
            leading = _LEADING_CODE.match(original)
            recoded = leading is not None and join_code(leading.group(1)) != code
            what = "code settled by its name to" if recoded else "name settled by classification code"
            cell.corrections.append(f"{what} {code}: {original!r} -> {cell.text!r}")
            fixed += 1
    return fixed
