"""One OCR engine per process: loading models costs more than reading a page."""

from __future__ import annotations

from functools import lru_cache

from ocr.engines import OcrEngine, create_engine


@lru_cache(maxsize=4)
def shared_engine(name: str, threads: int | None = None, stock: bool = False) -> OcrEngine:
    return create_engine(name, threads=threads, stock=stock)
