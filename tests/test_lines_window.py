"""Rules worked out in the window the ink occupies equal rules worked out over the whole page.

Real renders: the committed smoke corpus's born-digital page with its text
painted out (ink only where the table is, so the window is smaller than the
page) and its scanned-noisy page (ink everywhere), and real Jiangsu pages
when ../shared is present.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ocr.pages.pdfium_doc import PdfiumDocument
from table_reconstruct.grid.lines import RuleDirection, binarize, extract_lines, find_table_regions, ink_window, mended_rules, rule_directions, rule_inks
from table_reconstruct.tables.reconstruct_layer import GRID_DPI, without_text

SMOKE = Path(__file__).resolve().parents[1] / "samples" / "corpus" / "smoke"
JIANGSU = Path(__file__).resolve().parents[2] / "shared" / "real" / "jiangsu"


def whole_page_rules(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    ink = binarize(gray, dpi)
    across, down = rule_directions(*rule_inks(gray, ink, dpi), dpi)
    return mended_rules(across, down), mended_rules(down, across)


def renders() -> list[tuple[str, np.ndarray, float, bool]]:
    """(name, gray page, dpi, whether the page is known to hold a ruled table)."""
    pages = []
    sources = [SMOKE / "doc02.born-digital.pdf", SMOKE / "doc00.scanned-noisy.pdf"]
    if JIANGSU.is_dir():
        sources += sorted(JIANGSU.glob("*.pdf"))[:3]  # narrative pages and tables
    for source in sources:
        with PdfiumDocument(source) as doc:
            for number in range(1, min(len(doc), 3) + 1):
                layer = doc.text_layer(number)
                for dpi in (GRID_DPI, 200.0):
                    page = doc.render(number, dpi)
                    image = without_text(page.image, layer, page.points_per_pixel) if layer.chars else page.image
                    pages.append((f"{source.name}:{number}@{dpi:g}", image, dpi, source.parent == SMOKE))
    return pages


@pytest.mark.parametrize("name, gray, dpi, has_table", renders(), ids=lambda value: value if isinstance(value, str) else "")
def test_rules_in_the_ink_window_equal_the_whole_pages(name, gray, dpi, has_table):
    masks = extract_lines(gray, dpi)
    horizontal, vertical = whole_page_rules(gray, dpi)
    assert np.array_equal(masks.horizontal, horizontal) and np.array_equal(masks.vertical, vertical)
    if has_table:
        assert find_table_regions(masks, dpi)


def test_the_born_digital_window_is_smaller_than_the_page():
    with PdfiumDocument(SMOKE / "doc02.born-digital.pdf") as doc:
        page = doc.render(1, GRID_DPI)
        gray = without_text(page.image, doc.text_layer(1), page.points_per_pixel)
    rows, cols = ink_window(binarize(gray, GRID_DPI), 10)
    share = (rows.stop - rows.start) * (cols.stop - cols.start) / gray.size
    assert share < 0.9


def test_a_blank_page_has_no_rules_and_no_tables():
    masks = extract_lines(np.full((300, 200), 255, np.uint8), 100)
    assert not masks.horizontal.any() and not masks.vertical.any()
    assert find_table_regions(masks, 100) == []


@pytest.mark.parametrize("horizontal", [True, False], ids=["across", "down"])
def test_sure_rules_are_the_long_runs_exactly_where_they_are_drawn(horizontal):
    """Runs of at least twice the shortest rule (30 px at 100 DPI) are sure rules, pixel for pixel.

    OpenCV's opening with an even kernel moves what it keeps by one pixel; a
    shifted sure rule left a one-pixel doubtful stub at every rule's end, which
    sent crisp pages through the slow check of short rules.
    """
    ink = np.zeros((40, 120), np.uint8)
    ink[5, 10:39] = 255  # 29 px: a short run, not sure
    ink[15, 10:40] = 255  # 30 px
    ink[25, 11:42] = 255  # 31 px
    ink[35, 3:110] = 255
    sure = ink.copy()
    sure[5] = 0
    if not horizontal:
        ink, sure = ink.T.copy(), sure.T.copy()
    rules = RuleDirection(ink, 100, horizontal)
    assert np.array_equal(rules.runs, ink)
    assert np.array_equal(rules.anchors, sure)
