"""Page geometry on real rendered scans: turned and skewed pages still give the exact grid and text.

A small budget table is drawn with the corpus renderer (``samples.synth``),
scanned with its degradation, then stored turned by a quarter turn and/or
fed in askew; the real pipeline (OpenCV lines, PP-OCR) must read it back.
"""

from __future__ import annotations

import math
from pathlib import Path
from dataclasses import replace

import cv2
import numpy as np
import pytest
from PIL import Image

from ocr.pages.rasterize import PageImage
from samples.synth.degrade import ScanNoise, degrade
from samples.synth.fonts import FontSet
from samples.synth.layout import layout_page
from samples.synth.render import Rules, draw_page
from samples.synth.skew import rotate_point
from samples.synth.spec import HeaderCell, LeafColumn, TableSpec
from table_reconstruct.page.deskew import estimate_skew
from table_reconstruct.grid.lines import binarize
from table_reconstruct.page.page_geometry import quarter_turn_matrix
from table_reconstruct.tables.reconstruct import reconstruct_page

DPI = 150
BODY = [
    ["201", "", "一般公共服务支出", "1,234.56", "1,000.00", "234.56"],
    ["201", "03", "政府办公厅（室）及相关机构事务", "987.10", "800.00", "187.10"],
    ["208", "", "社会保障和就业支出", "45.00", "45.00", ""],
    ["", "", "合计", "1,279.56", "1,045.00", "234.56"],
]
SPEC = TableSpec(
    title="2025年部门支出总体情况表",
    unit="单位：万元",
    dept_name="部门名称：某某局",
    header_rows=2,
    header_cells=[
        HeaderCell(0, 0, "科目编码", colspan=2),
        HeaderCell(0, 2, "科目名称", rowspan=2),
        HeaderCell(0, 3, "合计", rowspan=2),
        HeaderCell(0, 4, "基本支出", colspan=2),
        HeaderCell(1, 0, "类"),
        HeaderCell(1, 1, "款"),
        HeaderCell(1, 4, "人员经费"),
        HeaderCell(1, 5, "公用经费"),
    ],
    columns=[
        LeafColumn("类", "center", 0.5),
        LeafColumn("款", "center", 0.5),
        LeafColumn("科目名称", "left", 2.5),
        LeafColumn("合计"),
        LeafColumn("人员经费"),
        LeafColumn("公用经费"),
    ],
    body=BODY,
)
TABLE = layout_page(SPEC, FontSet().measure, DPI).table_rect
MERGED = {(0, 0, 1, 2), (0, 2, 2, 1), (0, 3, 2, 1), (0, 4, 1, 2)}


def clean_page(broken: bool) -> tuple[Image.Image, tuple[float, float]]:
    """The table page cut to its upper part (title to table end), and the cut's size in points."""
    fonts = FontSet()
    layout = layout_page(SPEC, fonts.measure, DPI)
    rules = Rules(width_px=2, gaps_per_inch=2.0, seed=7) if broken else Rules(width_px=2)
    image = draw_page(layout, DPI, fonts, rules=rules)
    bottom = round((layout.table_rect[3] + 60) * DPI / 72)
    image = image.crop((0, 0, image.width, bottom))
    return image, (image.width * 72 / DPI, image.height * 72 / DPI)


# The corpus's scanned-noisy look (gray paper, uneven light, blur, sensor noise); no dust specks:
# a speck on a comma reads as "1;234.56", a cell-text matter this file does not test.
NOISY = ScanNoise(paper=236, ink=40, blur_radius=0.8, noise_sigma=8.0, speckles=0, illumination=0.7)
MILD = ScanNoise(speckles=0)


def scan(rotation: int, skew: float, broken: bool = False, noise: ScanNoise = MILD) -> tuple[PageImage, tuple[float, float]]:
    """A scanned copy skewed by ``skew`` degrees and then stored turned ``rotation`` degrees clockwise."""
    image, size = clean_page(broken)
    scanned = degrade(image, seed=11, noise=replace(noise, skew_deg=skew))
    if rotation:
        scanned = scanned.rotate(-rotation, expand=True)
    return PageImage(number=1, image=np.asarray(scanned), dpi=DPI), size


