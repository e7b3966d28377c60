"""Hand freed heap memory back to the operating system between pages.

glibc keeps freed buffers in its heap, and page-sized ones of sizes that vary
from page to page (renders, masks, recognition tensors) fragment it: a
300-page scanned document grew about 1 MB a page (677 MB peak) while its live
memory grew 0.25 MB a page, and ``malloc_trim`` brought a 60-page run from
486 back to 210 MB. A trim itself takes about 6 ms, but the pages it hands
back must be faulted in again by the next page's buffers: trimming after
every scanned page cost 100 ms a page (14 %). So it runs only once RSS has
grown ``TRIM_AFTER_GROWTH_MB`` since the last trim, a few times in a
300-page document. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import resource
from functools import lru_cache

TRIM_AFTER_GROWTH_MB = 256.0
_state = {"floor_mb": 0.0}


@lru_cache(maxsize=1)
def _glibc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        return libc if libc is not None and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def resident_mb() -> float:
    """Resident set size now, from /proc (0 where there is none)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return 0.0


def trim_if_grown(growth_mb: float = TRIM_AFTER_GROWTH_MB) -> bool:
    """``malloc_trim`` when RSS grew ``growth_mb`` since the last trim; True if it ran."""
    libc, now = _glibc(), resident_mb()
    if libc is None or now - _state["floor_mb"] < growth_mb:
        return False
    libc.malloc_trim(0)
    _state["floor_mb"] = resident_mb()
    return True
