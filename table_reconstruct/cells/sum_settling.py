"""A misread digit settled where two of the table's sums meet: the row's and the column's.

``corrections`` repairs readings that are not numbers (O for 0, a lost
point). A digit read as another digit (2.280000 read 2.250000 on a 150-DPI
scan) is a number all the same, and only the arithmetic shows it: the
row's 合计 = 基本支出 + 项目支出 fails, and so does the column's total. A cell
is settled when every failing check it takes part in (two at least) asks
for the same value, that value differs from the reading in exactly one
digit, and with it every check the cell takes part in holds. Anything
less (one check, two checks asking different values, a blank cell) stays
as read, flagged by its findings. The cell keeps its reading in
``raw_text`` and says what settled it in ``corrections``, which sends it
to review.

Only OCR'd tables are settled: a text layer prints what the office
printed, misprints included, and those are findings, not repairs.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Iterator, Optional

from table_reconstruct.cells.numbers import AmountKind, read_amount
from table_reconstruct.model import Cell, Table
from table_reconstruct.validation import Check, fails, table_checks, tolerance_for

Pos = tuple[int, int]
# Failing checks a cell must sit in before their common answer is trusted over its reading.
MIN_CHECKS = 2


def asked_value(check: Check, pos: Pos, value: Decimal) -> Decimal:
    """The value ``pos`` (now ``value``) must take for ``check`` to hold exactly."""
    return check.expected if pos == check.target else value + check.difference


def one_digit_readings(text: str) -> Iterator[str]:
    """``text`` with one of its digits replaced by another: what a misread digit could have been."""
    for index, char in enumerate(text):
        if char.isdigit():
            for digit in "0123456789":
                if digit != char:
                    yield text[:index] + digit + text[index + 1:]


def settled_reading(text: str, wanted: Decimal) -> Optional[str]:
    """The one-digit change of ``text`` that reads as ``wanted``, if exactly one does."""
    found = {option for option in one_digit_readings(text) if read_amount(option).value == wanted}
    return found.pop() if len(found) == 1 else None


def settle_by_sums(table: Table) -> list[Cell]:
    """Settle every cell the failing checks agree on (see the module docstring); returns the settled cells."""
    settled: list[Cell] = []
    while (cell := _next_settlement(table)) is not None:
        settled.append(cell)
    return settled


def _next_settlement(table: Table) -> Optional[Cell]:
    tolerance = tolerance_for(table)
    checks = table_checks(table)
    failing = [check for check in checks if fails(check, tolerance)]
    counts = Counter(pos for check in failing for pos in set(check.cells))
    cells = {(c.row, c.col): c for c in table.cells}
    for pos in sorted(p for p, n in counts.items() if n >= MIN_CHECKS and p in cells):
        cell = cells[pos]
        amount = read_amount(cell.text)
        if amount.kind is not AmountKind.NUMBER or amount.value is None:
            continue
        asks = {asked_value(check, pos, amount.value) for check in failing if pos in check.cells}
        option = settled_reading(cell.text, asks.pop()) if len(asks) == 1 else None
        if option is None:
            continue
        original = cell.text
        cell.text = option
        involved = [check for check in table_checks(table) if pos in check.cells]
        if len(involved) >= MIN_CHECKS and not any(fails(check, tolerance) for check in involved):
            cell.raw_text = cell.raw_text or original
            cell.corrections.append(
                f"misread digit settled by {len(involved)} of the table's sums: {original!r} -> {option!r}")
            return cell
        cell.text = original
    return None
