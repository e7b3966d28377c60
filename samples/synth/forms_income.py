"""部门收入总体情况表 and 财政拨款收支总体情况表, shaped after the 2026 红旗区 forms.

The income form is the wide one: 14 narrow columns whose header words wrap
over three or four lines and whose body is mostly empty cells. All money
comes from 一般公共预算 here, as in the reference department.
"""

from __future__ import annotations

from samples.synth.codes import EXPENSE_ITEMS
from samples.synth.details import DocData
from samples.synth.forms import UNIT, fmt_amount
from samples.synth.spec import HeaderCell, LeafColumn, TableSpec, spaced

_INCOME_SOURCES = ["一般公共预算", "政府性基金", "国有资本经营预算", "财政专户管理资金收入", "事业收入", "其他收入"]
_CARRY_SOURCES = ["一般公共预算", "政府性基金", "单位资金"]


def income_overview(data: DocData) -> TableSpec:
    """部门收入总体情况表: per unit, 本年收入 by source and 上年结转结余 by source."""
    budget = data.budget
    header = [
        HeaderCell(0, 0, "部门（科目）代码", rowspan=2),
        HeaderCell(0, 1, "部门（科目）名称", rowspan=2),
        HeaderCell(0, 2, "总计", rowspan=2, display=spaced("总计")),
        HeaderCell(0, 3, "本年收入", colspan=1 + len(_INCOME_SOURCES), display=spaced("本年收入")),
        HeaderCell(0, 4 + len(_INCOME_SOURCES), "上年结转结余", colspan=1 + len(_CARRY_SOURCES)),
        HeaderCell(1, 3, "合计"),
        *[HeaderCell(1, 4 + i, s) for i, s in enumerate(_INCOME_SOURCES)],
        HeaderCell(1, 4 + len(_INCOME_SOURCES), "合计"),
        *[HeaderCell(1, 5 + len(_INCOME_SOURCES) + i, s) for i, s in enumerate(_CARRY_SOURCES)],
    ]
    money = ["合计", "本年收入合计", "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金",
             "事业收入", "其他收入", "上年结转", "上年结转_一般公共预算", "上年结转_政府性基金预算", "上年结转_单位资金"]
    columns = [LeafColumn("单位代码", "left", 1.1), LeafColumn("单位名称", "left", 2.8)]
    columns += [LeafColumn(name, "right", 1.0) for name in money]

    def row(code: str, name: str, amount: int) -> list[str]:
        this_year = [amount] + [0] * (len(_INCOME_SOURCES) - 1)
        return [code, name, fmt_amount(amount), fmt_amount(amount), *map(fmt_amount, this_year),
                *[""] * (1 + len(_CARRY_SOURCES))]

    body = [row("", "合计", budget.total), row(data.dept_code, budget.dept_name, budget.total)]
    body += [row(u.code, u.name, u.amount) for u in data.units]
    return TableSpec(f"{budget.year}年部门收入总体情况表", UNIT, budget.dept_name, 2, header, columns, body,
                     orientation="landscape", form_id="income_overview")


def _numbered(label: str) -> str:
    """``二、外交`` -> ``（二）外交支出``: the 财政拨款 form's numbering of the same 类."""
    name = label.split("、", 1)[1]
    return f"（{label.split('、', 1)[0]}）{name}{'' if name.endswith('支出') else '支出'}"


def fiscal_overview(data: DocData, n_expense_items: int = 14) -> TableSpec:
    """财政拨款收支总体情况表: income left, expenditure by 类 and fund right."""
    budget = data.budget
    total = fmt_amount(budget.total)
    income = [("一、本年收入", total), ("（一）一般公共预算拨款", total), ("其中：财政拨款", total),
              ("（二）政府性基金预算拨款", ""), ("（三）国有资本经营预算拨款", ""), ("二、上年结转", ""),
              ("（一）一般公共预算拨款", ""), ("（二）政府性基金预算拨款", ""), ("（三）国有资本经营预算拨款", "")]
    used = {x.code[:3] for x in budget.items}
    expense = [("一、本年支出", budget.total)]
    expense += [(_numbered(label), budget.class_total(code)) for i, (code, label) in enumerate(EXPENSE_ITEMS)
                if i < n_expense_items or code in used]
    expense.append(("二、年终结转结余", 0))
    body = []
    for i in range(max(len(income), len(expense))):
        left, left_amt = income[i] if i < len(income) else ("", "")
        right, value = expense[i] if i < len(expense) else ("", 0)
        body.append([left, left_amt, right, *[fmt_amount(value)] * 3, "", ""])
    body.append(["收入合计", total, "支出合计", total, total, total, "", ""])
    header = [
        HeaderCell(0, 0, "收入", colspan=2, display=spaced("收入", " ")),
        HeaderCell(0, 2, "支出", colspan=6, display=spaced("支出", " ")),
        HeaderCell(1, 0, "项目", rowspan=2, display=spaced("项目", " ")),
        HeaderCell(1, 1, "金额", rowspan=2, display=spaced("金额", " ")),
        HeaderCell(1, 2, "项目", rowspan=2, display=spaced("项目", " ")),
        HeaderCell(1, 3, "合计", rowspan=2),
        HeaderCell(1, 4, "一般公共预算", colspan=2),
        HeaderCell(1, 6, "政府性基金", rowspan=2),
        HeaderCell(1, 7, "国有资本经营预算", rowspan=2),
        HeaderCell(2, 4, "小计"),
        HeaderCell(2, 5, "其中：财政拨款"),
    ]
    columns = [LeafColumn("收入项目", "left", 2.3), LeafColumn("收入金额", "right", 1.0),
               LeafColumn("支出项目", "left", 2.3), LeafColumn("合计", "right", 1.0),
               LeafColumn("一般公共预算", "right", 1.0), LeafColumn("财政拨款", "right", 1.0),
               LeafColumn("政府性基金预算", "right", 0.9), LeafColumn("国有资本经营预算", "right", 0.9)]
    return TableSpec(f"{budget.year}年财政拨款收支总体情况表", UNIT, budget.dept_name, 3, header, columns, body,
                     orientation="portrait", form_id="fiscal_overview")
