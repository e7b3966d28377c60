"""The messages a batch worker and its child process send each other over their pipe, typed.

Pickled as they are, so the run's ``Settings`` cross as ``Settings`` (not a dict rebuilt on the other side).
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.core.settings import Settings


# Supervisor → child.
@dataclass(frozen=True)
class ReadRequest:
    source: str
    out_dir: str
    settings: Settings
    run_id: str


class Stop:
    """Exit now."""


# Child → supervisor.
class Accepted:
    """The child took the document."""


@dataclass(frozen=True)
class PageRead:
    """Pages read so far, of how many."""

    done: int
    total: int


@dataclass(frozen=True)
class ResultWritten:
    """The run's copy of the result (``None``: the path was no file, nothing to record)."""

    result_path: str | None


@dataclass(frozen=True)
class ReadFailed:
    """One line for the store; the child exits after sending it (its traceback goes to stderr)."""

    message: str


@dataclass(frozen=True)
class LogLine:
    """One of the child's log records, to be logged again by the supervisor (see ``child_logs``)."""

    level: int
    logger: str
    text: str
