"""Published rounding (尾差): how far a printed total may be from the sum of its printed parts.

Every printed figure is its exact value rounded to the table's step (0.01 in
万元 tables), so it is off by at most half a step; the exact total equals the
exact sum of the exact parts. The printed equation can therefore be off by at
most half a step per printed figure in it: with ``m`` figures (the parts and
the total; a blank or a dash is an exact 0 and counts none), ``m / 2`` steps,
and since the difference is a whole number of steps, ``m // 2`` of them —
for a printed total of ``n`` printed parts, ``ceil(n / 2)``. A long list of
项 under one 款 honestly misses its 款 by several cents; anything beyond the
bound cannot be rounding. The conventional one-unit 尾差 (0.01 万元, 1 元)
stays the least allowed, so two or three figures are judged as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from table_reconstruct.model import Table
from table_reconstruct.cells.numbers import AmountKind, read_amount

WAN_YUAN = Decimal("0.01")
YUAN = Decimal("1")


@dataclass(frozen=True)
class Tolerance:
    """``unit``: the conventional 尾差, the least allowed; ``step``: what each printed figure is rounded to."""

    unit: Decimal
    step: Decimal

    def allowed(self, figures: int) -> Decimal:
        """The largest difference rounding explains in an equation of ``figures`` printed figures."""
        return max(self.unit, self.step * (figures // 2))

    def beyond(self, difference: Decimal, figures: int) -> bool:
        """Is ``difference`` more than rounding of ``figures`` printed figures explains (an ``error``)?"""
        return abs(difference) > self.allowed(figures)


def _finest_step(table: Table) -> Decimal | None:
    """One unit of the finest decimal printed in the table's body (None: no number printed)."""
    decimals = [a.decimals for a in (read_amount(c.text) for c in table.cells if c.row >= table.header_rows)
                if a.kind is AmountKind.NUMBER]
    return Decimal(1).scaleb(-max(decimals)) if decimals else None


def tolerance_for(table: Table) -> Tolerance:
    """尾差 0.01 in 万元 tables, 1 in 元 tables, else one step; step: the finest printed decimal."""
    step = _finest_step(table)
    unit_text = (table.unit or "").replace(" ", "")
    if "万元" in unit_text:
        unit = WAN_YUAN
    elif unit_text.endswith("元") and not unit_text.endswith(("千元", "亿元", "百万元")):
        unit = YUAN
    else:
        unit = step or WAN_YUAN
    return Tolerance(unit, step or unit)
