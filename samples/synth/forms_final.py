"""部门决算 收入支出决算总表 (财决01 / 公开01表) with its 栏次 row and 行次 columns.

决算 forms differ from 预算 forms in two ways readers trip over: a header
row of column numbers (栏次 | | 1) below the labels, and a 行次 column of
small integers beside every item. Both belong to the header/structure, not
to the money, so they test header detection and numeric cells alike.
"""

from __future__ import annotations

from samples.synth.codes import EXPENSE_ITEMS
from samples.synth.details import DocData
from samples.synth.forms import UNIT, fmt_amount
from samples.synth.spec import HeaderCell, LeafColumn, TableSpec, spaced

FINAL_INCOME = ["一、一般公共预算财政拨款收入", "二、政府性基金预算财政拨款收入", "三、国有资本经营预算财政拨款收入",
                "四、上级补助收入", "五、事业收入", "六、经营收入", "七、附属单位上缴收入", "八、其他收入"]


def final_accounts(data: DocData, n_expense_items: int = 10) -> TableSpec:
    """收入支出决算总表 for the year before the budget; balanced so both 总计 rows agree."""
    budget = data.budget
    total, other = budget.total, data.three_costs.reception  # a small 其他收入, carried to 年末结转
    income = [(label, total if i == 0 else other if label.startswith("八") else 0)
              for i, label in enumerate(FINAL_INCOME)]
    used = {x.code[:3] for x in budget.items}
    expense = [(label if label.endswith("支出") else label + "支出", budget.class_total(code))
               for i, (code, label) in enumerate(EXPENSE_ITEMS) if i < n_expense_items or code in used]
    n = max(len(income), len(expense))
    rows: list[tuple[str, int | None, str, int | None]] = []
    for i in range(n):
        left, lv = income[i] if i < len(income) else ("", None)
        right, rv = expense[i] if i < len(expense) else ("", None)
        rows.append((left, lv, right, rv))
    rows += [("本年收入合计", total + other, "本年支出合计", total),
             ("使用非财政拨款结余", 0, "结余分配", 0),
             ("年初结转和结余", 0, "年末结转和结余", other),
             ("总计", total + other, "总计", total + other)]
    first_right = len(rows) + 1
    body = [[left, str(i + 1), fmt_amount(lv or 0), right, str(first_right + i), fmt_amount(rv or 0)]
            for i, (left, lv, right, rv) in enumerate(rows)]
    header = [
        HeaderCell(0, 0, "收入", colspan=3, display=spaced("收入", "   ")),
        HeaderCell(0, 3, "支出", colspan=3, display=spaced("支出", "   ")),
        HeaderCell(1, 0, "项目", display=spaced("项目")),
        HeaderCell(1, 1, "行次"),
        HeaderCell(1, 2, "金额", display=spaced("金额")),
        HeaderCell(1, 3, "项目", display=spaced("项目")),
        HeaderCell(1, 4, "行次"),
        HeaderCell(1, 5, "金额", display=spaced("金额")),
        HeaderCell(2, 0, "栏次"),
        HeaderCell(2, 1, ""),
        HeaderCell(2, 2, "1"),
        HeaderCell(2, 3, "栏次"),
        HeaderCell(2, 4, ""),
        HeaderCell(2, 5, "2"),
    ]
    columns = [LeafColumn("收入项目", "left", 3.0), LeafColumn("收入行次", "center", 0.55),
               LeafColumn("收入金额", "right", 1.2), LeafColumn("支出项目", "left", 2.6),
               LeafColumn("支出行次", "center", 0.55), LeafColumn("支出金额", "right", 1.2)]
    return TableSpec(f"{budget.year - 1}年度收入支出决算总表", UNIT, budget.dept_name, 3, header, columns, body,
                     orientation="portrait", form_id="final_income_expense")
