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

import yaml
from rapidfuzz import fuzz

from .header import is_column_number
from .text_normalize import matching_key

PATH_SEPARATOR = "›"
_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?")


@dataclass(frozen=True)
class Alias:
    canonical: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    version: int
    threshold: float
    aliases: tuple[Alias, ...]


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
    return yaml.safe_load(text)


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


def score_alias(path: Sequence[str], alias: Alias) -> float:
    """Similarity (0-100) of the alias to the last ``len(alias)`` levels of the path."""
    if len(path) < len(alias.levels):
        return 0.0
    tail = PATH_SEPARATOR.join(path[-len(alias.levels) :])
    return float(fuzz.ratio(tail, PATH_SEPARATOR.join(alias.levels)))


def rank_candidates(path: Sequence[str], vocabulary: Vocabulary | None = None) -> list[tuple[float, int, str]]:
    """Each canonical name's best ``(score, alias levels, name)`` for the path, best first."""
    vocabulary = vocabulary or default_vocabulary()
    # 决算 tables number their columns in a 栏次 row (栏次 | 1 | 2 …), and a header block read too
    # deep ends in body amounts or codes: numbers are never header words.
    keys = [key for key in (matching_key(level) for level in path)
            if key and not is_column_number(key) and not _NUMBER.fullmatch(key)]
    if not keys:
        return []
    best: dict[str, tuple[float, int, str]] = {}
    for alias in vocabulary.aliases:
        ranked = (score_alias(keys, alias), len(alias.levels), alias.canonical)
        if ranked[:2] > best.get(alias.canonical, (-1.0, 0, ""))[:2]:
            best[alias.canonical] = ranked
    return sorted(best.values(), reverse=True)


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
