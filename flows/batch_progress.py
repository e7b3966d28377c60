"""What a person watching a batch sees: documents done / failed / remaining and pages per second."""

from __future__ import annotations

import threading
import time

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class BatchProgress:
    """A progress reporter (see ``progress``) fed from several worker threads at once."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = progress.add_task("documents", total=None, stats="")
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.pages = 0
        self.done = self.failed = 0
        self.last_page: dict[str, int] = {}

    @staticmethod
    def columns() -> tuple:
        return (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[stats]}"))

    def batch_planned(self, documents: int) -> None:
        self.progress.update(self.task, total=documents)
        self.progress.update(self.task, stats=self.stats())

    def document_started(self, source: str, pages: int | None) -> None:
        with self.lock:
            self.last_page[source] = 0

    def page_done(self, source: str, done: int, total: int) -> None:
        with self.lock:
            self.pages += max(0, done - self.last_page.get(source, 0))
            self.last_page[source] = done
        self.progress.update(self.task, stats=self.stats())

    def document_finished(self, source: str, status: str) -> None:
        with self.lock:
            self.done += 1
            self.failed += status == "failed"
            self.last_page.pop(source, None)
        self.progress.update(self.task, advance=1, stats=self.stats())

    def stats(self) -> str:
        total = self.progress.tasks[self.task].total if self.progress.tasks else None
        remaining = "?" if total is None else max(0, int(total) - self.done)
        rate = self.pages / max(1e-6, time.monotonic() - self.started)
        return f"done {self.done}  failed {self.failed}  remaining {remaining}  {rate:.2f} pages/s"
