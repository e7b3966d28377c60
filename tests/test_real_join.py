"""A real disclosure whose 基本支出 table runs from page 13 onto page 14 without a header.

Truth is the PDF's own text layer (``pdftotext -layout``); the pipeline is made
to read only the rasterized pages (``force_ocr``), as it would a scan.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from flows.pipeline import process_file
from flows.settings import Settings

REAL = Path(__file__).resolve().parents[2] / "shared" / "real" / "jiangsu" / \
    "江苏省人大办公厅__江苏省人大办公厅2017年度预算公开.pdf"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not REAL.is_file() or shutil.which("pdftotext") is None,
                       reason="needs ../shared/real and poppler-utils"),
]


def text_layer_rows(first: int, last: int) -> list[list[str]]:
    """(code, name, amount) per printed row; the 合计 row has no code."""
    text = subprocess.run(["pdftotext", "-f", str(first), "-l", str(last), "-layout", str(REAL), "-"],
                          capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in text.splitlines() if line.strip()]
    return [row if len(row) == 3 else ["", *row] for row in rows[1:]]  # rows[0] is the header


def test_table_continued_on_the_next_page_is_one_table():
    result = process_file(REAL, Settings(pages="13-14", force_ocr=True))
    (table,) = result.tables
    want = text_layer_rows(13, 14)
    assert table.pages == [13, 14] and len(table.page_bboxes) == 2
    assert table.header_rows == 1 and table.n_rows == 1 + len(want) == 24
    assert [row[0] for row in table.body_rows()] == [row[0] for row in want]  # codes, in order, over both pages
    assert [row[2] for row in table.body_rows()] == [row[2] for row in want]  # amounts, commas repaired
    first_page_rows = 1 + len(text_layer_rows(13, 13))
    assert all(c.page == (13 if c.row < first_page_rows else 14) for c in table.cells)
    repaired = [r for r in result.review_cells if "thousands separators" in r.reason]
    assert repaired and {r.text for r in repaired} <= {row[2] for row in want if "," in row[2]}
