"""Atomic file writes: a run killed at any moment leaves the old file or the new, never half.

The temporary file mkstemp makes is private (0600); before it replaces the
target it gets the mode a plain ``open`` would give (0666 less the umask), so a
results folder shared by a team stays readable by the team.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _process_umask() -> int:
    """The umask, read once: setting it to read it back is not thread-safe, so do it at import."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_process_umask()


@contextmanager
def replaced_on_success(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` that becomes ``path`` only when the block ends without error,
    for files written in pieces (a streamed export); it gets the mode a plain ``open`` would give."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, FILE_MODE)
        os.close(handle)
        yield Path(temp_name)
        os.replace(temp_name, path)
    finally:
        Path(temp_name).unlink(missing_ok=True)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with replaced_on_success(path) as temp_path, temp_path.open("wb") as temp:
        temp.write(data)
        temp.flush()
        os.fsync(temp.fileno())


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes_atomic(path, text.encode(encoding))
