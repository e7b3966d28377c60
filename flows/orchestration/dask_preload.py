"""A Dask worker preload: what a document task needs, imported as the worker starts.

    dask worker tcp://10.0.0.5:8786 --nthreads 1 --preload flows.orchestration.dask_preload

A document task reaches a worker pickled, and unpickling it imports Prefect, the
batch flow's module and the store's database driver: 3.6–4.2 CPU-s per worker
process on the benchmark's 2-core machine, paid by the first document of the first
batch while the other workers do the same on the same cores. A long-lived worker
started with this preload pays it once, before any batch; the local cluster of
``--runner dask`` starts its workers with it too. The OCR child is not started
here: it exits after ``DISCLOSURE_OCR_WORKER_IDLE_S`` idle, long before a nightly
batch.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys

# The modules a document task's unpickling and first run import, and the database drivers a
# PostgreSQL store is reached with (imported only where installed).
TASK_MODULES = ("flows.orchestration.archive_flow", "prefect.task_engine")
DRIVER_MODULES = ("psycopg", "sqlalchemy.dialects.postgresql.psycopg")

log = logging.getLogger(__name__)


def preload() -> list[str]:
    """Import the task's modules and the installed drivers; returns the modules imported."""
    loaded = []
    for name in TASK_MODULES:
        importlib.import_module(name)
        loaded.append(name)
    for name in DRIVER_MODULES:
        if importlib.util.find_spec(name.split(".")[0]) is not None:
            importlib.import_module(name)
            loaded.append(name)
    return loaded


def preloaded() -> list[str]:
    """Which of the task's modules this process holds (``client.run(preloaded)`` asks every worker)."""
    return [name for name in TASK_MODULES if name in sys.modules]


def dask_setup(worker=None) -> None:
    """Dask calls this in each worker process that starts with ``--preload flows.orchestration.dask_preload``."""
    log.info("disclosure-ocr: preloaded %s", ", ".join(preload()))
