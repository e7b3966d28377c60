"""Progress reporting from inside flow tasks to whoever is watching (the CLI's progress bar).

Task parameters must be serializable for Prefect, so a callback cannot be
passed in; the CLI registers a reporter here instead, in the same process.
"""

from __future__ import annotations

from typing import Protocol


class ProgressReporter(Protocol):
    """Every event a run or a batch reports; a reporter with nothing to show for one does nothing."""

    def batch_planned(self, documents: int) -> None: ...

    def document_started(self, source: str, pages: int | None) -> None: ...

    def page_done(self, source: str, done: int, total: int) -> None: ...

    def document_finished(self, source: str, status: str, pages: int = 0) -> None:
        """``pages``: how many the document had, for reporters that saw no page events (remote workers)."""


_reporter: ProgressReporter | None = None


def set_reporter(reporter: ProgressReporter | None) -> None:
    global _reporter
    _reporter = reporter


def batch_planned(documents: int) -> None:
    if _reporter is not None:
        _reporter.batch_planned(documents)


def document_started(source: str) -> None:
    if _reporter is not None:
        _reporter.document_started(source, None)


def page_done(source: str, done: int, total: int) -> None:
    if _reporter is not None:
        _reporter.page_done(source, done, total)


def document_finished(source: str, status: str, pages: int = 0) -> None:
    if _reporter is not None:
        _reporter.document_finished(source, status, pages)
