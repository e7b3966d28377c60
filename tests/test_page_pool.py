"""Pages read two at a time (threads) give the result of the sequential read, in order, with the same notes."""

from __future__ import annotations

import json
from pathlib import Path

from flows.core.cores import page_workers
from flows.core.pipeline import process_file
from flows.core.settings import Settings

SCAN = Path(__file__).resolve().parents[1] / "samples" / "corpus" / "smoke" / "doc00.scanned-noisy.pdf"
# Speed, not result: the thread settings and each page's time.
NEUTRAL_KEYS = {"seconds", "threads", "page_workers"}


def without_speed(value):
    if isinstance(value, dict):
        return {key: without_speed(item) for key, item in value.items() if key not in NEUTRAL_KEYS}
    if isinstance(value, list):
        return [without_speed(item) for item in value]
    return value


def read(workers: int) -> tuple[dict, list[tuple[int, int]]]:
    progress: list[tuple[int, int]] = []
    result = process_file(SCAN, Settings(page_workers=workers),
                          on_page=lambda done, total: progress.append((done, total)))
    return without_speed(json.loads(result.model_dump_json())), progress


def test_two_pages_at_once_read_a_scan_as_one_at_a_time_does():
    import cv2

    opencv_threads = cv2.getNumThreads()
    sequential, sequential_progress = read(1)
    parallel, parallel_progress = read(2)
    assert cv2.getNumThreads() == opencv_threads  # held to the pages' share while reading, then given back
    assert [note["text_source"] for note in parallel["document"]["page_notes"]] == ["ocr"] * 3
    assert [note["page"] for note in parallel["document"]["page_notes"]] == [1, 2, 3]
    assert parallel_progress == sequential_progress == [(1, 3), (2, 3), (3, 3)]
    assert parallel["tables"] and parallel == sequential


def test_pages_at_once_follow_the_cores_unless_threads_or_pages_say_otherwise():
    assert page_workers(Settings(page_workers=3), pages=2) == 2
    assert page_workers(Settings(threads=1), pages=8) == 1  # batch pins threads: one document per worker, no more
    assert page_workers(Settings(), pages=1) == 1
    assert 1 <= page_workers(Settings(), pages=8) <= 4
