"""Row sums: 类 = Σ款, 款 = Σ项 (and unit = Σ its rows), 合计 = Σ top-level rows.

Coded tables use the hierarchy of ``RowInfo.parent_row``. Tables of labelled
items (收支总表, 财政拨款收支总表, 决算总表, 项目支出表) use the items'
numbering instead: 一、 items add up to the first total, （一） items to their
一、 item, a later total is the previous one plus the items between
(本年收入合计 + 上年结转 = 收入总计), and 其中 lines are left out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from decimal import Decimal
from typing import Iterator, Optional, Sequence

from table_reconstruct.semantics.classification import code_list
from table_reconstruct.semantics.column_roles import amount_columns, is_label_column
from table_reconstruct.model import RowInfo, Table
from table_reconstruct.semantics.rows import is_total_name, normalized_name
from table_reconstruct.validation.checks import Amounts, Check, sum_check

_TOP = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_SUB = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_SUBSUB = re.compile(r"^\d{1,2}[、.．]")
_MEMO = re.compile(r"^其中")
# A classification code leading a label: "[201]一般公共服务支出", "2010301 行政运行", "（30101）基本工资".
_LABEL_CODE = re.compile(r"^[\[［【(（]?\s*((?:[235]\d{2})(?:\d{2}){0,2})\s*[\]］】)）]?\s*[-－—、.．]?\s*(?=[^\d\s]|$)")
GRAND_TOTALS = frozenset({"收入总计", "支出总计", "总计", "收入合计", "支出合计"})


def coded_checks(table: Table, rows: Sequence[RowInfo], amounts: Amounts) -> Iterator[Check]:
    """Parent rows against their children, and the total row against the top-level rows."""
    cols = amount_columns(table)
    children: dict[int, list[int]] = {}
    top: list[int] = []
    for info in rows:
        if info.is_total or info.continuation_of is not None:
            continue
        if info.parent_row is not None:
            children.setdefault(info.parent_row, []).append(info.row)
        elif info.code is not None or info.name:
            top.append(info.row)
    totals = [info.row for info in rows if info.is_total]
    for col in cols:
        for parent, kids in children.items():
            check = sum_check(amounts, "rows.parent_sum", (parent, col), [(k, col) for k in kids],
                              "a row equals the sum of the rows it encloses (类 = Σ款, 款 = Σ项)")
            if check:
                yield check
        for total in totals[:1]:
            check = sum_check(amounts, "rows.total_sum", (total, col), [(r, col) for r in top],
                              "the total row equals the sum of the top-level rows")
            if check:
                yield check


def _kind(label: str, is_total: bool) -> str:
    if is_total:
        return "total"
    if _MEMO.match(label):
        return "memo"
    if _TOP.match(label):
        return "top"
    if _SUB.match(label):
        return "sub"
    if _SUBSUB.match(label):
        return "subsub"
    return "plain"


def sides(table: Table) -> list[tuple[int, list[int]]]:
    """Each label column with the amount columns to its right, up to the next label column."""
    labels = [c.index for c in table.columns if is_label_column(table, c.index)]
    amounts = amount_columns(table)
    result = []
    for i, label in enumerate(labels):
        end = labels[i + 1] if i + 1 < len(labels) else table.n_cols
        cols = [c for c in amounts if label < c < end]
        if cols:
            result.append((label, cols))
    return result


def _items(table: Table, label_col: int) -> list[tuple[int, str, str]]:
    """(row, kind, name) of every body row with a label in this column."""
    items = []
    for offset, texts in enumerate(table.body_rows()):
        label = normalized_name(texts[label_col])
        if label:
            items.append((table.header_rows + offset, _kind(label, is_total_name(label)), label))
    return items


def _children_checks(items, col, amounts, parent_kind, child_kind) -> Iterator[Check]:
    """Each ``parent_kind`` item against the ``child_kind`` items right below it."""
    order = ["top", "sub", "subsub"]
    for i, (row, kind, _) in enumerate(items):
        if kind != parent_kind:
            continue
        kids = []
        for other_row, other_kind, _ in items[i + 1:]:
            if other_kind == child_kind:
                kids.append(other_row)
            elif other_kind == "memo":
                continue
            elif other_kind == "total" or other_kind not in order or order.index(other_kind) <= order.index(parent_kind):
                break
        check = sum_check(amounts, "items.parent_sum", (row, col), [(k, col) for k in kids],
                          f"a {parent_kind} item equals the sum of its {child_kind} items")
        if check:
            yield check


def _best_sum(amounts, rule, target_row, candidates, cols, message) -> Iterator[Check]:
    """``target = Σ terms`` in every column, for the reading of the rows' levels that the figures bear out best.

    Where the layout leaves the levels open (an uncoded list whose first
    line is a unit that encloses the next ones), each candidate set of terms
    is tried and the one with the smallest disagreement over all columns is
    kept: a consistent table passes, and a changed amount fits none.
    """
    yield from _best_checks(amounts, rule, target_row, candidates, cols, message)[0]


def _best_checks(amounts, rule, target_row, candidates, cols, message) -> tuple[list[Check], Optional[Decimal]]:
    """The checks of the best reading (``_best_sum``) and their summed disagreement (None: no check)."""
    best: list[Check] = []
    best_miss: Optional[Decimal] = None
    for terms in candidates:
        checks = [c for col in cols
                  if (c := sum_check(amounts, rule, (target_row, col), [(r, col) for r in terms], message))]
        miss = sum((abs(c.difference) for c in checks), Decimal(0))
        if checks and (best_miss is None or miss < best_miss):
            best, best_miss = checks, miss
    return best, best_miss


def _total_checks(items, cols, amounts, first_row: int) -> Iterator[Check]:
    """Totals: the first is the sum of the top items (or of plain ones); later ones add what lies between."""
    totals = [i for i, item in enumerate(items) if item[1] == "total"]
    if totals and totals[0] == 0 and items[0][0] == first_row:  # total printed first (项目支出表): items below add up
        below = items[1:totals[1]] if len(totals) > 1 else items[1:]
        message = "the total equals the sum of the items below it"
        checks, miss = _best_checks(amounts, "items.total_sum", items[0][0], _level_candidates(below, amounts, cols),
                                    cols, message)
        if miss and _repeats_the_total(items[0][0], below, amounts, cols):  # the department's line, then its units
            under, under_miss = _best_checks(amounts, "items.total_sum", below[0][0],
                                             _level_candidates(below[1:], amounts, cols), cols, message)
            if under_miss is not None and under_miss < miss:
                checks = _best_checks(amounts, "items.total_sum", items[0][0], [[below[0][0]]], cols,
                                      "the total equals the line that repeats it")[0] + under
        yield from checks
        return
    previous: Optional[int] = None
    start = 0
    for index in totals:
        segment = items[start:index]
        if previous is None:
            candidates = _level_candidates(segment, amounts, cols)
            message = "the first total equals the sum of the top-level items above it"
        else:
            candidates = [[previous] + _between_rows(segment)]
            message = "a total equals the previous total plus the items between them"
        yield from _best_sum(amounts, "items.total_sum", items[index][0], candidates, cols, message)
        previous, start = items[index][0], index + 1


def _repeats_the_total(total: int, below, amounts, cols) -> bool:
    """Is the first item below a total-first line a plain line printing the very same figures, with more
    items under it (a department's line above its units)? When no reading of the items adds up to the
    total, they are read as that line's parts, so a gap among them shows in the columns where it lies
    (a line equal to the total because the other items are blank reads flat, and adds up)."""
    if len(below) < 3 or below[0][1] != "plain":
        return False
    figures = [(amounts.term((total, c)), amounts.term((below[0][0], c))) for c in cols]
    return all(a is not None and a == b for a, b in figures) and any(a for a, _ in figures)


@lru_cache(maxsize=1)
def _class_names() -> frozenset[str]:
    """Names of the 类 of every classification scheme: the top level of an uncoded list of 科目."""
    names = set()
    for scheme in ("function", "dept_economic", "gov_economic"):
        for entry in code_list(scheme).values():
            if entry.level == "类":
                names.update(normalized_name(n) for n in (entry.name, *entry.aliases, *entry.names) if n)
    return frozenset(names)


def label_code(label: str) -> Optional[str]:
    """The classification code a label starts with, if any."""
    match = _LABEL_CODE.match(label)
    return match.group(1) if match else None


def _level_candidates(items, amounts, cols) -> list[list[int]]:
    """The rows that may add up to a total: numbered 一、 items, else the top level of the plain ones.

    Plain items are often a 类/款/项 list whose codes are in the label or left
    out altogether, or a department line followed by its units; summing every
    level would count each amount two or three times. The top level is the
    shortest leading code; without codes, the rows named as a 类 of a
    classification, the lines not enclosed by the line above them, or all of
    them (a flat list): whichever the figures bear out.
    """
    tops = [row for row, kind, _ in items if kind == "top"]
    if tops:
        outer = _outer_tops([(row, name) for row, kind, name in items if kind == "top"])
        return [tops, outer] if outer != tops else [tops]
    plain = [(row, name) for row, kind, name in items if kind == "plain"]
    if not plain:
        return [[]]
    codes = {row: label_code(name) for row, name in plain}
    if sum(1 for c in codes.values() if c) * 2 > len(plain):
        shortest = min(len(c) for c in codes.values() if c)
        return [[row for row, code in codes.items() if code and len(code) == shortest]]
    candidates = [[row for row, _ in plain]]
    classes = [row for row, name in plain if name in _class_names()]
    if classes and plain[0][0] == classes[0]:
        candidates.insert(0, classes)
    if cols:
        candidates.append(_unenclosed([row for row, _ in plain], amounts, cols[0]))
    return candidates


_DIGITS = {ch: i for i, ch in enumerate("一二三四五六七八九", start=1)}


def chinese_numeral(label: str) -> Optional[int]:
    """The number of a 一、… 三十一、 item (1-99), None when the label is not numbered so."""
    match = _TOP.match(label)
    if not match:
        return None
    text = match.group(0)[:-1]
    if "十" not in text:
        return _DIGITS.get(text)
    tens, _, units = text.partition("十")
    return (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)


def _outer_tops(tops: list[tuple[int, str]]) -> list[int]:
    """Numbered items without a list that restarts at 一 inside them (一、本年支出 then 一、一般公共服务支出 …).

    A restarted run is the parts of the item before it; it ends where the
    numbering stops following on (三十一、 then 二、年终结转结余 goes back out).
    """
    outer, nested = [], None
    for row, name in tops:
        number = chinese_numeral(name)
        if nested is not None and number == nested:
            nested += 1
            continue
        nested = None
        if number == 1 and outer:
            nested = 2
            continue
        outer.append(row)
    return outer


def _unenclosed(rows: list[int], amounts, col: int) -> list[int]:
    """Rows not enclosed by an earlier row: a row equal to the sum of the rows right after it encloses them."""
    tops = []
    i = 0
    while i < len(rows):
        tops.append(rows[i])
        value = amounts.term((rows[i], col))
        running, j = Decimal(0), i + 1
        while value and j < len(rows) and running < value:
            running += amounts.term((rows[j], col)) or Decimal(0)
            j += 1
        i = j if value and running == value and j > i + 1 else i + 1
    return tops


def _coded_label_checks(items, col, amounts) -> Iterator[Check]:
    """Items whose labels carry codes: each code's row against the rows of the codes one level below it."""
    coded = [(row, code) for row, kind, name in items if kind == "plain" and (code := label_code(name))]
    for i, (row, code) in enumerate(coded):
        kids = []
        for other, other_code in coded[i + 1:]:
            if not other_code.startswith(code):
                break
            if len(other_code) == len(code) + 2:
                kids.append(other)
        check = sum_check(amounts, "rows.parent_sum", (row, col), [(k, col) for k in kids],
                          "a row equals the sum of the rows it encloses (类 = Σ款, 款 = Σ项)")
        if check:
            yield check


def _between_rows(segment) -> list[int]:
    """Items between two totals: numbered items right under a plain line (上年结转结余, 一、…) are its parts."""
    rows = []
    under_plain = False
    for row, kind, _ in segment:
        if kind == "plain":
            rows.append(row)
            under_plain = True
        elif kind == "top" and not under_plain:
            rows.append(row)
    return rows


def item_checks(table: Table, amounts: Amounts) -> Iterator[Check]:
    """Numbered-item and total checks on each side, and 收入总计 = 支出总计 across sides."""
    grand: list[tuple[int, int]] = []
    for label_col, cols in sides(table):
        items = _items(table, label_col)
        yield from _total_checks(items, cols, amounts, table.header_rows)
        for col in cols:
            yield from _children_checks(items, col, amounts, "top", "sub")
            yield from _children_checks(items, col, amounts, "sub", "subsub")
            yield from _coded_label_checks(items, col, amounts)
        last_total = [item for item in items if item[1] == "total"][-1:]
        if last_total and last_total[0][2] in GRAND_TOTALS:
            grand.append((last_total[0][0], cols[0]))
    if len(grand) == 2:
        check = sum_check(amounts, "items.balance", grand[1], [grand[0]], "收入总计 equals 支出总计")
        if check:
            yield check
