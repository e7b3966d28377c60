"""What a person watching a batch sees: documents done / failed / remaining and pages per second.

``Tally`` counts (the flow logs it after every document, which is what a
scheduled run shows in the Prefect UI); ``BatchProgress`` draws it as a live
bar in the terminal for ``batch`` and ``reprocess``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@dataclass
class Tally:
    planned: int | None = None
    done: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    started: float = field(default_factory=time.monotonic)

    def finished(self, status: str) -> None:
        self.done += 1
        self.failed += status == "failed"
        self.skipped += status.startswith("skipped")

    def pages_per_second(self) -> float:
        return self.pages / max(1e-6, time.monotonic() - self.started)

    def line(self) -> str:
        remaining = "?" if self.planned is None else max(0, self.planned - self.done)
        skipped = f" (left to another batch {self.skipped})" if self.skipped else ""
        return (
            f"done {self.done}{skipped}  failed {self.failed}  remaining {remaining}  "
            f"{self.pages} pages, {self.pages_per_second():.2f} pages/s"
        )


class BatchProgress:
    """A progress reporter (see ``progress``) fed from several worker threads at once."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = progress.add_task("documents", total=None, stats="")
        self.lock = threading.Lock()
        self.tally = Tally()
        self.last_page: dict[str, int] = {}

    @staticmethod
    def columns() -> tuple:
        return (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[stats]}"))

    def batch_planned(self, documents: int) -> None:
        self.tally.planned = documents
        self.progress.update(self.task, total=documents, stats=self.tally.line())

    def document_started(self, source: str, pages: int | None) -> None:
        with self.lock:
            self.last_page[source] = 0

    def page_done(self, source: str, done: int, total: int) -> None:
        with self.lock:
            self.tally.pages += max(0, done - self.last_page.get(source, 0))
            self.last_page[source] = done
        self.progress.update(self.task, stats=self.tally.line())

    def document_finished(self, source: str, status: str, pages: int = 0) -> None:
        """Count the document; its pages too when no page events came (a task run on a Dask worker)."""
        with self.lock:
            self.tally.finished(status)
            self.tally.pages += max(0, pages - self.last_page.pop(source, 0))
        self.progress.update(self.task, advance=1, stats=self.tally.line())
