"""Identity fields a user supplies or corrects: run options, a sidecar beside the PDF, an archive CSV.

Precedence, weakest first: what the document says, ``identity.csv`` rows
(in the document's folder or any folder above it, keyed by ``file`` name or
``sha256``), the ``<pdf>.identity.yaml`` sidecar, then the ``--department``/
``--year``/… options of ``batch`` and ``reprocess``. Every field records who set it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Sequence

import yaml

from table_reconstruct.document.identity import PageText, apply_overrides, read_identity
from table_reconstruct.model import DocumentIdentity, Table

from flows.core.settings import Settings


SIDECAR_SUFFIX = ".identity.yaml"
ARCHIVE_CSV = "identity.csv"
# Folders above the document searched for an identity.csv.
CSV_REACH = 6


def sidecar_values(path: Path) -> dict:
    """The fields of ``<pdf>.identity.yaml`` (a mapping such as ``year: 2026``), or {} when there is none."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    loaded = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
    if not isinstance(loaded, dict):
        raise ValueError(f"{sidecar.name}: expected a mapping of identity fields, found {type(loaded).__name__}")
    return {str(key): value for key, value in loaded.items()}


def csv_rows(path: Path, sha256: str) -> list[tuple[dict, str]]:
    """Rows for this document in every identity.csv from the farthest folder to the document's own."""
    found = []
    for folder in reversed([path.parent, *path.parent.parents][:CSV_REACH]):
        table = folder / ARCHIVE_CSV
        if not table.is_file():
            continue
        with table.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                key_file, key_sha = (row.pop("file", "") or "").strip(), (row.pop("sha256", "") or "").strip().lower()
                if (key_sha and key_sha == sha256) or (key_file and _names_file(folder, key_file, path)):
                    found.append(({k: v for k, v in row.items() if k in DocumentIdentity.FIELDS}, f"user:csv:{table}"))
    return found


def _names_file(folder: Path, key: str, path: Path) -> bool:
    """A CSV's ``file`` column names the document by its name or its path relative to the CSV's folder."""
    return key == path.name or (folder / key).resolve() == path.resolve()


def identify_document(path: Path, texts: Sequence[PageText], tables: Sequence[Table], settings: Settings,
                      sha256: str = "") -> DocumentIdentity:
    """What the document says, then every user source applied in order of precedence."""
    identity = read_identity(texts, tables)
    sources = csv_rows(path, sha256) if path.parent.is_dir() else []
    sources.append((sidecar_values(path), f"user:sidecar:{path.name}{SIDECAR_SUFFIX}"))
    sources.append((dict(settings.identity or {}), "user:option"))
    for values, set_by in sources:
        if values:
            identity = apply_overrides(identity, values, set_by)
    return identity
