"""Arithmetic validation: the checks budget offices rely on, run on reconstructed tables.

Rules are grouped by kind (``row_rules``, ``column_rules``, ``cross_table``);
each yields ``Check``s, and those that do not hold within the unit's rounding
tolerance become ``Finding``s. Nothing here changes a value.
"""

from __future__ import annotations

from typing import Sequence

from table_reconstruct.semantics.forms import default_catalog
from table_reconstruct.model import Finding, Table
from table_reconstruct.validation.checks import Amounts, Check, fails, to_findings
from table_reconstruct.validation.column_rules import column_checks
from table_reconstruct.validation.cross_table import cross_table_comparison
from table_reconstruct.validation.row_rules import coded_checks, item_checks
from table_reconstruct.validation.tolerance import Tolerance, tolerance_for

__all__ = ["table_checks", "check_table", "check_document", "validate_table", "validate_document", "tolerance_for",
           "Tolerance", "Check", "fails"]


def table_checks(table: Table) -> list[Check]:
    """Every check the table's rows and columns allow (``table.rows`` must be filled first)."""
    if table.kind != "statutory":
        return []  # a 目录 page or a boxed paragraph: nothing to add up
    amounts = Amounts(table)
    checks = list(column_checks(table, amounts))
    form = default_catalog().get(table.form)
    if form is not None and not form.row_sums:
        return checks
    if any(info.code for info in table.rows):
        checks += coded_checks(table, table.rows, amounts)
    else:
        checks += item_checks(table, amounts)
    return checks


def validate_table(table: Table) -> list[Finding]:
    return check_table(table)[1]


def check_table(table: Table) -> tuple[int, list[Finding]]:
    """(how many checks ran, the findings among them), so a reviewer also sees what passed."""
    checks = table_checks(table)
    return len(checks), to_findings(checks, tolerance_for(table))


def validate_document(tables: Sequence[Table]) -> list[Finding]:
    """Findings of rules that compare different tables of one document."""
    return check_document(tables)[1]


def check_document(tables: Sequence[Table]) -> tuple[int, list[Finding]]:
    """(how many cross-table comparisons ran, the disagreements among them)."""
    return cross_table_comparison(tables, [tolerance_for(t) for t in tables])


def has_violation(findings: Sequence[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
