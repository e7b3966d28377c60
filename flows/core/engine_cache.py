"""One OCR engine per process: loading models costs more than reading a page."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ocr.engines import OcrEngine, create_engine
from ocr.engines.base import BackgroundLoader

from flows.core.cores import engine_threads, page_workers
from flows.core.settings import Settings


@lru_cache(maxsize=4)
def shared_engine(name: str, threads: int | None = None, stock: bool = False) -> OcrEngine:
    return create_engine(name, threads=threads, stock=stock)


def document_engine(settings: Settings, pages: int) -> OcrEngine:
    """The shared engine a document of ``pages`` selected pages is read with: its ONNX Runtime
    threads are the cores left to each of the pages read at once."""
    return shared_engine(settings.engine, engine_threads(settings, page_workers(settings, pages)))


def start_loading_engine(path: Path, settings: Settings) -> None:
    """Begin loading the models the document at ``path`` will be read with, before the caller
    imports the store and the pipeline: a one-page ``run`` otherwise waits for them after.

    The engine is the one ``extract_tables`` will ask for (the same page count, so the same threads).
    A file whose pages cannot be counted is left alone: reading it reports why.
    """
    from ocr.pages.page_range import parse_page_range

    try:
        engine = document_engine(settings, len(parse_page_range(settings.pages, _page_count(path))))
    except Exception:  # a bad file, a bad range or a missing model: the run itself says which
        return
    if isinstance(engine, BackgroundLoader):
        engine.start_loading()


def _page_count(path: Path) -> int:
    """pdfium's count, as the reader takes it: never poppler's ``pdfinfo``, a subprocess that may hang
    (the reader's time limit covers the reading, not this start); an image's frames from PIL."""
    from ocr.pages.input_file import is_image_input

    if is_image_input(path):
        from ocr.pages.rasterize import count_pages

        return count_pages(path)
    from ocr.pages.pdfium_doc import PdfiumDocument

    with PdfiumDocument(path) as document:
        return len(document)
