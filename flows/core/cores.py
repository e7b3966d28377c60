"""How many cores this process may use, and how a document's pages share them.

A module of its own so that the batch flow's supervising process (which reads no page), and a
command starting its engine before the pipeline is imported (``engine_cache``), can ask without
importing the page pool and, with it, OpenCV and the whole pipeline.
"""

from __future__ import annotations

import os

from flows.core.settings import Settings

# Pages reconstructed at once by default: enough for a few cores, few enough that page images stay small in memory.
MAX_AUTO_WORKERS = 4


def available_cores() -> int:
    """The cores this process is allowed to run on (its affinity), else the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def page_workers(settings: Settings, pages: int) -> int:
    """Pages read at once: the setting, else (auto) one per core up to ``MAX_AUTO_WORKERS``.

    Auto is sequential when the user fixed the engine's threads (``batch`` does, one document per worker
    process) or there is one page, so the cores are never asked for more than they have.
    """
    if settings.page_workers is not None:
        return max(1, min(settings.page_workers, pages))
    if settings.threads is not None:
        return 1
    return max(1, min(available_cores(), MAX_AUTO_WORKERS, pages))


def engine_threads(settings: Settings, workers: int) -> int | None:
    """ONNX Runtime threads per page: the user's choice, else the cores shared by the pages read at once."""
    if settings.threads is not None or workers == 1:
        return settings.threads
    return max(1, available_cores() // workers)
