"""Every form the corpus can draw, by ``form_id``, as ``DocData -> TableSpec``.

The two original builders take a bare ``Budget`` (the bundled sample uses
them directly); they are adapted here so the corpus sees one signature.
"""

from __future__ import annotations

from typing import Callable

from samples.synth.details import DocData
from samples.synth.forms import expenditure_overview, income_expense_overview
from samples.synth.forms_detail import basic_expenditure, project_expenditure, three_costs
from samples.synth.forms_final import final_accounts
from samples.synth.forms_income import fiscal_overview, income_overview
from samples.synth.spec import TableSpec

DocForm = Callable[[DocData], TableSpec]

CATALOG: dict[str, DocForm] = {
    "income_expense_overview": lambda d: income_expense_overview(d.budget),
    "income_overview": income_overview,
    "expenditure_overview": lambda d: expenditure_overview(d.budget),
    "fiscal_overview": fiscal_overview,
    "basic_expenditure": basic_expenditure,
    "three_costs": three_costs,
    "project_expenditure": project_expenditure,
    "final_income_expense": final_accounts,
}
