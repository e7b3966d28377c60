"""The review page in a real headless browser (Debian chromium + chromedriver via Selenium).

Over a real pipeline run of a rendered scan whose sums do not hold (see the
``broken_review`` fixture): the page loads without console errors, the
overlay boxes the browser lays out sit on the ruling lines OpenCV finds in
the embedded page picture, and clicking a finding highlights its cells.
Set REVIEW_SCREENSHOT=path.png to save the screenshot used in the README.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from flows.review.marks import cell_key
from table_reconstruct.grid.lines import extract_lines

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
# .ci/run sets this: on CI a missing browser is a failure, not a skip.
REQUIRED = os.environ.get("DISCLOSURE_OCR_REQUIRE_BROWSER") == "1"
# A box edge may sit this many picture pixels (at 100 DPI, about 2 pt) off its ruling line.
EDGE_TOLERANCE_PX = 3


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        message = "Debian chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    webdriver = pytest.importorskip("selenium.webdriver", reason="the test extra (selenium) is not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1600,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture()
def page(browser, broken_review):
    browser.get(broken_review.review.resolve().as_uri())
    return browser


def severe(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_review_and_index_load_without_console_errors(browser, broken_review):
    for path in (broken_review.review, broken_review.index):
        browser.get(path.resolve().as_uri())
        assert browser.execute_script("return document.readyState") == "complete"
        assert severe(browser) == [], path.name
    assert browser.find_elements("css selector", f'tr[data-doc="{broken_review.doc_dir.name}"] a[href$="review.html"]')


def decoded_picture(data_uri: str) -> np.ndarray:
    data = base64.b64decode(data_uri.split(",", 1)[1])
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)


BOXES_IN_PICTURE_PIXELS = """
const figure = document.querySelector('figure.page');
const img = figure.querySelector('img');
const frame = img.getBoundingClientRect();
const k = img.naturalWidth / frame.width;
return {src: img.src, scale: parseFloat(figure.dataset.scale), boxes: Array.from(figure.querySelectorAll('.box')).map(b => {
  const r = b.getBoundingClientRect();
  return {key: b.dataset.key, x0: (r.left - frame.left) * k, y0: (r.top - frame.top) * k,
          x1: (r.right - frame.left) * k, y1: (r.bottom - frame.top) * k};
})};
"""


def ruled(mask: np.ndarray, along_rows: bool, at: float, start: float, end: float) -> float:
    """Share of the edge from ``start`` to ``end`` that has a ruling line within tolerance of ``at``."""
    lo, hi = int(round(at)) - EDGE_TOLERANCE_PX, int(round(at)) + EDGE_TOLERANCE_PX + 1
    margin = (end - start) * 0.15
    a, b = int(start + margin), int(end - margin)
    band = mask[max(0, lo):hi, a:b] if along_rows else mask[a:b, max(0, lo):hi]
    return float((band.max(axis=0 if along_rows else 1) > 0).mean()) if band.size else 0.0


def test_overlay_boxes_sit_on_the_ruling_lines_of_the_picture(page, broken_review):
    laid_out = page.execute_script(BOXES_IN_PICTURE_PIXELS)
    picture = decoded_picture(laid_out["src"])
    masks = extract_lines(picture, dpi=laid_out["scale"] * 72)
    boxes = laid_out["boxes"]
    table = broken_review.result.tables[0]
    assert len(boxes) == len(table.cells)
    # Every body row's total cell, the merged header cells and the corners of the table.
    wanted = {cell_key(0, c.row, c.col) for c in table.cells if c.col == 4 or c.rowspan > 1 or c.colspan > 1}
    wanted |= {cell_key(0, 0, 0), cell_key(0, table.n_rows - 1, table.n_cols - 1)}
    checked = [box for box in boxes if box["key"] in wanted]
    assert len(checked) >= 15
    for box in checked:
        edges = {
            "top": ruled(masks.horizontal, True, box["y0"], box["x0"], box["x1"]),
            "bottom": ruled(masks.horizontal, True, box["y1"], box["x0"], box["x1"]),
            "left": ruled(masks.vertical, False, box["x0"], box["y0"], box["y1"]),
            "right": ruled(masks.vertical, False, box["x1"], box["y0"], box["y1"]),
        }
        assert min(edges.values()) > 0.9, (box, edges)


def test_a_box_off_by_a_few_points_would_be_caught(page):
    """The alignment check above can fail: the same box shifted by 6 px is not on a line."""
    laid_out = page.execute_script(BOXES_IN_PICTURE_PIXELS)
    masks = extract_lines(decoded_picture(laid_out["src"]), dpi=laid_out["scale"] * 72)
    box = next(b for b in laid_out["boxes"] if b["key"] == cell_key(0, 8, 4))
    assert ruled(masks.vertical, False, box["x0"] + 6, box["y0"], box["y1"]) < 0.5


def highlighted(driver) -> tuple[set[str], set[str]]:
    boxes = {e.get_attribute("data-key") for e in driver.find_elements("css selector", ".box.highlight")}
    cells = {e.get_attribute("data-key") for e in driver.find_elements("css selector", "table.grid .highlight")}
    return boxes, cells


def test_clicking_a_finding_highlights_its_cells(page, broken_review):
    findings = broken_review.result.tables[0].validation
    assert [f.rule for f in findings] == ["columns.合计=基本支出+项目支出", "rows.parent_sum"]
    assert highlighted(page) == (set(), set())
    for number, finding in enumerate(findings):
        button = page.find_element("id", f"finding-{number}")
        button.click()
        want = {cell_key(0, row, col) for row, col in finding.cells}
        assert highlighted(page) == (want, want)
        assert button.get_attribute("aria-pressed") == "true"
    assert cell_key(0, 8, 4) in want  # the misprinted 合计 is in both findings
    if os.environ.get("REVIEW_SCREENSHOT"):
        save_screenshot(page, os.environ["REVIEW_SCREENSHOT"])
    assert severe(page) == []


def save_screenshot(driver, path: str) -> None:
    """The README's picture: the first finding selected, in 256 colours to stay small."""
    from PIL import Image

    driver.set_window_size(1500, 1180)
    driver.find_element("id", "finding-0").click()
    driver.execute_script("window.scrollTo(0, 0)")
    shot = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
    shot.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def test_marks_show_the_failed_check_on_the_picture(page):
    box = page.find_element("css selector", f'.box[data-key="{cell_key(0, 8, 4)}"]')
    assert "m-failed-check" in box.get_attribute("class").split()
    colour = box.value_of_css_property("border-top-color")
    assert colour.startswith("rgba(214, 39, 40") or colour.startswith("rgb(214, 39, 40")


