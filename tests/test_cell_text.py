"""Finding and reading text inside grid cells, on images drawn here (real OpenCV, real OCR)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from flows.core.engine_cache import shared_engine
from ocr.pages.rasterize import PageImage
from samples.synth.fonts import FontSet
from samples.synth.layout import Style, layout_page
from samples.synth.render import draw_page
from samples.synth.spec import HeaderCell, LeafColumn, TableSpec
from table_reconstruct.cells.cell_text import REPAIRS, line_crop, prepare_text_page, remove_dust, text_line_boxes
from table_reconstruct.grid.lines import binarize
from table_reconstruct.cells.numbers import strip_dust
from table_reconstruct.tables.reconstruct import reconstruct_page

DPI = 200


def _ink(draw_on) -> np.ndarray:
    image = Image.new("L", (240, 60), 255)
    draw_on(ImageDraw.Draw(image), FontSet().pil(29))
    return binarize(np.asarray(image), DPI)


def test_dust_alone_makes_no_text_line():
    def dust(draw, _font):
        for x, y, r in ((30, 20, 3), (90, 35, 4), (150, 15, 2.5), (200, 40, 4.5)):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=40)

    ink = _ink(dust)
    assert ink.sum() > 0 and text_line_boxes(remove_dust(ink, DPI), DPI) == []


@pytest.mark.parametrize("text", ["-", "1", "0.5", "一", "201"])
def test_short_text_survives_the_dust_filter(text):
    ink = _ink(lambda draw, font: draw.text((100, 30), text, font=font, fill=0, anchor="lm"))
    (line,) = text_line_boxes(remove_dust(ink, DPI), DPI)
    assert line.x0 <= 102 and line.width >= 8


def test_dots_read_from_dust_are_dropped_and_noted():
    assert strip_dust("。.•") == ("", "specks read as '。.•' dropped")
    assert strip_dust("-") == ("-", None) and strip_dust("3.50") == ("3.50", None)


@pytest.mark.parametrize("raw, text", [
    ("合计.", "合计"), ("•工资福利支出", "工资福利支出"), ("办公费，", "办公费"), ("12.50.", "12.50"),
    ("2.928.98", "2,928.98"), ("13.649.07", "13,649.07"),
    # read on 北京-11 p7 (6 decimals) at 150 DPI and with a seal: a point read as a comma, commas read as points
    ("2,280000", "2.280000"), ("85,921264", "85.921264"), ("1.803.849103", "1,803.849103"), ("6,700,00", "6,700.00"),
    ("1.803.849", "1.803.849"), ("189,767,551", "189,767,551"), ("17,887", "17,887"),
    ("一、.一般公共预算", "一、一般公共预算"), ("一.一般公共预算", "一.一般公共预算"),
    ("其中：", "其中："), ("一、本年收入", "一、本年收入"), ("1.015", "1.015"), ("2,928.98", "2,928.98"), ("-", "-"),
])
def test_only_unambiguous_repairs_are_made(raw, text):
    got, notes = raw, []
    for repair in REPAIRS:
        got, note = repair(got)
        notes += [note] if note else []
    assert got == text and len(notes) == (raw != text)


def _touching_spec() -> TableSpec:
    """Amounts pushed against both sides of one rule: right-aligned, then left-aligned."""
    header = [HeaderCell(0, 0, "甲"), HeaderCell(0, 1, "乙"), HeaderCell(0, 2, "科目编码")]
    columns = [LeafColumn("甲", "right", 1.0), LeafColumn("乙", "left", 1.0), LeafColumn("科目编码", "center", 0.3)]
    body = [["1,234.56", "789.01", "208"], ["45.60", "2,310.00", "05"], ["88.06", "7.00", "02"]]
    return TableSpec("测试表", "万元", "测试局", 1, header, columns, body)


@pytest.mark.slow
def test_text_pressed_against_a_rule_is_split_there():
    fonts = FontSet()
    layout = layout_page(_touching_spec(), fonts.measure, DPI, Style(pad_x=1.5))
    image = np.asarray(draw_page(layout, DPI, fonts))
    engine = shared_engine("rapidocr", None)
    rule_x = layout.col_x[1] * DPI / 72
    row_y = [y * DPI / 72 for y in layout.row_y]
    crossing = [d for d in engine.detect(image) if d.x0 < rule_x - 10 and d.x1 > rule_x + 10 and d.y0 > row_y[1] - 5]
    assert crossing, "the whole-page detector should see the two amounts as one box (the hazard tested here)"
    (table,) = reconstruct_page(PageImage(1, image, DPI), engine).tables
    assert table.body_rows() == _touching_spec().body


def test_line_crop_paints_isolated_dust_over_and_keeps_the_line():
    """A line's glyphs at x 60-98 with a comma-like dot just below them; an isolated speck at x 40-42."""
    gray = np.full((60, 200), 250, np.uint8)
    gray[20:40, 60:99] = 10
    gray[40:43, 80:82] = 12  # below the glyph box but part of the line's ink (not dust)
    gray[28:31, 40:43] = 30
    ink = binarize(gray, DPI)
    page = prepare_text_page(gray, ink, [], DPI)
    assert page.dust[29, 41] and not page.dust[41, 80]
    (line,) = text_line_boxes(page.ink, DPI)
    crop = line_crop(page, line, pad=25)
    left = line.x0 - max(0, line.x0 - 25)
    assert crop[:, : left - 2].min() >= 240  # the speck inside the padding is painted over
    assert crop[:, left:].min() <= 12  # the glyphs and the dot below them are kept


def test_a_lone_doubtful_mark_is_dropped_but_a_confident_digit_stays():
    from table_reconstruct.cells.cell_text import drop_lone_low_confidence_mark

    assert drop_lone_low_confidence_mark("2", 0.21)[0] == ""
    assert "dropped as a speck" in drop_lone_low_confidence_mark("2", 0.21)[1]
    assert drop_lone_low_confidence_mark("2", 0.97) == ("2", None)
    assert drop_lone_low_confidence_mark("12", 0.21) == ("12", None)


def test_chinese_names_read_with_half_width_brackets_come_out_full_width():
    from table_reconstruct.cells.text_normalize import normalize_cell_text

    assert normalize_cell_text("其他政府办公厅(室）及相关机构事务支出") == "其他政府办公厅（室）及相关机构事务支出"
    assert normalize_cell_text("(1,234.00)") == "(1,234.00)"


def test_cleaning_windows_merge_overlaps_and_default_to_the_page():
    from table_reconstruct.cells.cell_text import cleaning_windows
    from table_reconstruct.grid.geometry import Rect

    apart = [Rect(0, 0, 10, 10), Rect(20, 20, 30, 30)]
    assert cleaning_windows(apart, 100, 100) == apart
    # The third joins the first two only through their union.
    chained = [Rect(0, 0, 10, 10), Rect(8, 8, 20, 20), Rect(18, 0, 30, 5)]
    assert cleaning_windows(chained, 100, 100) == [Rect(0, 0, 30, 20)]
    assert cleaning_windows([], 50, 40) == [Rect(0, 0, 50, 40)]
