"""Identify a table's form, then name its columns with that form's vocabulary.

A form's own aliases know its generic leaves (金额, 项目名称, 部门（科目）代码)
and which parent tells a leaf apart (本年拨款›一般公共预算 vs
财政拨款结转结余›一般公共预算); columns the form does not know fall back to
the general vocabulary (``columns.yaml``), which is also all an "unknown"
table gets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from table_reconstruct.semantics.form_classifier import FormMatch, classify_table
from table_reconstruct.semantics.forms import FormCatalog, default_catalog
from table_reconstruct.semantics.header_mapping import ColumnMatch, Vocabulary, default_vocabulary, map_columns
from table_reconstruct.cells.text_normalize import matching_key


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
    """Columns named as ``_map_columns`` does; those of an earlier year than the table's latest as ``上年_`` names.

    Years are dropped from header words ("2026年预算数" is a 预算数), so a
    table comparing two years ("2025年预算数" | "2026年预算数›总计") would
    have two 合计: the earlier year's columns are named on their own, with
    the prefix, and the current year's keep the plain names.
    """
    years = [max((int(y) for y in _YEAR.findall("".join(path))), default=0) for path in paths]
    earlier = [i for i, year in enumerate(years) if 0 < year < max(years)]
    if not earlier:
        return _map_columns(paths, form_id, catalog, general)
    current = [i for i in range(len(paths)) if i not in earlier]
    result: list[ColumnMatch] = list(_map_columns([paths[i] for i in current], form_id, catalog, general))
    matches = dict(zip(current, result))
    for i, match in zip(earlier, _map_columns([paths[i] for i in earlier], form_id, catalog, general)):
        matches[i] = ColumnMatch(f"上年_{match.canonical}", match.score, f"上年_{match.canonical}") if match.canonical else match
    return [matches[i] for i in range(len(paths))]


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _map_columns(
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
    own = _subtotals_by_parent(paths, map_columns(paths, form.vocabulary), [form.vocabulary, general])
    left = [i for i, match in enumerate(own) if match.canonical is None]
    if not left:
        return own
    taken = {match.canonical for match in own if match.canonical}
    fallback = map_columns([paths[i] for i in left], general, taken)
    result = list(own)
    for i, match in zip(left, fallback):
        result[i] = match if match.canonical or match.score > own[i].score else own[i]
    taken |= {match.canonical for match in result if match.canonical}
    for i in [i for i, match in enumerate(result) if match.canonical is None]:
        composed = _by_parent(paths[i], [form.vocabulary, general], taken)
        if composed is not None:
            result[i] = composed
            taken.add(composed.canonical)
    return result


_SUBTOTAL = ("小计", "合计")


def _subtotals_by_parent(paths, matches: list[ColumnMatch], vocabularies) -> list[ColumnMatch]:
    """``X›合计`` is X when the table prints its own whole elsewhere (总计 | 财政拨款›合计 …).

    A form's 1-level alias "合计" matches any column ending in 合计, so the
    table's own 总计 column would lose its name to a part's subtotal. Only
    when another, unnamed column is a 合计 does the subtotal take its
    parent's name; a lone 一般公共预算支出›合计 stays the table's 合计.
    """
    subtotal = next((i for i, (path, match) in enumerate(zip(paths, matches)) if match.canonical == "合计"
                     and len(levels := [lv for lv in path if lv.strip()]) >= 2
                     and matching_key(levels[-1]) in _SUBTOTAL), None)
    if subtotal is None:
        return list(matches)
    used = {m.canonical for m in matches if m.canonical}
    parent = _named([lv for lv in paths[subtotal] if lv.strip()][-2:-1], vocabularies)
    whole = next((i for i, m in enumerate(matches) if m.canonical is None
                  and map_columns([paths[i]], vocabularies[-1], used - {"合计"})[0].canonical == "合计"), None)
    if parent is None or parent.canonical in used or whole is None:
        return list(matches)
    result = list(matches)
    result[subtotal] = parent
    result[whole] = map_columns([paths[whole]], vocabularies[-1], used - {"合计"})[0]
    return result


def _by_parent(path: Sequence[str], vocabularies: Sequence[Vocabulary], taken: set) -> ColumnMatch | None:
    """A column no alias names, named by its header's structure, the same way in every region.

    ``X›小计`` is X itself; ``X›Y`` where both levels are known concepts (因公出国（境）费›一般公共预算,
    a fund under a 三公 item) is ``X_Y``. Levels that are only 小计 are skipped to reach the parent.
    """
    levels = [level for level in path if level.strip()]
    if len(levels) < 2:
        return None
    leaf, parents = levels[-1], [p for p in levels[:-1] if matching_key(p) not in _SUBTOTAL]
    if not parents:
        return None
    parent = _named(parents[-1:], vocabularies)
    if matching_key(leaf) in _SUBTOTAL:
        if parent is not None and parent.canonical not in taken:
            return parent
        return None
    own = _named([leaf], vocabularies)
    if parent is None or own is None or parent.canonical in (own.canonical, "合计"):
        return None  # a 合计 or year parent ("2026年预算数") qualifies nothing
    name = f"{parent.canonical}_{own.canonical}"
    return None if name in taken else ColumnMatch(name, min(parent.score, own.score), name)


def _named(path: Sequence[str], vocabularies: Sequence[Vocabulary]) -> ColumnMatch | None:
    for vocabulary in vocabularies:
        match = map_columns([path], vocabulary)[0]
        if match.canonical:
            return match
    return None


def identify_table(
    title: str | None,
    paths: Sequence[Sequence[str]],
    catalog: FormCatalog | None = None,
    general: Vocabulary | None = None,
) -> TableIdentity:
    """The table's form (or "unknown") and its columns' canonical names."""
    form = classify_table(title, paths, catalog)
    return TableIdentity(form, map_form_columns(paths, form.form, catalog, general))
