"""A document's pages read in order, up to ``workers`` OCR'd pages reconstructed at once on threads.

The naive whole-page pass keeps both cores busy inside ONNX Runtime; a page of
this pipeline is half OpenCV and Python on one core. So a long scan's OCR'd
pages are reconstructed on a small thread pool (OpenCV and ONNX Runtime release
the GIL), each engine call on one thread, while the main thread starts the next
page. Everything touching the PDF stays on the calling thread (pdfium is not
thread-safe). Pages come back in document order with what each raised, so the
result is the one a sequential read gives; at most ``workers`` pages are held.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from ocr.pages.page_image import PageImage
from table_reconstruct.model import PageNote, Table

from flows.core.cores import available_cores
from flows.core.page_reader import PageReader
from flows.core.settings import Settings

@dataclass
class StartedPage:
    """A page whose PDF work is done: its tables to come, and its image when it was OCR'd."""

    number: int
    note: PageNote
    started: float
    tables: Future
    image: PageImage | None = None


class _Inline:
    """A one-page-at-a-time stand-in for the pool: runs the call at once (the sequential read, no thread)."""

    def submit(self, call: Callable, *args) -> Future:
        return _settled(call, *args)


def _settled(call: Callable, *args) -> Future:
    future: Future = Future()
    try:
        future.set_result(call(*args))
    except BaseException as exc:  # handed to the page's reader in document order, as a sequential read raises it
        future.set_exception(exc)
    return future


@contextmanager
def _executor(workers: int) -> Iterator[ThreadPoolExecutor | _Inline]:
    if workers == 1:
        yield _Inline()
        return
    with _opencv_threads(max(1, available_cores() // workers)), \
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="page") as pool:
        yield pool


@contextmanager
def _opencv_threads(threads: int) -> Iterator[None]:
    """OpenCV's own thread pool held to the cores each page has, as ONNX Runtime's is (``engine_threads``).

    With every page thread also fanning its morphology out over all cores, the
    cores are asked for twice what they have: 8 % more CPU on an 8-page scan.
    OpenCV's setting is process-wide, so it is put back afterwards.
    """
    import cv2

    before = cv2.getNumThreads()
    cv2.setNumThreads(threads)
    try:
        yield
    finally:
        cv2.setNumThreads(before)


def started_pages(reader: PageReader, numbers: Sequence[int], workers: int,
                  clock: Callable[[], float]) -> Iterator[StartedPage]:
    """Each page of ``numbers`` in order, its ``tables`` future running on the pool; at most ``workers`` held."""
    pending: deque[StartedPage] = deque()
    with _executor(workers) as pool:
        for number in numbers:
            while len(pending) >= workers:
                yield pending.popleft()
            page = StartedPage(number, PageNote(page=number), clock(), Future())
            started = _settled(reader.start, number, page.note)
            if started.exception() is None and isinstance(started.result(), PageImage):
                page.image = started.result()
                page.tables = pool.submit(reader.reconstruct, page.image, page.note)
            else:
                page.tables = started
            pending.append(page)
        while pending:
            yield pending.popleft()
