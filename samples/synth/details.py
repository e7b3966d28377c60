"""Everything the extra forms need beyond the 功能分类 lines, derived from one ``Budget``.

Economic-class lines, projects, units and 三公 amounts are split out of the
budget's totals with exact integer arithmetic, so the 基本支出表 sums to the
支出总体情况表's 基本支出 and the 项目支出表 to its 项目支出, as in a real
disclosure.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from samples.synth.budget import Budget
from samples.synth.econ_codes import ALWAYS, ECON_GROUPS, GOV_NAMES, PROJECT_NAMES, SUBUNITS

PERSONNEL_GROUPS = ("wages", "family")  # 人员经费; goods and capital are 公用经费


@dataclass(frozen=True)
class EconLine:
    """One row of the 一般公共预算基本支出表 (integer hundredths)."""

    code: str
    name: str
    gov_code: str
    gov_name: str
    personnel: int
    public: int

    @property
    def total(self) -> int:
        return self.personnel + self.public


@dataclass(frozen=True)
class Project:
    kind: str  # 其他运转类 | 特定目标类
    name: str
    unit: str
    amount: int


@dataclass(frozen=True)
class Unit:
    """A budget unit (the department itself, 本级, or a subordinate centre)."""

    code: str
    name: str
    amount: int


@dataclass(frozen=True)
class ThreeCosts:
    """“三公”经费: abroad, car purchase, car running, reception."""

    abroad: int
    car_purchase: int
    car_running: int
    reception: int

    @property
    def cars(self) -> int:
        return self.car_purchase + self.car_running

    @property
    def total(self) -> int:
        return self.abroad + self.cars + self.reception


@dataclass(frozen=True)
class DocData:
    """The budget plus its derived detail, the single input of every form builder."""

    budget: Budget
    econ: list[EconLine]
    projects: list[Project]
    units: list[Unit]
    dept_code: str
    three_costs: ThreeCosts


def split_amount(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` cut into ``parts`` positive integers (fewer when ``total`` is too small)."""
    parts = max(1, min(parts, total)) if total > 0 else 1
    weights = [rng.uniform(0.2, 1.0) for _ in range(parts)]
    raw = [int(total * w / sum(weights)) for w in weights]
    raw[0] += total - sum(raw)
    return raw


def econ_lines(budget: Budget, rng: random.Random, split_gov: bool) -> list[EconLine]:
    """Split each economic group over some of its codes; ``split_gov`` halves lines into 机关/事业 gov codes."""
    lines: list[EconLine] = []
    for group, codes in ECON_GROUPS.items():
        amount = sum(getattr(item, group) for item in budget.items)
        if amount == 0:
            continue
        always = [c for c in codes if c[0] in ALWAYS.get(group, ())]
        others = [c for c in codes if c not in always]
        k = len(others) if split_gov else rng.randint(1, max(1, len(others) * 2 // 3))
        chosen = always + rng.sample(others, k=k)
        chosen.sort()
        for (code, name, gov_a, gov_b), value in zip(chosen, split_amount(amount, len(chosen), rng)):
            shares = split_amount(value, 2, rng) if split_gov and gov_a != gov_b else [value]
            for gov, share in zip((gov_a, gov_b), shares):
                personnel = share if group in PERSONNEL_GROUPS else 0
                lines.append(EconLine(code, name, gov, GOV_NAMES[gov], personnel, share - personnel))
    return lines


def projects_of(budget: Budget, rng: random.Random, units: list[Unit]) -> list[Project]:
    """Project lines whose amounts add up to the budget's 其他运转类 and 特定目标类 totals."""
    names = rng.sample(PROJECT_NAMES, k=len(PROJECT_NAMES))
    out: list[Project] = []
    for kind, total in (("其他运转类", sum(x.other_ops for x in budget.items)),
                        ("特定目标类", sum(x.specific for x in budget.items))):
        if total == 0:
            continue
        for amount in split_amount(total, rng.randint(2, 4), rng):
            unit = units[0] if len(units) == 1 or rng.random() < 0.6 else rng.choice(units[1:])
            out.append(Project(kind, names.pop(), unit.name, amount))
    return out


def units_of(budget: Budget, rng: random.Random, dept_code: str) -> list[Unit]:
    """本级 plus zero to two subordinate units sharing the budget total."""
    subunits = rng.sample(SUBUNITS, k=rng.randint(0, 2))
    names = [f"{budget.dept_name}本级"] + [f"新乡市红旗区{name}" for name in subunits]
    amounts = split_amount(budget.total, len(names), rng)
    return [Unit(f"{dept_code}{i + 1:03d}", n, a) for i, (n, a) in enumerate(zip(names, amounts))]


def three_costs(rng: random.Random) -> ThreeCosts:
    """Small 三公 amounts; most departments have no trips abroad and buy no cars."""
    cents = lambda lo, hi: int(round(rng.uniform(lo, hi) * 100))  # noqa: E731
    return ThreeCosts(
        abroad=cents(2, 12) if rng.random() < 0.2 else 0,
        car_purchase=cents(15, 30) if rng.random() < 0.15 else 0,
        car_running=cents(2, 18) if rng.random() < 0.8 else 0,
        reception=cents(0.5, 4),
    )


def doc_data(budget: Budget, rng: random.Random, split_gov: bool = False) -> DocData:
    """Derive all detail of one document from ``budget`` in a fixed order of draws."""
    dept_code = f"{rng.randint(1, 120):03d}"
    units = units_of(budget, rng, dept_code)
    return DocData(budget, econ_lines(budget, rng, split_gov), projects_of(budget, rng, units), units,
                   dept_code, three_costs(rng))
