"""Row names settled by their classification code: the lexicon's spelling wins over a near OCR reading.

功能分类 and 经济分类 rows print a national code beside a name from a closed
list (``vocabulary/classification/*.csv`` and ``names.csv``, mined from the
text layers of real disclosures by ``python -m samples.lexicon``). When OCR
reads a row's code and a name within a few characters of one of the code's
names (a lost leading 一, 缴费 read as 激黄), that name is written instead;
the cell keeps its reading in ``raw_text`` and says so in ``corrections``,
which sends it to review. A reading far from every name of its code, or as
close to two different names, is left as read: the lexicon never supplies a
name the page does not support.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from importlib import resources
from typing import Optional

from rapidfuzz.distance import Levenshtein

from .classification import join_code, lookup
from .model import Table
from .text_normalize import matching_key

# Leading marks some regions print before a name (indentation dashes), kept as read.
_PREFIX = re.compile(r"^[-—–·•*\s]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LEADING_CODE = re.compile(r"^\[?(\d{3}(?:\s?\d{2}){0,2})\]?\s*(?=[^\d\s])")
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


def _label_cell(table: Table, row: int):
    """The row's first cell holding Chinese text (its name), left of any amount."""
    cells = sorted((c for c in table.cells if c.row == row and _CJK.search(c.text or "")), key=lambda c: c.col)
    return cells[0] if cells else None


def settle_row_names(table: Table) -> int:
    """Write the lexicon's name into every coded row whose name OCR read nearly right; returns how many."""
    fixed = 0
    for info in table.rows:
        code = join_code(info.code) if info.code else None
        cell = _label_cell(table, info.row) if code else None
        if cell is None:
            continue
        leading = _LEADING_CODE.match(cell.text)
        head, name_text = (cell.text[: leading.end()], cell.text[leading.end():]) if leading else ("", cell.text)
        settled = settle_name(code, name_text)
        if settled is None:
            continue
        original = cell.text
        cell.raw_text = cell.raw_text or original
        cell.text = head + settled
        cell.corrections.append(f"name settled by classification code {code}: {original!r} -> {cell.text!r}")
        fixed += 1
    return fixed
