"""Map each column's header path onto a canonical column name with rapidfuzz.

The vocabulary is data (``vocabulary/columns.yaml``), not code. Every mapping
keeps its score; below the threshold a column stays unmapped and is reported,
never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Collection, Sequence

import numpy as np
import yaml
from rapidfuzz import fuzz, process

from table_reconstruct.tables.header import is_column_number
from table_reconstruct.cells.text_normalize import matching_key

PATH_SEPARATOR = "›"
_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?")
# A year in a header names the budget year, not the column's concept: "2026年预算数" is a 预算数.
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")


@dataclass(frozen=True)
class Alias:
    canonical: str
    levels: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Compared and hashed by identity: it keys the per-vocabulary caches below."""

    version: int
    threshold: float
    aliases: tuple[Alias, ...]


# libyaml's safe loader when PyYAML was built with it: the same data, a tenth of the pure-Python loader's
# 40 ms for the bundled forms and columns, which every document pays.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class ColumnMatch:
    canonical: str | None
    score: float
    candidate: str | None = None


def read_vocabulary_file(name: str, path: Path | None = None) -> dict:
    """A bundled vocabulary data file (``vocabulary/<name>``), or ``path`` when given, as parsed YAML."""
    if path is None:
        text = resources.files("table_reconstruct").joinpath(f"vocabulary/{name}").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return yaml.load(text, Loader=SAFE_LOADER)


def vocabulary_from_entries(entries: Sequence[dict], version: int = 1, threshold: float = 75) -> Vocabulary:
    """Build a vocabulary from ``{name, aliases}`` entries; each name is also an alias of itself."""
    aliases = tuple(
        Alias(entry["name"], tuple(matching_key(level) for level in alias.split(PATH_SEPARATOR)))
        for entry in entries
        for alias in [entry["name"], *entry.get("aliases", [])]
    )
    return Vocabulary(version=version, threshold=threshold, aliases=aliases)


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read a vocabulary file (the bundled one by default)."""
    data = read_vocabulary_file("columns.yaml", path)
    return vocabulary_from_entries(data["columns"], int(data.get("version", 1)), float(data.get("threshold", 75)))


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    return load_vocabulary()


def rank_candidates(path: Sequence[str], vocabulary: Vocabulary | None = None) -> list[tuple[float, int, str]]:
    """Each canonical name's best ``(score, alias levels, name)`` for the path, best first."""
    keys = header_keys(tuple(path))
    if not keys:
        return []
    return list(_ranked(keys, vocabulary or default_vocabulary()))


@lru_cache(maxsize=65536)
def header_keys(path: tuple[str, ...]) -> tuple[str, ...]:
    """The path's levels as matching keys, without column numbers (memoized: every form ranks the same paths).

    决算 tables number their columns in a 栏次 row (栏次 | 1 | 2 …), and a header
    block read too deep ends in body amounts or codes: numbers are never header words.
    """
    return tuple(key for key in (_YEAR.sub("", matching_key(level)) for level in path)
                 if key and not is_column_number(key) and not _NUMBER.fullmatch(key))


@dataclass(frozen=True)
class _AliasGroup:
    """A vocabulary's aliases with the same number of levels, joined, in vocabulary order."""

    levels: int
    joined: tuple[str, ...]
    canonicals: tuple[str, ...]


@lru_cache(maxsize=256)
def _alias_groups(vocabulary: Vocabulary) -> tuple[_AliasGroup, ...]:
    lengths = sorted({len(alias.levels) for alias in vocabulary.aliases})
    return tuple(
        _AliasGroup(
            n,
            tuple(PATH_SEPARATOR.join(a.levels) for a in vocabulary.aliases if len(a.levels) == n),
            tuple(a.canonical for a in vocabulary.aliases if len(a.levels) == n),
        )
        for n in lengths
    )


@lru_cache(maxsize=65536)
def _ranked(keys: tuple[str, ...], vocabulary: Vocabulary) -> tuple[tuple[float, int, str], ...]:
    """``rank_candidates`` for normalized keys: one rapidfuzz ``cdist`` per alias length, memoized.

    Tables repeat the same header paths page after page and document after
    document, and the form classifier ranks every path against every form's
    vocabulary, so the memo turns most calls into a lookup.
    """
    best: dict[str, tuple[float, int, str]] = {}
    for group in _alias_groups(vocabulary):
        if group.levels > len(keys):  # an alias deeper than the path cannot match it
            scores = [0.0] * len(group.canonicals)
        else:
            tail = PATH_SEPARATOR.join(keys[-group.levels :])
            scores = process.cdist([tail], group.joined, scorer=fuzz.ratio, dtype=np.float64, workers=1)[0].tolist()
        for score, canonical in zip(scores, group.canonicals):
            ranked = (float(score), group.levels, canonical)
            if ranked[:2] > best.get(canonical, (-1.0, 0, ""))[:2]:
                best[canonical] = ranked
    return tuple(sorted(best.values(), reverse=True))


def map_header_path(path: Sequence[str], vocabulary: Vocabulary | None = None) -> ColumnMatch:
    """Best canonical name for one header path, or ``None`` with the best score when below threshold."""
    return map_columns([path], vocabulary)[0]


def map_columns(
    paths: Sequence[Sequence[str]], vocabulary: Vocabulary | None = None, taken: Collection[str] = ()
) -> list[ColumnMatch]:
    """Map a table's columns so no canonical name is used twice: strongest matches claim first.

    A column that loses its name to a stronger match takes its next candidate
    above the threshold, or stays unmapped (reported with its best score).
    Names in ``taken`` are already used by the table and are not given again.
    """
    vocabulary = vocabulary or default_vocabulary()
    ranked = [rank_candidates(path, vocabulary) for path in paths]
    # Strongest first; on a tie the left-most column wins (a table's first 合计 is its total).
    claims = sorted(
        ((score, levels, index, name) for index, options in enumerate(ranked) for score, levels, name in options if score >= vocabulary.threshold),
        key=lambda claim: (-claim[0], -claim[1], claim[2]),
    )
    matches: dict[int, ColumnMatch] = {}
    taken = set(taken)
    for score, _, index, name in claims:
        if index in matches or name in taken:
            continue
        matches[index] = ColumnMatch(name, round(score, 1), name)
        taken.add(name)
    return [
        matches.get(index) or ColumnMatch(None, round(options[0][0], 1) if options else 0.0, options[0][2] if options else None)
        for index, options in enumerate(ranked)
    ]
