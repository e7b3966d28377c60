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

from table_reconstruct.semantics.column_roles import amount_columns
from table_reconstruct.model import Cell, Table
from table_reconstruct.cells.numbers import AmountKind, canonical_digits, read_amount
from table_reconstruct.validation import fails, table_checks, tolerance_for

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
    read = canonical_digits(text).translate(_CONFUSABLE)
    base = re.sub(r"\.{2,}", ".", read)  # a doubled point is one point (7.062..80), then the readings below
    seen = set()
    options = [read, base]
    if base.count(".") == 2:
        first, second = base.index("."), base.rindex(".")
        options += [base[:first] + base[first + 1:], base[:second] + base[second + 1:]]
    if _DOTTED_GROUPS.match(base):
        options.append(base.replace(".", ","))
    digits = base.replace(".", "")
    # No point, or one in the wrong place (7.06280: 7,062.80 with the comma read as a point and the point lost).
    if decimals and base.count(".") <= 1 and digits.isdigit() and len(digits) > decimals:
        options.append(digits[:-decimals] + "." + digits[-decimals:])
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


def _holds_for(table: Table, cell: Cell, doubtful: set[tuple[int, int]]) -> bool:
    """Every check involving the cell holds within tolerance, and there is at least one.

    Checks that also involve another ``doubtful`` cell say nothing either way and are left out:
    two misread cells of one column (a total and its only part) would otherwise keep each other unrepaired.
    """
    tolerance = tolerance_for(table)
    here = (cell.row, cell.col)
    involved = [c for c in table_checks(table) if here in c.cells and not (doubtful & (set(c.cells) - {here}))]
    return bool(involved) and not any(fails(c, tolerance) for c in involved)


def correct_amounts(table: Table) -> list[Cell]:
    """Repair the amount cells whose repaired reading the arithmetic confirms; returns the repaired cells.

    Repeated while it repairs something: a repair can settle a check another doubtful cell depends on.
    """
    suspects = []
    for col in amount_columns(table):
        decimals = column_decimals(table, col)
        suspects += [(c, decimals) for c in table.cells
                     if c.col == col and c.row >= table.header_rows and _suspicious(c, decimals)]
    repaired: list[Cell] = []
    while True:
        doubtful = {(c.row, c.col) for c, _ in suspects if c not in repaired}
        fixed = [c for c, decimals in suspects if c not in repaired and _repair(table, c, decimals, doubtful)]
        if not fixed:
            return repaired
        repaired += fixed


def _repair(table: Table, cell: Cell, decimals: int | None, doubtful: set[tuple[int, int]]) -> bool:
    """Write the first candidate reading the arithmetic confirms into ``cell`` (noted); False if none."""
    if _holds_for(table, cell, doubtful):
        return False
    original = cell.text
    for option in candidates(original, decimals):
        cell.text = option
        if _holds_for(table, cell, doubtful):
            cell.raw_text = cell.raw_text or original
            cell.corrections.append(f"OCR confusion repaired, confirmed by the table's sums: {original!r} -> {option!r}")
            return True
    cell.text = original
    return False
