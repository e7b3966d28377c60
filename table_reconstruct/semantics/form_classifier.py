"""Which standard form a table is, from its title and header, with a score.

Titles vary by year and region ("2022年部门收支预算表", "部门收支总体情况表",
"2018 年度江苏省高级人民法院收支预算总表", "预算01表"), so the title is
reduced to the form's own words first (no year, no list number, no trailing
"（功能科目）") and compared with every printed variant in ``forms.yaml``,
also aligned to its end so a department name in front does not count
against it. The header is the second witness: how much of it the form's own
column vocabulary explains. Forms with the same header (部门支出总体情况表 and
一般公共预算支出情况表) are told apart by the title; a table without a title is
judged by its header alone, discounted. Below the catalog's threshold the
answer is ``"unknown"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from rapidfuzz import fuzz

from table_reconstruct.semantics.form_number import form_number, without_form_number
from table_reconstruct.semantics.forms import UNKNOWN, FormCatalog, FormSpec, default_catalog
from table_reconstruct.semantics.header_mapping import map_columns
from table_reconstruct.cells.text_normalize import matching_key

TITLE_WEIGHT = 0.75
# A header alone is weaker evidence than a title: it cannot tell apart forms that share one.
HEADER_ONLY_WEIGHT = 0.8
# Matching only the end of a longer title (a department name in front) ranks just below a full match.
SUFFIX_FACTOR = 0.98
NUMBER_BONUS = 3.0

_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")
_ENUMERATION = re.compile(r"^(?:附件\d*[:：]?|附表\d*[:：]?|[一二三四五六七八九十]+[、.．]|\(?\d{1,2}\)?[、.．])")
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")
_UNIT_TAIL = re.compile(r"(?:金额)?单位[:：].*$")


@dataclass(frozen=True)
class FormMatch:
    form: str
    score: float
    title_score: float = 0.0
    header_score: float = 0.0


@dataclass(frozen=True)
class TitleKey:
    """A title reduced to the words that name its form, and its printed form number if any."""

    text: str
    number: int | None


def title_key(title: str | None) -> TitleKey:
    """Drop the year, list enumeration, 预算NN表/公开NN表 number and trailing remark from a title."""
    text = matching_key(title or "")
    number = form_number(text)
    text = without_form_number(text)
    text = _UNIT_TAIL.sub("", text)
    text = _YEAR.sub("", text)
    text = text.replace("()", "")
    text = _ENUMERATION.sub("", text)
    while _TRAILING_NOTE.search(text) and not text.endswith("表"):
        text = _TRAILING_NOTE.sub("", text)
    return TitleKey(text.strip(" :：-"), number)


# The catalog's title variants, normalized once: every table is scored against all of them.
_variant_key = lru_cache(maxsize=4096)(matching_key)


def title_similarity(key: str, variant: str) -> float:
    """How well a reduced title names one printed variant: whole, or as its ending."""
    variant = _variant_key(variant)
    if not key or not variant:
        return 0.0
    whole = fuzz.ratio(key, variant)
    ending = SUFFIX_FACTOR * fuzz.ratio(key[-len(variant):], variant) if len(key) > len(variant) else 0.0
    return float(max(whole, ending))


def title_score(key: TitleKey, form: FormSpec) -> tuple[float, int]:
    """Best ``(score, variant length)`` of the form's title variants; longer variants win ties."""
    best = max(((title_similarity(key.text, v), len(v)) for v in form.titles), default=(0.0, 0))
    if best[0] and key.number is not None and key.number in form.numbers:
        best = (min(100.0, best[0] + NUMBER_BONUS), best[1])
    return best


def header_score(paths: Sequence[Sequence[str]], form: FormSpec) -> float:
    """Share of the table's header columns the form's vocabulary maps, weighted by match score."""
    present = [path for path in paths if any(level.strip() for level in path)]
    if not present:
        return 0.0
    matches = map_columns(present, form.vocabulary)
    return sum(m.score for m in matches if m.canonical) / len(present)


def combined_score(key: TitleKey, title: float, header: float) -> float:
    """Title and header together; a table without a title is judged by its header alone."""
    combined = HEADER_ONLY_WEIGHT * header
    if key.text:
        combined = max(combined, TITLE_WEIGHT * title + (1 - TITLE_WEIGHT) * header)
    return combined


def classify_table(
    title: str | None, paths: Sequence[Sequence[str]], catalog: FormCatalog | None = None
) -> FormMatch:
    """The form this table most likely is, or ``"unknown"`` (with the best score) below the threshold.

    Ranked by (combined, title, title variant length), catalog order breaking ties. Title
    scores are cheap and header scores are not (a vocabulary ranking per form), so forms are
    visited best title first and the visit stops at a form whose perfect header could not
    reach the best combined score so far: same result as scoring every form.
    """
    catalog = catalog or default_catalog()
    key = title_key(title)
    titled = [(index, form, *(title_score(key, form) if key.text else (0.0, 0))) for index, form in enumerate(catalog.forms)]
    titled.sort(key=lambda item: item[2], reverse=True)
    best = None  # (rank, header score, form id); rank = (combined, title, variant length, -catalog index)
    for index, form, title_s, length in titled:
        if best is not None and combined_score(key, title_s, 100.0) < best[0][0]:
            break
        header_s = header_score(paths, form)
        rank = (combined_score(key, title_s, header_s), title_s, length, -index)
        if best is None or rank > best[0]:
            best = (rank, header_s, form.id)
    if best is None:
        return FormMatch(UNKNOWN, 0.0)
    (combined, title_s, _, _), header_s, form_id = best
    form_id = form_id if combined >= catalog.threshold else UNKNOWN
    return FormMatch(form_id, round(combined, 1), round(title_s, 1), round(header_s, 1))