def stored_point(x: float, y: float, rotation: int, skew: float, size: tuple[float, float]) -> tuple[float, float]:
    """Where a point (points) of the clean page lies on the stored page: PIL's skew, then the turn."""
    w, h = size
    x, y = rotate_point(x, y, skew, w / 2, h / 2)
    if rotation == 90:
        return h - y, x
    if rotation == 180:
        return w - x, h - y
    if rotation == 270:
        return y, w - x
    return x, y


@pytest.fixture(scope="module")
def engine():
    from flows.core.engine_cache import shared_engine

    return shared_engine("rapidocr", None)


@pytest.mark.parametrize(
    "rotation, skew, broken, noise",
    [(0, 3.5, False, MILD), (0, -4.5, True, NOISY), (90, 0.0, False, MILD), (180, 2.0, True, MILD),
     (270, -1.0, False, NOISY)],
)
def test_turned_and_skewed_pages_give_the_exact_grid(engine, rotation, skew, broken, noise):
    page, size = scan(rotation, skew, broken, noise)
    result = reconstruct_page(page, engine)

    assert result.geometry.rotation == (360 - rotation) % 360
    assert result.geometry.skew_degrees == pytest.approx(skew, abs=0.15)
    assert len(result.tables) == 1
    table = result.tables[0]
    assert (table.n_rows, table.n_cols) == (6, 6)
    assert {(c.row, c.col, c.rowspan, c.colspan) for c in table.cells if c.rowspan > 1 or c.colspan > 1} == MERGED
    body = table.body_rows()
    assert body[1][:3] == ["201", "03", "政府办公厅（室）及相关机构事务"]
    assert body[0][3] == "1,234.56" and body[3][5] == "234.56" and body[2][5] == ""
    assert table.title == SPEC.title
    # The table's box on the stored page: its true corners' envelope, not the page's edge.
    corners = [stored_point(x, y, rotation, skew, size) for x in (TABLE[0], TABLE[2]) for y in (TABLE[1], TABLE[3])]
    expected = (min(c[0] for c in corners), min(c[1] for c in corners), max(c[0] for c in corners), max(c[1] for c in corners))
    assert all(abs(a - b) < 4 for a, b in zip(table.bbox, expected))


@pytest.mark.parametrize("rotation, skew", [(90, 2.5), (0, -3.0)])
def test_cell_boxes_refer_to_the_page_as_stored(engine, rotation, skew):
    from samples.synth.fonts import FontSet as Fonts

    page, size = scan(rotation, skew)
    table = reconstruct_page(page, engine).tables[0]
    truth = layout_page(SPEC, Fonts().measure, DPI)
    stored = {}
    for box in truth.cells:
        x0, y0, x1, y1 = box.rect
        stored[(box.cell.row, box.cell.col)] = stored_point((x0 + x1) / 2, (y0 + y1) / 2, rotation, skew, size)
    for cell in table.cells:
        cx, cy = stored[(cell.row, cell.col)]
        x0, y0, x1, y1 = cell.bbox
        # The stored envelope holds the true centre, which sits near the envelope's own centre.
        assert x0 < cx < x1 and y0 < cy < y1
        assert abs((x0 + x1) / 2 - cx) < 3 and abs((y0 + y1) / 2 - cy) < 3


def grid_image(degrees: float) -> np.ndarray:
    """A plain 8×5 ruled grid turned by ``degrees`` (counter-clockwise on screen)."""
    page = np.full((1200, 900), 255, np.uint8)
    for y in range(200, 1001, 100):
        cv2.line(page, (100, y), (800, y), 0, 2)
    for x in range(100, 801, 175):
        cv2.line(page, (x, 200), (x, 1000), 0, 2)
    matrix = cv2.getRotationMatrix2D((450, 600), degrees, 1.0)
    return cv2.warpAffine(page, matrix, (900, 1200), borderValue=255)


