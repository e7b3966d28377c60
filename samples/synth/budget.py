"""Seeded department budget: the numbers behind every form, in integer fen.

Amounts are integers (1 = 0.01 万元) so every sum in the truth is exact; forms
only format them. All forms of one document are built from one ``Budget`` so
cross-table totals agree, as in a real disclosure.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

from samples.synth.codes import FUNCTION_TREE, profile_of

Level = Literal["合计", "类", "款", "项"]

BASIC_PARTS = ("wages", "family", "goods", "capital")
PROJECT_PARTS = ("other_ops", "specific")


@dataclass(frozen=True)
class ExpLine:
    """One row of 部门支出总体情况表 with its economic split (integer hundredths)."""

    code: str
    name: str
    level: Level
    wages: int = 0
    family: int = 0
    goods: int = 0
    capital: int = 0
    other_ops: int = 0
    specific: int = 0

    @property
    def basic(self) -> int:
        return self.wages + self.family + self.goods + self.capital

    @property
    def project(self) -> int:
        return self.other_ops + self.specific

    @property
    def total(self) -> int:
        return self.basic + self.project


def sum_lines(code: str, name: str, level: Level, lines: list[ExpLine]) -> ExpLine:
    """Aggregate row: each part is the sum of that part over ``lines``."""
    parts = {p: sum(getattr(x, p) for x in lines) for p in BASIC_PARTS + PROJECT_PARTS}
    return ExpLine(code, name, level, **parts)


@dataclass
class Budget:
    """A department's year: its name, year and the 项-level expenditure lines."""

    dept_name: str
    year: int
    items: list[ExpLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(x.total for x in self.items)

    def class_total(self, lei: str) -> int:
        return sum(x.total for x in self.items if x.code.startswith(lei))

    def tree_rows(self) -> list[ExpLine]:
        """合计, then per 类 its row, per 款 its row and its 项 rows, in code order."""
        rows = [sum_lines("", "合计", "合计", self.items)]
        for lei in sorted({x.code[:3] for x in self.items}):
            lei_items = [x for x in self.items if x.code[:3] == lei]
            lei_name, kuans = FUNCTION_TREE[lei][0], FUNCTION_TREE[lei][1]
            rows.append(sum_lines(lei, lei_name, "类", lei_items))
            for kuan in sorted({x.code[:5] for x in lei_items}):
                kuan_items = [x for x in lei_items if x.code[:5] == kuan]
                rows.append(sum_lines(kuan, kuans[kuan][0], "款", kuan_items))
                rows.extend(kuan_items)
        return rows


def _amount(rng: random.Random, low: float, high: float) -> int:
    """A 万元 amount in [low, high) as integer hundredths."""
    return int(round(rng.uniform(low, high) * 100))


def random_item(rng: random.Random, code: str, name: str) -> ExpLine:
    """A 项 line with a plausible split for its profile; zeros become empty cells."""
    profile = profile_of(name)
    if profile == "basic":
        return ExpLine(code, name, "项",
                       wages=_amount(rng, 60, 320),
                       family=_amount(rng, 0.5, 30) if rng.random() < 0.8 else 0,
                       goods=_amount(rng, 3, 40),
                       capital=_amount(rng, 0.5, 8) if rng.random() < 0.25 else 0)
    if profile == "wages":
        return ExpLine(code, name, "项", wages=_amount(rng, 5, 45))
    if profile == "family":
        return ExpLine(code, name, "项", family=_amount(rng, 2, 35))
    if rng.random() < 0.7:
        return ExpLine(code, name, "项", other_ops=_amount(rng, 1, 90))
    return ExpLine(code, name, "项", specific=_amount(rng, 5, 150))


def random_budget(rng: random.Random, dept_name: str, year: int, n_items: int = 6) -> Budget:
    """Pick ``n_items`` 项 codes from the curated tree (always one 行政运行) and fill them."""
    leaves = [(x, n) for _, (_, ks) in FUNCTION_TREE.items() for _, (_, xs) in ks.items() for x, n in xs.items()]
    running = [leaf for leaf in leaves if leaf[1] == "行政运行"]
    chosen = {rng.choice(running)}
    while len(chosen) < n_items:
        chosen.add(rng.choice(leaves))
    return Budget(dept_name, year, [random_item(rng, c, n) for c, n in sorted(chosen)])


def fixed_budget(rng: random.Random, dept_name: str, year: int, codes: list[str]) -> Budget:
    """Budget over exactly ``codes`` (7-digit 项 codes), amounts from ``rng``."""
    items = []
    for code in codes:
        name = FUNCTION_TREE[code[:3]][1][code[:5]][1][code]
        items.append(random_item(rng, code, name))
    return Budget(dept_name, year, items)
