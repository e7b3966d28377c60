"""Published rounding (尾差): how far a printed total may be from the sum of its printed parts."""

from __future__ import annotations

from decimal import Decimal

from ..model import Table
from ..numbers import AmountKind, read_amount

WAN_YUAN = Decimal("0.01")
YUAN = Decimal("1")


def tolerance_for(table: Table) -> Decimal:
    """0.01 in 万元 tables, 1 in 元 tables; otherwise one unit of the finest printed decimal."""
    unit = (table.unit or "").replace(" ", "")
    if "万元" in unit:
        return WAN_YUAN
    if unit.endswith("元") and not unit.endswith(("千元", "亿元", "百万元")):
        return YUAN
    decimals = [a.decimals for a in (read_amount(c.text) for c in table.cells if c.row >= table.header_rows)
                if a.kind is AmountKind.NUMBER]
    return Decimal(1).scaleb(-max(decimals)) if decimals else WAN_YUAN
