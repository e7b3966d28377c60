"""Cell reading and cross-page joining on a real rendered scan, end to end through process_file.

One landscape 支出表 is drawn with PIL, scanned (noise, JPEG) and run through
the whole pipeline once: narrow 类/款/项 code cells, a wrapped name, empty
cells with dust specks in them, and rows running onto a second page without a
repeated header. Every assertion compares with the spec the page was drawn from.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from flows.outputs.result_files import RESULT_FILE, write_outputs
from flows.core.pipeline import process_file
from flows.core.settings import Settings
from samples.synth.degrade import ScanNoise, degrade
from samples.synth.fonts import FontSet
from samples.synth.layout import PageLayout, layout_pages
from samples.synth.pdf import write_image_pdf
from samples.synth.render import draw_page
from samples.synth.spec import HeaderCell, LeafColumn, TableSpec
from samples.synth.truth import multipage_truth
from table_reconstruct.model import DocumentResult, Table

pytestmark = pytest.mark.slow

DPI = 200
# Above the default so that the review list has members on this clean page.
REVIEW_CONFIDENCE = 0.97
WRAPPED = "其他政府办公厅（室）及相关机构事务支出"
# (类, 款, 项, name, total, basic, project); "" is an empty cell.
ROWS = [
    ("", "", "", "合计", "5,310.52", "4,120.30", "1,190.22"),
    ("201", "", "", "一般公共服务支出", "1,843.10", "1,530.00", "313.10"),
    ("201", "13", "", "商贸事务", "612.40", "600.00", "12.40"),
    ("201", "13", "01", "行政运行", "600.00", "600.00", ""),
    ("201", "03", "99", WRAPPED, "12.40", "", "12.40"),
    ("208", "", "", "社会保障和就业支出", "907.35", "907.35", ""),
    ("208", "05", "", "行政事业单位养老支出", "907.35", "907.35", ""),
    ("208", "05", "02", "事业单位离退休", "88.06", "88.06", ""),
    ("210", "11", "", "行政事业单位医疗", "65.70", "65.70", ""),
    ("210", "11", "01", "行政单位医疗", "40.21", "40.21", ""),
    ("221", "02", "01", "住房公积金", "73.00", "73.00", ""),
] + [("213", "01", f"{k:02d}", f"农业农村项目{k}", f"{k}0.{k:02d}", "", f"{k}0.{k:02d}") for k in range(4, 20)]


def expenditure_spec() -> TableSpec:
    header = [
        HeaderCell(0, 0, "科目编码", colspan=3),
        HeaderCell(0, 3, "科目名称", rowspan=2),
        HeaderCell(0, 4, "合计", rowspan=2),
        HeaderCell(0, 5, "基本支出", rowspan=2),
        HeaderCell(0, 6, "项目支出", rowspan=2),
        HeaderCell(1, 0, "类"),
        HeaderCell(1, 1, "款"),
        HeaderCell(1, 2, "项"),
    ]
    columns = [LeafColumn("类", "center", 0.45), LeafColumn("款", "center", 0.4), LeafColumn("项", "center", 0.4),
               LeafColumn("科目名称", "left", 1.6), LeafColumn("合计", "right", 1.0),
               LeafColumn("基本支出", "right", 1.0), LeafColumn("项目支出", "right", 1.0)]
    return TableSpec("2026年部门支出总体情况表", "万元", "新乡市红旗区测试局", 2, header, columns,
                     [list(row) for row in ROWS], orientation="landscape", form_id="expenditure_overview")


def empty_cell_rects(layouts: list[PageLayout]) -> list[tuple[int, tuple[float, float, float, float]]]:
    return [(page, box.rect) for page, layout in enumerate(layouts) for box in layout.cells
            if not box.cell.is_header and not box.cell.text]


def add_specks(image: Image.Image, rects, dpi: int) -> Image.Image:
    """Dust in every other empty cell: dots of 1-3 px radius away from the rules."""
    s = dpi / 72
    draw = ImageDraw.Draw(image)
    rng = np.random.default_rng(7)
    for x0, y0, x1, y1 in rects[::2]:
        for _ in range(3):
            cx = rng.uniform(x0 * s + 8, x1 * s - 8)
            cy = rng.uniform(y0 * s + 6, y1 * s - 6)
            r = rng.uniform(1.0, 3.0)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=int(rng.integers(20, 110)))
    return image


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[DocumentResult, Table]:
    spec = expenditure_spec()
    fonts = FontSet()
    layouts = layout_pages(spec, fonts.measure, DPI)
    assert len(layouts) == 2, "the spec must run onto a second page"
    empties = empty_cell_rects(layouts)
    images = []
    for number, layout in enumerate(layouts):
        clean = add_specks(draw_page(layout, DPI, fonts), [r for p, r in empties if p == number], DPI)
        images.append(degrade(clean, 11 + number, ScanNoise(speckles=0)))
    pdf = Path(tmp_path_factory.mktemp("cells")) / "two_pages.pdf"
    write_image_pdf(images, DPI, pdf, jpeg_quality=60)
    return process_file(pdf, Settings(review_confidence=REVIEW_CONFIDENCE)), multipage_truth(spec, layouts, 1)


def test_two_page_table_comes_back_as_one(run):
    result, truth = run
    (table,) = result.tables
    assert table.pages == [1, 2] and len(table.page_bboxes) == 2
    assert (table.n_rows, table.n_cols, table.header_rows) == (truth.n_rows, truth.n_cols, 2)
    assert {c.page for c in table.cells if c.row >= 2 + 20} == {2}  # late rows keep their own page


def _by_position(table: Table) -> dict[tuple[int, int], str]:
    return {(c.row, c.col): c.text for c in table.cells}


def test_code_cells_read_exactly(run):
    result, truth = run
    got = _by_position(result.tables[0])
    codes = [(c.row, c.col) for c in truth.cells if c.col < 3 and c.row >= truth.header_rows]
    assert [got[pos] for pos in codes] == [_by_position(truth)[pos] for pos in codes]
    rows = result.tables[0].body_rows()
    assert rows[3][:3] == ["201", "13", "01"] and rows[7][:3] == ["208", "05", "02"]


def test_wrapped_name_is_joined_in_reading_order(run):
    result, _ = run
    assert result.tables[0].body_rows()[4][3] == WRAPPED


def test_empty_cells_stay_empty_despite_specks(run):
    result, truth = run
    got = _by_position(result.tables[0])
    empty = [(c.row, c.col) for c in truth.cells if not c.text and c.row >= truth.header_rows]
    assert len(empty) > 20
    assert {pos: got[pos] for pos in empty if got[pos]} == {}


def test_every_body_cell_matches(run):
    result, truth = run
    got, want = _by_position(result.tables[0]), _by_position(truth)
    wrong = {pos: (got.get(pos), text) for pos, text in want.items() if pos[0] >= 2 and got.get(pos) != text}
    assert wrong == {}


def test_review_list_names_exactly_the_doubtful_cells(run, tmp_path):
    result, _ = run
    doubtful = {(c.row, c.col) for c in result.tables[0].cells if c.confidence < REVIEW_CONFIDENCE or c.corrections}
    assert doubtful, "nothing below the threshold: the check would be empty"
    assert {(r.table, r.row, r.col) for r in result.review_cells} == {(0, r, c) for r, c in doubtful}
    written = DocumentResult.model_validate_json((write_outputs(result, tmp_path) / RESULT_FILE).read_text("utf-8"))
    assert written.review_cells == result.review_cells
