"""Two sum checks written here ONLY to give the review tests real failed findings.

The validation engine (built separately) is what ships; until it lands,
results carry no findings. These helpers compute findings from the cells a
real pipeline run read and record them exactly as the engine will: the fixed
``Finding`` model on ``Table.validation``, and the document's status set to
``needs_review``. They are not part of the package.
"""

from __future__ import annotations

from decimal import Decimal

from table_reconstruct.model import DocumentResult, DocumentStatus, Finding, Table
from table_reconstruct.numbers import parse_amount

# 支出总体情况表 columns: 类, 款, 项, 科目名称, 合计, 基本支出 (5), …, 项目支出 (10), …
TOTAL, BASIC, PROJECT = 4, 5, 10
KUAN, XIANG = 1, 2


def amount(table: Table, row: int, col: int) -> Decimal:
    cell = table.cell_at(row, col)
    return (parse_amount(cell.text) if cell else None) or Decimal("0")


def text(table: Table, row: int, col: int) -> str:
    cell = table.cell_at(row, col)
    return cell.text.strip() if cell else ""


def row_total_findings(table: Table) -> tuple[int, list[Finding]]:
    """合计 = 基本支出 + 项目支出 on every body row: (checks run, findings)."""
    found = []
    for row in range(table.header_rows, table.n_rows):
        expected = amount(table, row, BASIC) + amount(table, row, PROJECT)
        total = amount(table, row, TOTAL)
        if total != expected:
            found.append(Finding(rule="row_total", cells=[(row, TOTAL), (row, BASIC), (row, PROJECT)], expected=expected,
                                 found=total, difference=total - expected, message="合计 ≠ 基本支出 + 项目支出"))
    return table.n_rows - table.header_rows, found


def children_sum_findings(table: Table) -> tuple[int, list[Finding]]:
    """A 款 row's 合计 = the sum of its 项 rows' 合计: (checks run, findings)."""
    found, checked = [], 0
    for row in range(table.header_rows, table.n_rows):
        if not text(table, row, KUAN) or text(table, row, XIANG):
            continue
        children = []
        for child in range(row + 1, table.n_rows):
            if text(table, child, KUAN) != text(table, row, KUAN) or not text(table, child, XIANG):
                break
            children.append(child)
        expected = sum((amount(table, child, TOTAL) for child in children), Decimal("0"))
        total = amount(table, row, TOTAL)
        checked += bool(children)
        if children and total != expected:
            found.append(Finding(rule="children_sum", cells=[(row, TOTAL)] + [(child, TOTAL) for child in children],
                                 expected=expected, found=total, difference=total - expected,
                                 message=f"款 {text(table, row, KUAN)} 合计 ≠ the sum of its {len(children)} 项 rows"))
    return checked, found


def add_findings(result: DocumentResult) -> DocumentResult:
    """Record both checks' findings on every table (and how many checks ran); failed checks mean needs_review."""
    for table in result.tables:
        if table.n_cols <= PROJECT:  # only the 支出总体情况表 layout has these columns
            continue
        (rows_checked, by_row), (parents_checked, by_parent) = row_total_findings(table), children_sum_findings(table)
        table.validation = by_row + by_parent
        table.checks_run = rows_checked + parents_checked
    if any(table.validation for table in result.tables) and result.document.status == DocumentStatus.OK:
        result.document.status = DocumentStatus.NEEDS_REVIEW
    return result
