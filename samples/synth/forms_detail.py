"""一般公共预算基本支出表, 项目支出表 and “三公”经费表 from a ``DocData``.

The 基本支出表 with 机关/事业 gov-code lines runs past one portrait page,
which is how the corpus gets a table continued on a second page.
"""

from __future__ import annotations

from samples.synth.details import DocData
from samples.synth.forms import UNIT, fmt_amount
from samples.synth.spec import HeaderCell, LeafColumn, TableSpec, spaced


def basic_expenditure(data: DocData) -> TableSpec:
    """一般公共预算基本支出表: econ code × gov econ code, 人员经费 / 公用经费."""
    lines = data.econ
    personnel, public = sum(x.personnel for x in lines), sum(x.public for x in lines)
    body = [["", "合计", "", "", fmt_amount(personnel + public), fmt_amount(personnel), fmt_amount(public)]]
    body += [[x.code, x.name, x.gov_code, x.gov_name, fmt_amount(x.total), fmt_amount(x.personnel),
              fmt_amount(x.public)] for x in lines]
    header = [
        HeaderCell(0, 0, "部门预算支出经济分类科目", colspan=2),
        HeaderCell(0, 2, "政府预算支出经济分类科目", colspan=2),
        HeaderCell(0, 4, "本年一般公共预算基本支出", colspan=3),
        HeaderCell(1, 0, "科目编码"),
        HeaderCell(1, 1, "科目名称"),
        HeaderCell(1, 2, "科目编码"),
        HeaderCell(1, 3, "科目名称"),
        HeaderCell(1, 4, "合计", display=spaced("合计")),
        HeaderCell(1, 5, "人员经费"),
        HeaderCell(1, 6, "公用经费"),
    ]
    # A canonical name is used once per table: the gov-code pair has names of its own.
    columns = [LeafColumn("科目编码", "center", 0.8), LeafColumn("科目名称", "left", 2.2),
               LeafColumn("政府经济分类科目编码", "center", 0.8), LeafColumn("政府经济分类科目名称", "left", 1.9),
               LeafColumn("合计", "right", 1.0), LeafColumn("人员经费", "right", 1.0),
               LeafColumn("公用经费", "right", 1.0)]
    return TableSpec(f"{data.budget.year}年一般公共预算基本支出表", UNIT, data.budget.dept_name, 2, header,
                     columns, body, orientation="portrait", form_id="basic_expenditure")


_FUNDS = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]


def project_expenditure(data: DocData) -> TableSpec:
    """项目支出表: one row per project, money in 本年拨款 / 一般公共预算, the rest empty."""
    total = sum(p.amount for p in data.projects)
    n_money = 1 + 2 * len(_FUNDS) + 2

    def money(amount: int) -> list[str]:
        return [fmt_amount(amount), fmt_amount(amount)] + [""] * (n_money - 2)

    body = [["", "合计", "", *money(total)]]
    body += [[p.kind, p.name, p.unit, *money(p.amount)] for p in data.projects]
    header = [
        HeaderCell(0, 0, "项目类型", rowspan=2),
        HeaderCell(0, 1, "项目名称", rowspan=2, display=spaced("项目名称", " ")),
        HeaderCell(0, 2, "项目单位", rowspan=2),
        HeaderCell(0, 3, "合计", rowspan=2),
        HeaderCell(0, 4, "本年拨款", colspan=3, display=spaced("本年拨款", " ")),
        HeaderCell(0, 7, "财政拨款结转结余", colspan=3),
        HeaderCell(0, 10, "财政专户管理资金", rowspan=2),
        HeaderCell(0, 11, "单位资金", rowspan=2),
        *[HeaderCell(1, 4 + i, f) for i, f in enumerate(_FUNDS)],
        *[HeaderCell(1, 7 + i, f) for i, f in enumerate(_FUNDS)],
    ]
    columns = [LeafColumn("项目类型", "center", 1.1), LeafColumn("项目名称", "left", 2.6),
               LeafColumn("项目单位", "left", 2.3), LeafColumn("合计", "right", 1.0)]
    columns += [LeafColumn(f, "right", 0.95) for f in _FUNDS]
    columns += [LeafColumn(f"结转结余_{f}", "right", 0.95) for f in _FUNDS]
    columns += [LeafColumn("财政专户管理资金", "right", 0.95), LeafColumn("单位资金", "right", 0.9)]
    return TableSpec(f"{data.budget.year}年项目支出表", UNIT, data.budget.dept_name, 2, header, columns, body,
                     orientation="landscape", form_id="project_expenditure")


def three_costs(data: DocData) -> TableSpec:
    """一般公共预算“三公”经费支出表: one row of six amounts under a two-level header."""
    c = data.three_costs
    body = [[fmt_amount(v) for v in (c.total, c.abroad, c.cars, c.car_purchase, c.car_running, c.reception)]]
    header = [
        HeaderCell(0, 0, "“三公”经费合计", rowspan=2),
        HeaderCell(0, 1, "因公出国（境）费", rowspan=2),
        HeaderCell(0, 2, "公务用车购置及运行费", colspan=3),
        HeaderCell(0, 5, "公务接待费", rowspan=2),
        HeaderCell(1, 2, "小计"),
        HeaderCell(1, 3, "公务用车购置费"),
        HeaderCell(1, 4, "公务用车运行费"),
    ]
    columns = [LeafColumn(name, "right") for name in
               ("三公经费合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "公务接待费")]
    return TableSpec(f"{data.budget.year}年一般公共预算“三公”经费支出表", UNIT, data.budget.dept_name, 2, header,
                     columns, body, orientation="portrait", form_id="three_costs")
