"""The catalog of standard forms (``vocabulary/forms.yaml``): ids, titles, per-form columns.

Forms are data, not code: a new region's title or column alias is a line in
the YAML file, and its ``version`` says which catalog a result was made with.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from table_reconstruct.semantics.header_mapping import Vocabulary, read_vocabulary_file, vocabulary_from_entries

UNKNOWN = "unknown"


@dataclass(frozen=True)
class FormSpec:
    """One standard form: its id, printed title variants and its own column vocabulary."""

    id: str
    family: str  # "budget" (部门预算) or "final" (部门决算)
    name: str
    numbers: tuple[int, ...]
    titles: tuple[str, ...]
    vocabulary: Vocabulary
    # False for forms whose rows are not summands (绩效目标表: one project's amount beside each of its indicators).
    row_sums: bool = True


@dataclass(frozen=True)
class FormCatalog:
    version: int
    threshold: float
    forms: tuple[FormSpec, ...]

    def get(self, form_id: str) -> FormSpec | None:
        return next((form for form in self.forms if form.id == form_id), None)

    def column_names(self) -> set[str]:
        """Every canonical column name any form knows."""
        return {alias.canonical for form in self.forms for alias in form.vocabulary.aliases}


def load_catalog(path: Path | None = None, column_threshold: float = 75) -> FormCatalog:
    """Read a forms file (the bundled one by default); ids must be unique."""
    data = read_vocabulary_file("forms.yaml", path)
    version = int(data.get("version", 1))
    forms = tuple(
        FormSpec(
            id=entry["id"],
            family=entry.get("family", "budget"),
            name=entry["name"],
            numbers=tuple(int(n) for n in entry.get("numbers", [])),
            titles=tuple(dict.fromkeys([entry["name"], *entry.get("titles", [])])),
            vocabulary=vocabulary_from_entries(entry.get("columns", []), version, column_threshold),
            row_sums=bool(entry.get("row_sums", True)),
        )
        for entry in data["forms"]
    )
    ids = [form.id for form in forms]
    duplicates = sorted({i for i in ids if ids.count(i) > 1} | ({UNKNOWN} & set(ids)))
    if duplicates:
        raise ValueError(f"form ids must be unique and not {UNKNOWN!r}: {duplicates}")
    return FormCatalog(version=version, threshold=float(data.get("threshold", 60)), forms=forms)


@lru_cache(maxsize=1)
def default_catalog() -> FormCatalog:
    return load_catalog()
