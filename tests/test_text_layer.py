"""The text-layer path on PDFs this test draws with reportlab, and the per-page trust check.

A born-digital table read from its text layer must give the cells the OCR
path reads from the same page's pixels; a layer with look-alike radicals or
private-use glyphs must be refused for that page, with the reason recorded.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ocr.pages.pdfium_doc import LayerChar, PageLayer, PdfiumDocument
from ocr.pages.text_layer_trust import agreement_verdict, cells_agree, layer_verdict

ROWS = [
    ["项目", "科目编码", "金额"],
    ["基本支出", "301", "1,234.56"],
    ["工资福利支出", "30101", "52.00"],
    ["商品和服务支出", "302", "0.00"],
    ["合计", "", "1,286.56"],
]
COLUMN_X = [60.0, 220.0, 330.0, 480.0]
ROW_H = 28.0
TOP = 160.0
LOOKALIKES = str.maketrans({"支": "⽀", "出": "出", "目": "⽬", "工": "⼯", "项": "\ue123"})


def draw_table(
    path: Path, transform=lambda text: text, pages: int = 1, cell_fonts: tuple[str, ...] = ("song",), turned: bool = False
) -> Path:
    """A titled, fully ruled table with a real CJK text layer, one per page (cells in ``cell_fonts``, by page).

    ``turned``: each page is a landscape sheet with /Rotate 90 and its content
    drawn a quarter turn back, so it shows upright as the same portrait page (as
    Office prints a landscape-set table).
    """
    from reportlab.pdfgen import canvas

    from samples.synth.pdf import BODY_FONTS, register_pdf_fonts

    register_pdf_fonts()
    width, height = 595.0, 842.0
    pdf = canvas.Canvas(str(path), pagesize=(width, height), invariant=1)  # reportlab swaps a turned page's sides itself
    for page in range(pages):
        if turned:
            pdf.setPageRotation(90)
            pdf.transform(0, 1, -1, 0, height, 0)  # upright portrait (x, y) -> sheet (height - y, x)
        pdf.setFont(BODY_FONTS["hei"], 16)
        pdf.drawString(COLUMN_X[0], height - 110, transform("2024年部门支出总体情况表"))
        pdf.setFont(BODY_FONTS["song"], 10)
        pdf.drawString(COLUMN_X[0], height - 140, transform("部门名称：新乡市红旗区商务局"))
        pdf.drawString(COLUMN_X[-1] - 60, height - 140, transform("单位：万元"))
        pdf.setLineWidth(0.72)
        for r in range(len(ROWS) + 1):
            y = height - (TOP + r * ROW_H)
            pdf.line(COLUMN_X[0], y, COLUMN_X[-1], y)
        for x in COLUMN_X:
            pdf.line(x, height - TOP, x, height - (TOP + len(ROWS) * ROW_H))
        pdf.setFont(BODY_FONTS[cell_fonts[min(page, len(cell_fonts) - 1)]], 11)
        for r, row in enumerate(ROWS):
            for c, text in enumerate(row):
                pdf.drawString(COLUMN_X[c] + 6, height - (TOP + r * ROW_H + 18), transform(text))
        pdf.showPage()
    pdf.save()
    return path


def _cells(table) -> list[tuple[int, int, int, int, str]]:
    return [(c.row, c.col, c.rowspan, c.colspan, unicodedata.normalize("NFKC", c.text)) for c in table.cells]


@pytest.mark.slow
def test_text_layer_gives_the_cells_ocr_reads_from_the_same_page(tmp_path):
    from flows.core.engine_cache import shared_engine
    from ocr.pages.rasterize import iter_pages
    from table_reconstruct.tables.reconstruct import reconstruct_page
    from table_reconstruct.tables.reconstruct_layer import reconstruct_from_layer

    path = draw_table(tmp_path / "born.pdf")
    engine = shared_engine("rapidocr", 1)
    with PdfiumDocument(path) as doc:
        from_layer = reconstruct_from_layer(doc, 1, engine, 200)
    assert from_layer.verdict.trusted, from_layer.verdict.reason
    from_ocr = reconstruct_page(next(iter_pages(path, 200)), engine).tables
    assert len(from_layer.tables) == len(from_ocr) == 1
    layer_table, ocr_table = from_layer.tables[0], from_ocr[0]
    assert (layer_table.n_rows, layer_table.n_cols) == (len(ROWS), 3)
    assert _cells(layer_table) == _cells(ocr_table)
    assert [c.text for c in layer_table.cells if c.row == 1] == ROWS[1]
    assert (layer_table.title, layer_table.unit, layer_table.department) == \
        (ocr_table.title, ocr_table.unit, ocr_table.department) == ("2024年部门支出总体情况表", "万元", "新乡市红旗区商务局")


@pytest.mark.slow
def test_a_turned_page_reads_its_layer_where_the_page_shows_it(tmp_path):
    """pdfium gives character boxes in the unturned sheet's space; they must land on the upright render's glyphs."""
    from flows.core.engine_cache import shared_engine
    from table_reconstruct.tables.reconstruct_layer import reconstruct_from_layer

    engine = shared_engine("rapidocr", 1)
    with PdfiumDocument(draw_table(tmp_path / "upright.pdf")) as doc:
        upright = reconstruct_from_layer(doc, 1, engine, 200)
    with PdfiumDocument(draw_table(tmp_path / "turned.pdf", turned=True)) as doc:
        assert doc.render(1, 72).image.shape == (842, 595)  # shown upright, portrait
        layer = doc.text_layer(1)
        turned = reconstruct_from_layer(doc, 1, engine, 200)
    assert (layer.width_pt, layer.height_pt) == (595.0, 842.0)
    title = next(ch for ch in layer.chars if ch.text == "2")
    assert title.x0 == pytest.approx(COLUMN_X[0], abs=1) and 90 < title.y0 < 110
    assert turned.verdict.trusted, turned.verdict.reason
    assert len(turned.tables) == len(upright.tables) == 1
    assert _cells(turned.tables[0]) == _cells(upright.tables[0])
    assert turned.tables[0].title == "2024年部门支出总体情况表"


@pytest.mark.slow
def test_garbled_layer_is_refused_per_page_and_the_page_is_ocrd(tmp_path):
    from flows.core.pipeline import process_file
    from flows.core.settings import Settings

    garbled = process_file(draw_table(tmp_path / "garbled.pdf", lambda t: t.translate(LOOKALIKES)), Settings(threads=1))
    note = garbled.document.page_notes[0]
    assert note.text_source == "ocr"
    assert "look-alike CJK radical" in note.text_source_reason
    # The private-use code point has no glyph in the font, so pdfium reports it as unmapped.
    assert "private-use" in note.text_source_reason or "replacement character" in note.text_source_reason
    # The pixels show the look-alikes too, so only the trust decision is checked here, not the cells.
    assert garbled.tables and garbled.tables[0].n_rows == len(ROWS)

    good = process_file(draw_table(tmp_path / "good.pdf"), Settings(threads=1))
    assert [n.text_source for n in good.document.page_notes] == ["text_layer"]
    assert "sampled cells agree" in good.document.page_notes[0].text_source_reason

    forced = process_file(draw_table(tmp_path / "good.pdf"), Settings(threads=1, force_ocr=True))
    assert [n.text_source for n in forced.document.page_notes] == ["ocr"]
    assert "force_ocr" in forced.document.page_notes[0].text_source_reason
    assert _cells(forced.tables[0]) == _cells(good.tables[0])


@pytest.mark.slow
def test_fonts_checked_on_one_page_are_not_sampled_again_on_the_next(tmp_path):
    from flows.core.pipeline import process_file
    from flows.core.settings import Settings
    from ocr.engines import rapid

    calls = []
    recognize = rapid.RapidOcrEngine.recognize

    def counting(self, crops):  # counts the OCR calls the real engine makes; the reading is unchanged
        calls.append(len(crops))
        return recognize(self, crops)

    rapid.RapidOcrEngine.recognize = counting
    try:
        same = process_file(draw_table(tmp_path / "same.pdf", pages=3), Settings(threads=1))
        same_calls, calls[:] = list(calls), []
        switched = process_file(draw_table(tmp_path / "switched.pdf", pages=3, cell_fonts=("song", "hei", "song")),
                                Settings(threads=1))
    finally:
        rapid.RapidOcrEngine.recognize = recognize
    reasons = [n.text_source_reason for n in same.document.page_notes]
    assert [n.text_source for n in same.document.page_notes] == ["text_layer"] * 3
    assert "sampled cells agree" in reasons[0]
    assert all("on an earlier page" in reason for reason in reasons[1:])
    assert len(same_calls) == 1  # one sampled strip for the whole document
    assert [len(t.cells) for t in same.tables] and all(_cells(t) == _cells(same.tables[0]) for t in same.tables)
    # A page whose cells are set in a font no earlier page confirmed is sampled again.
    reasons = [n.text_source_reason for n in switched.document.page_notes]
    assert "sampled cells agree" in reasons[0] and "sampled cells agree" in reasons[1]
    assert "on an earlier page" in reasons[2]
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("turns", "expected"),
    [(0, (10, 802, 30, 822)), (1, (20, 10, 40, 30)), (2, (565, 20, 585, 40)), (3, (802, 565, 822, 585))],
)
def test_page_frame_turns_pdf_boxes_the_way_the_page_is_shown(turns, expected):
    """A box 10–30 pt from the sheet's left and 20–40 pt from its bottom, on a 595 × 842 sheet turned ``turns`` quarters clockwise."""
    from ocr.pages.pdfium_doc import PageFrame

    frame = PageFrame(0.0, 0.0, 595.0, 842.0, turns)
    assert frame.to_display(10.0, 20.0, 30.0, 40.0) == expected
    moved = PageFrame(100.0, 50.0, 695.0, 892.0, turns)  # a crop box away from the origin
    assert moved.to_display(110.0, 70.0, 130.0, 90.0) == expected


