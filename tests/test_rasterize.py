"""Input handling: PDFs and scans page by page, and every kind of bad input as a clear error."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfWriter
from reportlab.pdfgen import canvas

from flows.core.pipeline import process_file
from ocr.errors import BadInputError
from ocr.pages.page_range import parse_page_range
from ocr.pages.rasterize import capped_dpi, count_pages, iter_pages
from tests.conftest import SAMPLE_PDF


def make_pdf(path, pages: int = 3, size=(595, 842)):
    pdf = canvas.Canvas(str(path), pagesize=size)
    for number in range(1, pages + 1):
        pdf.drawString(72, size[1] - 72, f"page {number}")
        pdf.showPage()
    pdf.save()
    return path


def test_page_ranges():
    assert parse_page_range(None, 4) == [1, 2, 3, 4]
    assert parse_page_range("1-2, 4", 5) == [1, 2, 4]
    assert parse_page_range("3-", 5) == [3, 4, 5]
    assert parse_page_range("2-9", 3) == [2, 3]
    with pytest.raises(ValueError):
        parse_page_range("4-2", 5)


def test_pdf_pages_come_one_at_a_time_at_the_requested_dpi(tmp_path):
    pdf = make_pdf(tmp_path / "three.pdf")
    pages = iter_pages(pdf, dpi=100, pages="2-3")
    first = next(pages)
    assert first.number == 2 and first.image.shape == (1170, 827) and first.dpi == 100
    assert [p.number for p in pages] == [3]


def test_scans_as_png_and_multipage_tiff(tmp_path):
    frames = [Image.new("L", (400, 300), 255), Image.new("L", (400, 300), 128)]
    frames[0].save(tmp_path / "scan.tif", save_all=True, append_images=frames[1:], dpi=(300, 300))
    frames[1].save(tmp_path / "scan.png")
    tiff_pages = list(iter_pages(tmp_path / "scan.tif", pages="2"))
    assert [p.number for p in tiff_pages] == [2] and tiff_pages[0].dpi == 300
    assert int(np.median(tiff_pages[0].image)) == 128
    assert count_pages(tmp_path / "scan.png") == 1


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.pdf", b"", "empty"),
        ("letter.pdf", b"Dear archive, this is not a PDF.", "not a PDF"),
        ("truncated.pdf", SAMPLE_PDF.read_bytes()[:300], "corrupt"),
        ("picture.png", b"\x89PNG\r\n\x1a\n broken", "not a readable image"),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BadInputError, match=reason) as caught:
        list(iter_pages(path))
    assert caught.value.kind == "bad_input" and caught.value.stage == "rasterize"


def test_password_protected_pdf_is_reported_as_such(tmp_path):
    writer = PdfWriter(clone_from=str(make_pdf(tmp_path / "plain.pdf", pages=1)))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(BadInputError, match="password"):
        count_pages(locked)


def test_enormous_pages_are_rendered_smaller_and_say_so(tmp_path):
    pdf = make_pdf(tmp_path / "poster.pdf", pages=1, size=(7200, 7200))  # 100 inches square
    page = next(iter_pages(pdf, dpi=200, max_side_px=1500))
    assert max(page.image.shape) <= 1500 and page.dpi < 200
    assert "capped" in page.note
    assert capped_dpi((595, 842), 200, 12000) == 200


def test_bad_input_becomes_a_failed_result_not_an_exception(tmp_path):
    path = tmp_path / "zero.pdf"
    path.write_bytes(b"")
    result = process_file(path)
    assert result.document.status.value == "failed"
    assert result.document.error_kind == "bad_input" and "empty" in result.document.error
    assert result.tables == []


@pytest.mark.slow
def test_pages_without_tables_fail_as_no_tables_found(tmp_path):
    result = process_file(make_pdf(tmp_path / "narrative.pdf", pages=2))
    assert result.document.status.value == "failed" and result.document.error_kind == "no_tables_found"
    assert all(n.skipped.startswith("no ruled table found on this page") for n in result.document.page_notes)
    assert len(result.document.page_notes) == 2
