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


def document_started(source: str) -> None:
    """Batch runs call these too; reporters that do not care simply lack the method."""
    hook = getattr(_reporter, "document_started", None)
    if hook is not None:
        hook(source, None)


def document_finished(source: str, status: str, pages: int = 0) -> None:
    """``pages``: how many the document had, for reporters that saw no page events (remote workers)."""
    hook = getattr(_reporter, "document_finished", None)
    if hook is not None:
        hook(source, status, pages)


def batch_planned(documents: int) -> None:
    hook = getattr(_reporter, "batch_planned", None)
    if hook is not None:
        hook(documents)
