"""A check is one equation between cells: ``found`` (one cell) against ``expected`` (a sum of cells).

Rules produce checks; a check that does not hold becomes a ``Finding``. A
check is only made when every cell it involves reads as a number, a dash or
a blank (blank and dash count as zero); a cell of other text makes it unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Optional, Sequence

from table_reconstruct.model import Finding, Table
from table_reconstruct.cells.numbers import Amount, AmountKind, read_amount
from table_reconstruct.validation.tolerance import Tolerance

Pos = tuple[int, int]


@dataclass(frozen=True)
class Check:
    rule: str
    target: Pos
    terms: tuple[Pos, ...]
    expected: Decimal
    found: Decimal
    message: str = ""
    figures: int = 0  # printed numbers among the cells (blank and dash are exact): how much rounding may explain

    @property
    def difference(self) -> Decimal:
        return self.found - self.expected

    @property
    def cells(self) -> list[Pos]:
        return [self.target, *self.terms]


class Amounts:
    """Cell amounts of one table by grid position (merged cells at their origin)."""

    def __init__(self, table: Table):
        self._texts = {(c.row, c.col): c.text for c in table.cells}
        # Positions under another cell's span (a label merged across an amount column) hold no amount of their own.
        self._covered = {(c.row + r, c.col + k) for c in table.cells if c.rowspan > 1 or c.colspan > 1
                         for r in range(c.rowspan) for k in range(c.colspan) if r or k}
        self._cache: dict[Pos, Amount] = {}

    def at(self, pos: Pos) -> Amount:
        if pos not in self._cache:
            self._cache[pos] = read_amount(self._texts.get(pos, ""))
        return self._cache[pos]

    def term(self, pos: Pos) -> Optional[Decimal]:
        """The amount a sum counts (blank and dash 0); None for text and for a position a merged cell covers."""
        if pos in self._covered:
            return None
        return self.at(pos).as_sum_term


def sum_check(amounts: Amounts, rule: str, target: Pos, terms: Sequence[Pos], message: str = "") -> Optional[Check]:
    """``target = Σ terms``, or None when a cell is not a number (or there are no terms)."""
    if not terms:
        return None
    found = amounts.term(target)
    values = [amounts.term(p) for p in terms]
    if found is None or any(v is None for v in values):
        return None
    figures = sum(1 for p in (target, *terms) if amounts.at(p).kind is AmountKind.NUMBER)
    return Check(rule, target, tuple(terms), sum(values, Decimal(0)), found, message, figures)


def fails(check: Check, tolerance: Tolerance) -> bool:
    """Does the check miss by more than the rounding of its printed figures explains?"""
    return tolerance.beyond(check.difference, check.figures)


def to_findings(checks: Iterable[Check], tolerance: Tolerance) -> list[Finding]:
    """Checks that do not hold: beyond what rounding explains an error, within it a rounding (尾差) note."""
    findings = []
    for check in checks:
        difference = check.difference
        if difference == 0:
            continue
        severity = "error" if fails(check, tolerance) else "rounding"
        findings.append(Finding(rule=check.rule, cells=check.cells, expected=check.expected, found=check.found,
                                difference=difference, message=check.message, severity=severity))
    return findings
