"""Builders of the standard 部门预算 forms as ``TableSpec``s from one ``Budget``.

Each builder is a plain function ``(budget) -> TableSpec`` registered in
``FORMS``; new forms (一般公共预算基本支出表, 三公经费表, 项目支出表, 决算
公开01-09表 …) are added the same way without touching layout or rendering.
"""

from __future__ import annotations

from typing import Callable

from samples.synth.budget import Budget, ExpLine
from samples.synth.codes import EXPENSE_ITEMS, INCOME_ITEMS
from samples.synth.spec import HeaderCell, LeafColumn, TableSpec, spaced

UNIT = "万元"


def fmt_amount(value: int) -> str:
    """Integer hundredths as ``123.45``; zero is an empty cell, as in real tables."""
    if value == 0:
        return ""
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100}.{value % 100:02d}"


def income_expense_overview(budget: Budget, n_expense_items: int = 12) -> TableSpec:
    """部门收支总体情况表: income and expenditure side by side, totals at the bottom."""
    total = budget.total
    income = {INCOME_ITEMS[0]: total, INCOME_ITEMS[1]: total}
    used = {x.code[:3] for x in budget.items}
    expense = [(code, label) for i, (code, label) in enumerate(EXPENSE_ITEMS) if i < n_expense_items or code in used]
    n = max(len(INCOME_ITEMS), len(expense))
    body: list[list[str]] = []
    for i in range(n):
        left = INCOME_ITEMS[i] if i < len(INCOME_ITEMS) else ""
        code, label = expense[i] if i < len(expense) else ("", "")
        body.append([left, fmt_amount(income.get(left, 0)), label, fmt_amount(budget.class_total(code)) if code else ""])
    body.append(["本年收入合计", fmt_amount(total), "本年支出合计", fmt_amount(total)])
    body.append(["上年结转结余", "", "年终结转结余", ""])
    body.append(["收入总计", fmt_amount(total), "支出总计", fmt_amount(total)])
    header = [
        HeaderCell(0, 0, "收入", colspan=2, display=spaced("收入", "    ")),
        HeaderCell(0, 2, "支出", colspan=2, display=spaced("支出", "    ")),
        HeaderCell(1, 0, "项目", display=spaced("项目")),
        HeaderCell(1, 1, "金额", display=spaced("金额")),
        HeaderCell(1, 2, "项目", display=spaced("项目")),
        HeaderCell(1, 3, "金额", display=spaced("金额")),
    ]
    columns = [
        LeafColumn("收入项目", "left", 3.0),
        LeafColumn("收入金额", "right", 1.4),
        LeafColumn("支出项目", "left", 3.0),
        LeafColumn("支出金额", "right", 1.4),
    ]
    return TableSpec(f"{budget.year}年部门收支总体情况表", UNIT, budget.dept_name, 2, header, columns, body,
                     orientation="portrait", form_id="income_expense_overview")


def _code_cells(line: ExpLine) -> list[str]:
    """类/款/项 code columns: 类 rows fill one, 款 rows two, 项 rows three."""
    if line.level == "合计":
        return ["", "", ""]
    parts = [line.code[:3], line.code[3:5], line.code[5:7]]
    return [p for p in parts if p] + [""] * (3 - len([p for p in parts if p]))


def expenditure_overview(budget: Budget) -> TableSpec:
    """部门支出总体情况表: function-code tree × (基本支出 split, 项目支出 split)."""
    body = []
    for line in budget.tree_rows():
        amounts = [line.total, line.basic, line.wages, line.family, line.goods, line.capital,
                   line.project, line.other_ops, line.specific]
        body.append(_code_cells(line) + [line.name] + [fmt_amount(a) for a in amounts])
    header = [
        HeaderCell(0, 0, "科目编码", rowspan=2, colspan=3),
        HeaderCell(0, 3, "科目名称", rowspan=3),
        HeaderCell(0, 4, "合计", rowspan=3),
        HeaderCell(0, 5, "基本支出", colspan=5, display=spaced("基本支出")),
        HeaderCell(0, 10, "项目支出", colspan=3, display=spaced("项目支出")),
        HeaderCell(1, 5, "小计", rowspan=2),
        HeaderCell(1, 6, "人员经费", colspan=2),
        HeaderCell(1, 8, "公用经费", colspan=2),
        HeaderCell(1, 10, "小计", rowspan=2),
        HeaderCell(1, 11, "其他运转类", rowspan=2),
        HeaderCell(1, 12, "特定目标类", rowspan=2),
        HeaderCell(2, 0, "类"),
        HeaderCell(2, 1, "款"),
        HeaderCell(2, 2, "项"),
        HeaderCell(2, 6, "工资福利支出"),
        HeaderCell(2, 7, "对个人和家庭的补助"),
        HeaderCell(2, 8, "商品和服务支出"),
        HeaderCell(2, 9, "资本性支出"),
    ]
    amount = 1.0
    columns = [
        LeafColumn("功能分类_类", "center", 0.55),
        LeafColumn("功能分类_款", "center", 0.48),
        LeafColumn("功能分类_项", "center", 0.48),
        LeafColumn("科目名称", "left", 3.4),
        LeafColumn("合计", "right", amount),
        LeafColumn("基本支出", "right", amount),
        LeafColumn("工资福利支出", "right", amount),
        LeafColumn("对个人和家庭的补助", "right", amount),
        LeafColumn("商品和服务支出", "right", amount),
        LeafColumn("资本性支出", "right", amount),
        LeafColumn("项目支出", "right", amount),
        LeafColumn("其他运转类项目", "right", amount),
        LeafColumn("特定目标类项目", "right", amount),
    ]
    return TableSpec(f"{budget.year}年部门支出总体情况表", UNIT, budget.dept_name, 3, header, columns, body,
                     orientation="landscape", form_id="expenditure_overview")


FormBuilder = Callable[[Budget], TableSpec]

FORMS: dict[str, FormBuilder] = {
    "income_expense_overview": income_expense_overview,
    "expenditure_overview": expenditure_overview,
}
