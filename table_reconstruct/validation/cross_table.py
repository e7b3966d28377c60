"""Across the tables of one document: the same amount printed in two forms must agree.

支出总表 基本支出 = 基本支出表 合计, 人员经费 and 公用经费 likewise, 项目支出 =
项目支出表 合计. Each table offers "facts" (a named amount read off its total
row, possibly a sum of cells); facts of one name are compared when their
tables cover the same money. Titles scope the money: 一般公共预算 tables cover
one fund, 部门 tables every fund; the two are compared only when the document
shows them to be the same money (the department's total equals its
一般公共预算 total).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional, Sequence

from table_reconstruct.semantics.column_roles import column_named, columns_named
from table_reconstruct.model import CellRef, Finding, RowInfo, Table
from table_reconstruct.cells.numbers import AmountKind
from table_reconstruct.semantics.rows import normalized_name
from table_reconstruct.validation.checks import Amounts
from table_reconstruct.validation.row_rules import sides
from table_reconstruct.validation.tolerance import Tolerance

Pos = tuple[int, int]


@dataclass(frozen=True)
class Fact:
    name: str
    scope: str
    table: int
    cells: tuple[Pos, ...]
    value: Decimal
    figures: int  # printed numbers among the cells (blank and dash are exact 0)


def scope_of(table: Table) -> str:
    title = table.title or ""
    if "一般公共预算" in title:
        return "一般公共预算"
    if "政府性基金" in title:
        return "政府性基金"
    if "国有资本经营" in title:
        return "国有资本经营"
    if "财政拨款" in title:
        return "财政拨款"
    return "部门"


def _total_row(rows: Sequence[RowInfo]) -> Optional[int]:
    for info in rows:
        if info.is_total and normalized_name(info.name or "") in ("合计", "总计", ""):
            return info.row
    return None


def _fact(name: str, table: Table, index: int, amounts: Amounts, row: int, cols: list[int]) -> Optional[Fact]:
    values = [amounts.term((row, c)) for c in cols]
    if any(v is None for v in values):
        return None
    figures = sum(1 for c in cols if amounts.at((row, c)).kind is AmountKind.NUMBER)
    return Fact(name, scope_of(table), index, tuple((row, c) for c in cols), sum(values, Decimal(0)), figures)


def _sum_of(table: Table, *names: str) -> Optional[list[int]]:
    cols = [column_named(table, n) for n in names]
    return None if any(c is None for c in cols) else cols  # type: ignore[return-value]


def table_facts(table: Table, index: int, rows: Sequence[RowInfo]) -> list[Fact]:
    """The amounts this table states about the whole department (or fund), read off its total row."""
    row = _total_row(rows)
    if row is None:
        return []
    amounts = Amounts(table)
    has = lambda name: bool(columns_named(table, name))  # noqa: E731
    wanted: dict[str, Optional[list[int]]] = {
        "人员经费": _sum_of(table, "人员经费") if has("人员经费") else _sum_of(table, "工资福利支出", "对个人和家庭的补助"),
        "公用经费": _sum_of(table, "公用经费") if has("公用经费") else _sum_of(table, "商品和服务支出", "资本性支出"),
        "基本支出": _sum_of(table, "基本支出"),
        "项目支出": _sum_of(table, "项目支出"),
    }
    if not has("基本支出") and not has("项目支出") and has("人员经费") and has("公用经费"):
        wanted["基本支出"] = _sum_of(table, "合计")  # 基本支出表: its 合计 is the 基本支出
    if "项目支出" in (table.title or "") and not has("基本支出") and not has("项目支出"):
        wanted["项目支出"] = _sum_of(table, "合计")  # 项目支出表
    if has("基本支出") or has("项目支出"):
        wanted["支出合计"] = _sum_of(table, "合计")
    if "收入" in (table.title or "") and has("一般公共预算") and not has("基本支出"):
        wanted["一般公共预算收入"] = _sum_of(table, "一般公共预算")
        wanted["收入合计"] = _sum_of(table, "合计")
    facts = [_fact(name, table, index, amounts, row, cols) for name, cols in wanted.items() if cols]
    return [f for f in facts if f is not None] + _income_item_facts(table, index, rows, amounts)


def _income_item_facts(table: Table, index: int, rows: Sequence[RowInfo], amounts: Amounts) -> list[Fact]:
    """收支总表: its 一、一般公共预算 line and its 本年收入合计 on the income side."""
    found = sides(table)
    if not found:
        return []
    label, cols = found[0]
    facts = []
    for offset, texts in enumerate(table.body_rows()):
        name = normalized_name(texts[label])
        fact_name = ("一般公共预算收入" if re.match(r"^[一(（]?[一、）)]*一般公共预算", name)
                     else "收入合计" if name == "本年收入合计" else None)
        if fact_name:
            fact = _fact(fact_name, table, index, amounts, table.header_rows + offset, cols[:1])
            facts += [fact] if fact else []
    return facts


def _merged_scopes(facts: list[Fact]) -> dict[str, str]:
    """Scopes compared as one: 一般公共预算 and 财政拨款 tables join the department's unless shown otherwise.

    Most departments are funded by 一般公共预算 alone, which the document
    shows when its total equals its 一般公共预算 total; only when both are
    printed and differ are the scopes kept apart.
    """
    department = {f.value for f in facts if f.scope == "部门" and f.name in ("支出合计", "收入合计")}
    general = {f.value for f in facts if f.name == "一般公共预算收入"} | {
        f.value for f in facts if f.scope == "一般公共预算" and f.name == "支出合计"}
    apart = bool(department and general and not department & general)
    return {scope: ("部门" if not apart and scope in ("一般公共预算", "财政拨款") else scope)
            for scope in {f.scope for f in facts}}


def cross_table_comparison(tables: Sequence[Table], tolerance: Sequence[Tolerance]) -> tuple[int, list[Finding]]:
    """Disagreements between facts of one name and one scope across different tables, and how many were compared."""
    facts = [f for i, t in enumerate(tables) for f in table_facts(t, i, t.rows)]
    scope = _merged_scopes(facts)
    findings = []
    compared = 0
    first: dict[tuple[str, str], Fact] = {}
    for fact in facts:
        if fact.name in ("一般公共预算收入", "收入合计"):
            continue
        key = (fact.name, scope[fact.scope])
        reference = first.setdefault(key, fact)
        if reference is fact or reference.table == fact.table:
            continue
        compared += 1
        difference = fact.value - reference.value
        if difference == 0:
            continue
        figures = fact.figures + reference.figures
        limit = max(tolerance[fact.table].allowed(figures), tolerance[reference.table].allowed(figures))
        refs = [CellRef(table=f.table, row=r, col=c) for f in (reference, fact) for r, c in f.cells]
        findings.append(Finding(
            rule=f"tables.{fact.name}", refs=refs, expected=reference.value, found=fact.value, difference=difference,
            severity="error" if abs(difference) > limit else "rounding",
            message=f"{fact.name} in table {fact.table} differs from table {reference.table}"))
    return compared, findings