REAL_DOCUMENT = Path(__file__).resolve().parents[2] / "shared" / "real" / "cities" / "北京-10.pdf"
if not REAL_DOCUMENT.parent.is_dir():
    REAL_DOCUMENT = Path("/work/shared/real/cities/北京-10.pdf")


@pytest.fixture(scope="module")
def real_review(tmp_path_factory):
    """The review page of a real multi-table budget (its first 8 pages, born-digital) as a batch writes it."""
    if not REAL_DOCUMENT.is_file():
        pytest.skip(f"{REAL_DOCUMENT} not available")
    from flows.core.identify import document_key
    from flows.outputs.result_files import write_outputs
    from flows.core.pipeline import process_file
    from flows.review import review_if_needed
    from flows.core.settings import Settings

    out = tmp_path_factory.mktemp("real_review")
    result = process_file(REAL_DOCUMENT, Settings(pages="1-8"))
    write_outputs(result, out)
    return result, review_if_needed(out, document_key(result.document))


def test_review_page_of_a_real_document_is_grouped_short_and_lazy(browser, real_review):
    result, review = real_review
    assert len(result.tables) >= 4 and result.document.review_reasons
    browser.get(review.resolve().as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    assert severe(browser) == []
    with_findings = {i for i, t in enumerate(result.tables) if t.validation} | ({None} if result.validation else set())
    groups = browser.find_elements("css selector", "#findings details.finding-group")
    assert len(groups) == len(with_findings) >= 2  # one heading per table, not one per finding
    assert all("page" in g.find_element("tag name", "summary").text for g in groups if "across" not in g.text)
    reasons = browser.find_elements("css selector", "#review-reasons li")
    assert len(reasons) == len(result.document.review_reasons)
    images = browser.find_elements("css selector", "figure.page img")
    assert images and all(img.get_attribute("loading") == "lazy" for img in images)
    unmapped = browser.find_elements("css selector", "#unmapped code")
    texts = [u.text for u in unmapped]
    assert len(texts) == len(set(texts)) and all(len(t) <= 41 for t in texts)
    first = browser.find_element("css selector", "#findings button.finding")
    first.click()
    assert first.get_attribute("aria-pressed") == "true" and highlighted(browser)[1]