@pytest.mark.parametrize("degrees", [-4.8, -2.0, -0.6, 0.0, 0.35, 1.7, 4.2])
def test_skew_is_measured_from_the_rules(degrees):
    assert estimate_skew(binarize(grid_image(degrees), 100), 100) == pytest.approx(degrees, abs=0.1)


@pytest.mark.parametrize("rotation, code", [(90, cv2.ROTATE_90_CLOCKWISE), (180, cv2.ROTATE_180),
                                            (270, cv2.ROTATE_90_COUNTERCLOCKWISE)])
def test_quarter_turn_matrix_follows_cv2_rotate(rotation, code):
    image = np.zeros((30, 50), np.uint8)
    image[4:6, 10:12] = 255  # a 2×2 dot whose top-left corner is (10, 4)
    turned = cv2.rotate(image, code)
    ys, xs = np.nonzero(turned)
    corners = quarter_turn_matrix(rotation, 50, 30) @ np.array([[10, 12], [4, 6], [1, 1]])
    assert (corners[0].min(), corners[1].min()) == (xs.min(), ys.min())
    assert math.isclose(corners[0].max(), xs.max() + 1) and math.isclose(corners[1].max(), ys.max() + 1)


def test_the_pipeline_records_what_it_did_to_each_page(tmp_path):
    from flows.core.pipeline import process_file
    from samples.synth.pdf import write_image_pdf

    page, _ = scan(270, -2.0)
    pdf = tmp_path / "turned.pdf"
    write_image_pdf([Image.fromarray(page.image)], DPI, pdf)
    result = process_file(pdf)

    note = result.document.page_notes[0]
    assert (note.rotation, note.tables) == (90, 1)
    assert note.skew_degrees == pytest.approx(-2.0, abs=0.15)
    table = result.tables[0]
    assert (table.n_rows, table.n_cols) == (6, 6)
    assert table.body_rows()[2][2] == "社会保障和就业支出"


class ReadingOnly:
    """The real engine without its orientation classifier: the fallback reads probe lines both ways."""

    def __init__(self, engine):
        self.info, self.detect, self.recognize = engine.info, engine.detect, engine.recognize


@pytest.mark.parametrize("rotation", [0, 180])
@pytest.mark.parametrize("how", ["classifier", "reading both ways"])
def test_upside_down_pages_are_told_by_classifier_or_by_reading(engine, rotation, how):
    from ocr.engines.base import TextOrientationClassifier
    from table_reconstruct.page.orientation import detect_rotation

    page, _ = scan(rotation, 1.0, False, NOISY)
    used = engine if how == "classifier" else ReadingOnly(engine)
    assert isinstance(used, TextOrientationClassifier) == (how == "classifier")
    if how == "classifier":
        assert engine.turned_probabilities([page.image[:60, :300]]) is not None  # the model is there
    assert detect_rotation(page.image, page.dpi, used) == rotation


JIANGSU = Path(__file__).resolve().parents[2] / "shared" / "real" / "jiangsu"


@pytest.mark.skipif(not JIANGSU.is_dir(), reason="needs ../shared/real/jiangsu")
def test_real_budget_pages_upright_and_upside_down(engine):
    """The first table page of every Jiangsu PDF, rendered at 200 DPI, as stored and turned (clockwise)."""
    from ocr.pages.pdfium_doc import PdfiumDocument
    from table_reconstruct.page.orientation import detect_rotation

    wrong = []
    for path in sorted(JIANGSU.glob("*.pdf")):
        with PdfiumDocument(path) as doc:
            gray = doc.render(min(len(doc), 2), 200).image
        for rotation, code in ((0, None), (90, cv2.ROTATE_90_CLOCKWISE), (180, cv2.ROTATE_180)):
            turned = cv2.rotate(gray, code) if code is not None else gray
            if detect_rotation(turned, 200, engine) != (360 - rotation) % 360:
                wrong.append((path.name, rotation))
    assert not wrong