def _layer(text: str, **kwargs) -> PageLayer:
    chars = tuple(LayerChar(ch, 10.0 * i, 0.0, 10.0 * i + 9, 12.0) for i, ch in enumerate(text))
    return PageLayer(chars=chars, width_pt=595.0, height_pt=842.0, **kwargs)


def test_layer_checks_that_need_no_pixels():
    body = "一般公共预算财政拨款支出表基本支出工资福利支出商品和服务支出合计1234.56" * 3
    assert layer_verdict(_layer(body)).trusted
    assert layer_verdict(_layer("")).reason == "no text layer"
    assert "too few characters" in layer_verdict(_layer("合计12")).reason
    radicals = layer_verdict(_layer(body.replace("一", "⼀").replace("支", "⽀")))
    assert not radicals.trusted and "look-alike CJK radical" in radicals.reason
    supplement = layer_verdict(_layer(body.replace("门", "⻔") + "部⻔部⻔部⻔部⻔"))
    assert not supplement.trusted and "4 look-alike" in supplement.reason
    unmapped = layer_verdict(_layer(body + "\ufffd" * 4))
    assert not unmapped.trusted and "replacement character" in unmapped.reason
    # One odd glyph among a page's characters (a symbol font's bullet) does not condemn it.
    assert layer_verdict(_layer(body + "\ue000")).trusted
    scan = layer_verdict(_layer(body, text_objects=10, invisible_text_objects=10, image_cover=1.0))
    assert not scan.trusted and "earlier OCR layer" in scan.reason


def test_sampled_cells_must_agree_with_ocr_of_the_image():
    assert cells_agree("1,234.56", "1234.56") and cells_agree("因公出国（境）费", "因公出国(境)费")
    assert not cells_agree("1,234.56", "1,284.56")
    assert not cells_agree("工资福利支出", "商品和服务支出")
    assert agreement_verdict([("301", "301"), ("52.00", "52.00")]).trusted
    verdict = agreement_verdict([("301", "301"), ("58.88", "52.00")])
    assert not verdict.trusted and "1 of 2 sampled cells" in verdict.reason
