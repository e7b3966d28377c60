"""Progress reporting from inside flow tasks to whoever is watching (the CLI's progress bar).

Task parameters must be serializable for Prefect, so a callback cannot be
passed in; the CLI registers a reporter here instead, in the same process.
"""

from __future__ import annotations

from typing import Protocol


class ProgressReporter(Protocol):
    def document_started(self, source: str, pages: int | None) -> None: ...

    def page_done(self, source: str, done: int, total: int) -> None: ...


_reporter: ProgressReporter | None = None


def set_reporter(reporter: ProgressReporter | None) -> None:
    global _reporter
    _reporter = reporter


def page_done(source: str, done: int, total: int) -> None:
    if _reporter is not None:
        _reporter.page_done(source, done, total)
