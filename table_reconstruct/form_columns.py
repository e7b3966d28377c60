"""Identify a table's form, then name its columns with that form's vocabulary.

A form's own aliases know its generic leaves (金额, 项目名称, 部门（科目）代码)
and which parent tells a leaf apart (本年拨款›一般公共预算 vs
财政拨款结转结余›一般公共预算); columns the form does not know fall back to
the general vocabulary (``columns.yaml``), which is also all an "unknown"
table gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .form_classifier import FormMatch, classify_table
from .forms import FormCatalog, default_catalog
from .header_mapping import ColumnMatch, Vocabulary, default_vocabulary, map_columns


@dataclass(frozen=True)
class TableIdentity:
    form: FormMatch
    columns: list[ColumnMatch]


def map_form_columns(
    paths: Sequence[Sequence[str]],
    form_id: str,
    catalog: FormCatalog | None = None,
    general: Vocabulary | None = None,
) -> list[ColumnMatch]:
    """Columns by the form's vocabulary first; the still unmapped ones by the general vocabulary."""
    catalog = catalog or default_catalog()
    general = general or default_vocabulary()
    form = catalog.get(form_id)
    if form is None:
        return map_columns(paths, general)
    own = map_columns(paths, form.vocabulary)
    left = [i for i, match in enumerate(own) if match.canonical is None]
    if not left:
        return own
    taken = {match.canonical for match in own if match.canonical}
    fallback = map_columns([paths[i] for i in left], general, taken)
    result = list(own)
    for i, match in zip(left, fallback):
        result[i] = match if match.canonical or match.score > own[i].score else own[i]
    return result


def identify_table(
    title: str | None,
    paths: Sequence[Sequence[str]],
    catalog: FormCatalog | None = None,
    general: Vocabulary | None = None,
) -> TableIdentity:
    """The table's form (or "unknown") and its columns' canonical names."""
    form = classify_table(title, paths, catalog)
    return TableIdentity(form, map_form_columns(paths, form.form, catalog, general))
