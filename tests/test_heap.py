"""Freed heap memory goes back to the OS once RSS has grown enough (glibc only)."""

from __future__ import annotations

import numpy as np
import pytest

from flows.core import heap


@pytest.mark.skipif(heap._glibc() is None, reason="malloc_trim is glibc's")
def test_freed_heap_buffers_are_returned_once_rss_has_grown():
    heap.trim_if_grown(0.0)  # start from a trimmed heap
    assert not heap.trim_if_grown(64.0), "nothing has grown yet"
    # 4,000 buffers of 64 KB (below glibc's mmap threshold: they live in the heap), then all
    # but the last freed: the heap's top stays in use, so glibc cannot shrink it on its own.
    buffers = [np.ones(8192, dtype=np.float64) for _ in range(4000)]
    keep = buffers[-1]
    del buffers
    before = heap.resident_mb()
    assert heap.trim_if_grown(64.0)
    assert heap.resident_mb() < before - 100
    assert keep.sum() == 8192
