"""The progress reporter's type names every event the hooks send, and both reporters take every one."""

from __future__ import annotations

import inspect

from rich.progress import Progress

from flows.core import progress
from flows.orchestration.batch_progress import BatchProgress
from flows.cli.app import ProgressBars


def declared() -> set[str]:
    return {name for name, _ in inspect.getmembers(progress.ProgressReporter, inspect.isfunction) if not name.startswith("_")}


def test_every_hook_is_a_declared_method():
    hooks = {name for name, value in vars(progress).items()
             if inspect.isfunction(value) and value.__module__ == progress.__name__ and name != "set_reporter"}
    assert hooks == declared() == {"batch_planned", "document_started", "page_done", "document_finished"}


def test_both_reporters_take_every_event():
    with Progress(disable=True) as bar:
        for reporter in (ProgressBars(bar, 1), BatchProgress(bar)):
            progress.set_reporter(reporter)
            try:
                progress.batch_planned(1)
                progress.document_started("a.pdf")
                progress.page_done("a.pdf", 1, 2)
                progress.document_finished("a.pdf", "ok", 2)
            finally:
                progress.set_reporter(None)
            assert declared() <= set(dir(reporter))
