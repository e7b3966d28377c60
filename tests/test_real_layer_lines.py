"""A real born-digital 绩效目标表 whose multi-line cells and ≥ signs used to send the page to OCR.

重庆-19 page 26: the digits' font boxes are twice the height of the CJK line and the
punctuation's sit low, so one line's boxes reached into the next and the layer read the
two-line 年度目标 cell with its lines interleaved ("行额22022.66年亿…"). Sampled against OCR,
that cell disagreed, the page went to OCR, and OCR read the 指标性质 column's lone "≥" at
confidence 0.35: the document needed review for cells its text layer holds exactly.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from flows.core.pipeline import process_file
from flows.core.settings import Settings
from ocr.pages.pdfium_doc import PdfiumDocument
from table_reconstruct.cells.layer_cells import chars_by_cell, layer_readings
from table_reconstruct.tables.reconstruct import find_grids
from table_reconstruct.tables.reconstruct_layer import GRID_DPI, sample_cells, without_text

CHONGQING = Path(__file__).resolve().parents[2] / "shared" / "real" / "cities" / "重庆-19.pdf"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHONGQING.is_file(), reason="needs ../shared/real/cities")]


def test_multi_line_cells_read_in_order_and_the_page_keeps_its_layer():
    # Page 8 confirms the document's fonts first, as in a whole-document run.
    result = process_file(CHONGQING, Settings(pages="8,26"))
    note = result.document.page_notes[-1]
    assert (note.page, note.text_source) == (26, "text_layer"), note.text_source_reason
    assert result.document.status == "ok", result.document.review_reasons
    (table,) = [t for t in result.tables if 26 in t.pages]
    texts = [c.text for c in table.cells]
    (goal,) = [t for t in texts if t.startswith("2026年") and "全市商务经济发展稳中向好" in t]
    assert "离岸服务外包执行额22.6亿美元及以上" in goal and "外贸进出口总值8000亿元及以上" in goal
    signs = [c for c in table.cells if c.text == "≥"]
    assert len(signs) == 9 and all(c.confidence == 1.0 for c in signs)


def layer_page_readings(number: int) -> list:
    """Every cell's reading of a page of 重庆-19 from its text layer, as the layer path reads it."""
    with PdfiumDocument(CHONGQING) as doc:
        layer, page = doc.text_layer(number), doc.render(number, GRID_DPI)
    grids, _, _ = find_grids(replace(page, image=without_text(page.image, layer, page.points_per_pixel)), scanned=False)
    return [r for grid in grids
            for r in layer_readings(grid, chars_by_cell(grid, layer.chars, page.points_per_pixel), page.points_per_pixel)]


def test_cells_of_symbols_alone_are_never_sampled_against_ocr():
    readings = layer_page_readings(26)
    signs = [r for r in readings if r.text == "≥"]
    assert len(signs) == 9
    assert sample_cells(signs, 3) == []
    assert all(r.text != "≥" for r in sample_cells([r for r in readings if r.text], 3))


def test_a_tall_box_on_the_next_line_stays_on_its_line():
    # Page 28's header "指标权重" over "(%)": the (%) boxes are twice the line, their centres
    # within half their own height of the line above.
    (weight,) = [r for r in layer_page_readings(28) if "权重" in r.text]
    assert (weight.text, len(weight.lines)) == ("指标权重（%）", 2)
