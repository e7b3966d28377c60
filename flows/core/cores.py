"""How many cores this process may use: what page threads and batch workers are sized by.

A module of its own so that the batch flow's supervising process (which reads no page) can ask
without importing the page pool and, with it, OpenCV and the whole pipeline.
"""

from __future__ import annotations

import os


def available_cores() -> int:
    """The cores this process is allowed to run on (its affinity), else the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
