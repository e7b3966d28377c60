"""Find an archive's documents and collapse identical files (same sha256) into one document."""

from __future__ import annotations

import glob
import logging
from dataclasses import dataclass
from pathlib import Path

from ocr.pages.input_file import IMAGE_SUFFIXES

from flows.core.identify import sha256_of

log = logging.getLogger(__name__)
INPUT_SUFFIXES = frozenset({".pdf"} | IMAGE_SUFFIXES)


@dataclass(frozen=True)
class Candidate:
    """One distinct document: the path it is processed from and the other names it was found under."""

    source: str
    sha256: str
    size_bytes: int
    aliases: tuple[str, ...] = ()


def find_inputs(source: str | Path, exclude: Path | None = None) -> list[Path]:
    """PDFs and scans under a folder (recursively) or matching a glob, sorted, outside ``exclude``."""
    root = Path(source)
    found = root.rglob("*") if root.is_dir() else (Path(p) for p in glob.glob(str(source), recursive=True))
    excluded = exclude.resolve() if exclude else None
    paths = []
    for path in found:
        if not path.is_file() or path.suffix.lower() not in INPUT_SUFFIXES or path.name.startswith("."):
            continue
        if excluded and path.resolve().is_relative_to(excluded):
            continue
        paths.append(path)
    return sorted(paths)


def unique_documents(paths: list[Path]) -> list[Candidate]:
    """Hash every file; the first path of each content is the one processed."""
    by_hash: dict[str, list[Path]] = {}
    for path in paths:
        try:
            by_hash.setdefault(sha256_of(path), []).append(path)
        except OSError as exc:  # unreadable: nothing to identify it by, so it cannot enter the store
            log.warning("skipping %s: cannot read it (%s)", path, exc)
    return [
        Candidate(str(group[0]), sha, group[0].stat().st_size, tuple(str(p) for p in group[1:]))
        for sha, group in by_hash.items()
    ]
