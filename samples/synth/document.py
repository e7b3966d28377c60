"""A corpus document: which department, which forms, which look; and its table specs.

A ``DocPlan`` is small and JSON-able (it goes into the truth file), and
everything else is derived from its seed, so any document of the corpus can
be rebuilt on its own.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

from samples.synth.budget import random_budget
from samples.synth.catalog import CATALOG
from samples.synth.details import doc_data
from samples.synth.render import Rules
from samples.synth.spec import TableSpec

# Grid looks the corpus cycles through (widths are px at 200 DPI).
RULES: dict[str, Rules] = {
    "normal": Rules(width_px=2),
    "thin": Rules(width_px=1),
    "thick": Rules(width_px=4),
    "faint": Rules(width_px=2, gray=165),
    "broken": Rules(width_px=2, gaps_per_inch=1.5),
}


@dataclass(frozen=True)
class Look:
    """Typeface of body text (``song``/``hei``) and the grid's look (a ``RULES`` key)."""

    body: str = "song"
    rules: str = "normal"

    def grid(self, seed: int) -> Rules:
        base = RULES[self.rules]
        return Rules(base.width_px, base.gray, base.gaps_per_inch, seed)


@dataclass(frozen=True)
class DocPlan:
    doc_id: str
    seed: int
    dept_name: str
    year: int
    n_items: int
    forms: tuple[str, ...]
    look: Look = field(default_factory=Look)
    split_gov: bool = False  # 机关/事业 lines: makes the 基本支出表 run onto a second page

    def as_dict(self) -> dict:
        return asdict(self)


def doc_specs(plan: DocPlan) -> list[TableSpec]:
    """The plan's forms, in order, all built from one seeded budget."""
    rng = random.Random(plan.seed)
    budget = random_budget(rng, plan.dept_name, plan.year, plan.n_items)
    data = doc_data(budget, rng, plan.split_gov)
    return [CATALOG[form](data) for form in plan.forms]
