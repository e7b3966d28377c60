"""Column identities within each row, keyed on canonical column names.

合计 = 基本支出 + 项目支出; 基本支出 = 人员经费 + 公用经费; 人员经费 = 工资福利支出
+ 对个人和家庭的补助; 公用经费 = 商品和服务支出 + 资本性支出; 项目支出 = 其他运转类
+ 特定目标类; 三公 合计 = 出国 + 公务用车(购置 + 运行) + 接待; 收入 合计 = Σ
funding sources. A part missing from a table is replaced by its own parts
when those are there (expenditure tables print 工资福利支出 … without a 人员经费
column), so one identity covers every form that has the columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from table_reconstruct.semantics.column_roles import amount_columns, column_named, columns_named
from table_reconstruct.model import Table
from table_reconstruct.validation.checks import Amounts, Check, sum_check


@dataclass(frozen=True)
class Identity:
    """``total`` = Σ ``parts``; ``optional`` parts may be absent (funding sources: any subset is printed)."""

    total: str
    parts: tuple[str, ...]
    optional: bool = False
    # A part the table may lack altogether (the 基本支出表 has no 项目支出): absent with its parts, it counts 0.
    may_lack: tuple[str, ...] = ()
    # Further parts some regions print beside the required ones (单位预留机动经费, 上缴上级支出 …): added when there.
    extra: tuple[str, ...] = ()


# What a department spends besides 基本支出 and 项目支出, as regions print it beside them under 合计.
OTHER_SPENDING = ("事业单位经营支出", "上缴上级支出", "对附属单位补助支出", "单位预留机动经费", "结转下年资金")
# A source printed either whole or by its parts (上海 prints 财政拨款收入, others its three budgets).
FISCAL = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
FUNDS = ("财政拨款", "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "事业收入", "事业单位经营收入",
         "上级补助收入", "附属单位上缴收入", "其他收入", "其他资金", "单位资金", "上年结转",
         "结转结余_一般公共预算", "结转结余_政府性基金预算", "结转结余_国有资本经营预算")
CARRY_OVER = ("上年结转_一般公共预算", "上年结转_政府性基金预算", "上年结转_单位资金")

IDENTITIES: tuple[Identity, ...] = (
    Identity("合计", ("基本支出", "项目支出"), may_lack=("项目支出",), extra=OTHER_SPENDING),
    Identity("基本支出", ("人员经费", "公用经费")),
    Identity("人员经费", ("工资福利支出", "对个人和家庭的补助")),
    Identity("公用经费", ("商品和服务支出", "资本性支出")),
    Identity("项目支出", ("其他运转类项目", "特定目标类项目")),
    Identity("三公经费合计", ("因公出国（境）费", "公务用车购置及运行费", "公务接待费")),
    Identity("公务用车购置及运行费", ("公务用车购置费", "公务用车运行费")),
    Identity("合计", ("本年收入合计", "上年结转"), may_lack=("上年结转",)),
    Identity("财政拨款", FISCAL, optional=True),
    Identity("本年收入合计", FUNDS[:-4], optional=True),
    Identity("上年结转", CARRY_OVER, optional=True),
    Identity("合计", FUNDS, optional=True),
)
_BY_TOTAL = {identity.total: identity for identity in IDENTITIES if not identity.optional and not identity.may_lack}


def is_memo(table: Table, col: int) -> bool:
    """A 其中 column is a part shown for information: never a summand beside its whole."""
    return any(level.strip().startswith("其中") for level in table.columns[col].header_path)


def _resolve(table: Table, name: str, depth: int = 0) -> Optional[list[int]]:
    """Columns that make up ``name``: its own column, else its parts' columns; None when not all there."""
    if columns_named(table, name):
        col = column_named(table, name)
        return [col] if col is not None else None
    identity = _BY_TOTAL.get(name)
    if identity is None or depth > 3:
        return None
    cols: list[int] = []
    for part in identity.parts:
        found = _resolve(table, part, depth + 1)
        if found is None:
            return None
        cols += found
    return cols


def _absent(table: Table, name: str) -> bool:
    """Neither the column nor any of its parts' columns is in the table."""
    if columns_named(table, name):
        return False
    identity = _BY_TOTAL.get(name)
    return identity is None or all(_absent(table, part) for part in identity.parts)


def identity_columns(table: Table, identity: Identity) -> Optional[tuple[int, list[int]]]:
    """(total column, part columns) when the table can check this identity, else None."""
    total = column_named(table, identity.total)
    if total is None:
        return None
    parts: list[int] = []
    for part in identity.parts:
        cols = _resolve(table, part)
        if cols is not None:
            parts += cols
        elif identity.optional and not columns_named(table, part):
            continue
        elif part in identity.may_lack and _absent(table, part):
            continue
        else:
            return None
    for part in identity.extra:
        parts += _resolve(table, part) or []
    parts = [c for c in parts if not is_memo(table, c)]
    if "财政拨款" in identity.parts and column_named(table, "财政拨款") in parts:
        parts = [c for c in parts if table.columns[c].canonical not in FISCAL]  # its parts are inside it
    if not parts or total in parts:
        return None
    if (identity.optional or identity.extra) and any(table.columns[c].canonical is None and not is_memo(table, c) for c in amount_columns(table)):
        return None  # an unnamed amount column could be a part the sum misses
    return total, parts


def _label(identity: Identity) -> str:
    return f"columns.{identity.total}=" + "+".join(identity.parts if not identity.optional else ("Σsources",))


def column_checks(table: Table, amounts: Amounts) -> Iterator[Check]:
    """Every applicable identity on every body row."""
    for identity in IDENTITIES:
        found = identity_columns(table, identity)
        if found is None:
            continue
        total, parts = found
        for row in range(table.header_rows, table.n_rows):
            check = sum_check(amounts, _label(identity), (row, total), [(row, c) for c in parts],
                              f"{identity.total} equals the sum of its parts in the same row")
            if check:
                yield check
