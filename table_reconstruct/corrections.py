"""OCR confusions in amounts (O/0, l/1, a point read as a colon, a missing or doubled decimal point,
thousands separators read as points), repaired only on proof.

A candidate reading is accepted only when it matches the column's other
values (same number of decimals) and the table's arithmetic then holds for
every check the cell takes part in (at least one). Each repair is recorded
on the cell; the original text stays in ``raw_text``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from .column_roles import amount_columns
from .model import Cell, Table
from .numbers import AmountKind, canonical_digits, read_amount
from .validation import fails, table_checks, tolerance_for

_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "D": "0", "〇": "0", "Q": "0",
                             "l": "1", "I": "1", "|": "1", "i": "1", "丨": "1", ":": ".", "：": "."})
# 1.061.700: every dot followed by three digits, as thousands separators read as points (small commas).
_DOTTED_GROUPS = re.compile(r"^-?\d{1,3}(?:\.\d{3}){2,}$")


def column_decimals(table: Table, col: int) -> int | None:
    """How many decimals the column's numbers usually print (None if it has none)."""
    counts = Counter(a.decimals for a in (read_amount(c.text) for c in table.cells
                                          if c.col == col and c.row >= table.header_rows)
                     if a.kind is AmountKind.NUMBER)
    return counts.most_common(1)[0][0] if counts else None


def candidates(text: str, decimals: int | None) -> Iterator[str]:
    """Readings the text could stand for, each with the column's number of decimals."""
    base = canonical_digits(text).translate(_CONFUSABLE)
    seen = set()
    options = [base, re.sub(r"\.{2,}", ".", base)]
    if base.count(".") == 2:
        first, second = base.index("."), base.rindex(".")
        options += [base[:first] + base[first + 1:], base[:second] + base[second + 1:]]
    if _DOTTED_GROUPS.match(base):
        options.append(base.replace(".", ","))
    if decimals and "." not in base and base.isdigit() and len(base) > decimals:
        options.append(base[:-decimals] + "." + base[-decimals:])
    for option in options:
        amount = read_amount(option)
        if option != text and option not in seen and amount.kind is AmountKind.NUMBER and \
                (decimals is None or amount.decimals == decimals):
            seen.add(option)
            yield option


def _suspicious(cell: Cell, decimals: int | None) -> bool:
    amount = read_amount(cell.text)
    if amount.kind is AmountKind.TEXT:
        return bool(re.search(r"\d", cell.text))
    return amount.kind is AmountKind.NUMBER and decimals is not None and amount.decimals != decimals


def _holds_for(table: Table, cell: Cell) -> bool:
    """Every check involving the cell holds within tolerance, and there is at least one."""
    tolerance = tolerance_for(table)
    involved = [c for c in table_checks(table) if (cell.row, cell.col) in c.cells]
    return bool(involved) and not any(fails(c, tolerance) for c in involved)


def correct_amounts(table: Table) -> list[Cell]:
    """Repair the amount cells whose repaired reading the arithmetic confirms; returns the repaired cells."""
    repaired = []
    for col in amount_columns(table):
        decimals = column_decimals(table, col)
        for cell in [c for c in table.cells if c.col == col and c.row >= table.header_rows]:
            if not _suspicious(cell, decimals) or _holds_for(table, cell):
                continue
            original = cell.text
            for option in candidates(original, decimals):
                cell.text = option
                if _holds_for(table, cell):
                    cell.raw_text = cell.raw_text or original
                    cell.corrections.append(f"OCR confusion repaired, confirmed by the table's sums: "
                                            f"{original!r} -> {option!r}")
                    repaired.append(cell)
                    break
            else:
                cell.text = original
    return repaired
