"""Document identity: content hash, so renamed copies are one document and edits are new."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ocr.hashing import file_sha256


def sha256_of(path: Path) -> str:
    return file_sha256(path)


def doc_id_for(sha256: str) -> str:
    """Short, stable id used for the output folder: the first 16 hex digits of the hash."""
    return sha256[:16]


def document_key(info) -> str:
    """Output folder name for a document: its content id, or an id of its path when unreadable."""
    if info.sha256:
        return doc_id_for(info.sha256)
    return "unreadable-" + hashlib.sha256(str(info.source).encode("utf-8")).hexdigest()[:12]
