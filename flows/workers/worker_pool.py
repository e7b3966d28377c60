"""Document workers shared by the supervising threads of one process.

A supervising thread borrows an idle worker (or a new one) for one document
and gives it back, so a process never holds more children than documents it
runs at once, whatever thread the task runner or the CLI uses next.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flows.workers.worker import DocumentWorker

_lock = threading.Lock()
_idle: list[DocumentWorker] = []


@contextmanager
def borrowed_worker() -> Iterator[DocumentWorker]:
    with _lock:
        worker = _idle.pop() if _idle else DocumentWorker()
    try:
        yield worker
    finally:
        with _lock:
            _idle.append(worker)


def start_worker_early() -> None:
    """An idle worker whose child is already starting, for the next document borrowed (unless one is
    alive already): a one-off command's child then imports the pipeline while the command opens
    the store and finds the file, instead of after."""
    with _lock:
        if any(worker.pid is not None for worker in _idle):
            return
    worker = DocumentWorker()
    worker.start()
    with _lock:
        _idle.append(worker)


def stop_idle_workers() -> int:
    """Stop every idle child of this process (end of a batch, exit); returns how many ran."""
    with _lock:  # taken out while they stop, so no thread borrows one meanwhile
        workers, _idle[:] = list(_idle), []
    running = [worker for worker in workers if worker.pid is not None]
    for worker in running:
        worker.stop()
    with _lock:
        _idle.extend(workers)
    return len(running)


atexit.register(stop_idle_workers)
