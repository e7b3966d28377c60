"""Models loaded ahead of the first page (``run`` starts them before it imports the store and the
pipeline): the engine a document is read with gets them, and reads as an engine loaded on demand."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocr.engines.base import BackgroundLoader
from ocr.engines.rapid import RapidOcrEngine
from flows.core.engine_cache import document_engine, shared_engine, start_loading_engine
from flows.core.settings import Settings
from tests.conftest import SAMPLE_PDF

pytestmark = pytest.mark.slow


def _line(text: str) -> np.ndarray:
    from samples.synth.fonts import body_fonts

    font = body_fonts("song").pil(28)
    image = Image.new("L", (int(font.getlength(text)) + 24, 44), 255)
    ImageDraw.Draw(image).text((12, 6), text, font=font, fill=0)
    return np.asarray(image)


def _join_loaders() -> None:
    for thread in threading.enumerate():
        if thread.name == "load-recognizer":
            thread.join(timeout=60)


def test_a_page_read_while_the_models_load_reads_as_one_read_after():
    crops = [_line(text) for text in ["2024", "0.00", "1,234.56", "一般公共预算财政拨款收入", "合计"]]
    preloaded = RapidOcrEngine(threads=1)
    assert isinstance(preloaded, BackgroundLoader)
    preloaded.start_loading()
    during = preloaded.recognize(crops)  # most likely waits for the loading thread's session
    _join_loaders()
    on_demand = RapidOcrEngine(threads=1).recognize(crops)
    assert [r.text for r in during] == [r.text for r in on_demand] == ["2024", "0.00", "1,234.56", "一般公共预算财政拨款收入", "合计"]
    assert preloaded.recognize(crops) == during


def test_run_loads_the_engine_its_document_is_read_with(tmp_path):
    settings = Settings(pages="1")
    shared_engine.cache_clear()
    start_loading_engine(SAMPLE_PDF, settings)
    _join_loaders()
    engine = document_engine(settings, 1)  # the engine extract_tables asks for one selected page
    assert engine._recognizer is not None  # loaded by the thread, not by a page


def test_a_file_that_cannot_be_counted_loads_nothing_and_raises_nothing(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    shared_engine.cache_clear()
    start_loading_engine(broken, Settings())
    assert shared_engine.cache_info().currsize == 0
    assert not any(thread.name == "load-recognizer" for thread in threading.enumerate())
