"""Self-consistency of the synthetic budget tables and the bundled scanned sample."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from samples.synth.layout import wrap_text
from samples.synth.pdf import pdf_measure
from samples.synth.sample import SAMPLE_NAME, build_born_digital, build_sample
from table_reconstruct.model import DocumentResult, Table

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BUNDLED_PDF = SAMPLES / f"{SAMPLE_NAME}.pdf"
BUNDLED_TRUTH = SAMPLES / f"{SAMPLE_NAME}.truth.json"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> tuple[Path, DocumentResult]:
    pdf, truth = build_sample(tmp_path_factory.mktemp("sample"))
    return pdf, DocumentResult.model_validate_json(truth.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bundled() -> DocumentResult:
    return DocumentResult.model_validate_json(BUNDLED_TRUTH.read_text(encoding="utf-8"))


def _by_title(doc: DocumentResult, fragment: str) -> Table:
    (table,) = [t for t in doc.tables if fragment in (t.title or "")]
    return table


def _amount(text: str) -> int:
    """Cell text to integer hundredths; empty cell is zero."""
    if not text:
        return 0
    assert re.fullmatch(r"-?\d+\.\d{2}", text), text
    whole, frac = text.lstrip("-").split(".")
    return (-1 if text.startswith("-") else 1) * (int(whole) * 100 + int(frac))


def _column(table: Table, canonical: str) -> int:
    (col,) = [c.index for c in table.columns if c.canonical == canonical]
    return col


def test_bundled_truth_matches_generator(fresh, bundled):
    """The committed sample is what the generator makes now (regenerate if this fails)."""
    pdf, doc = fresh
    assert [t.model_dump() for t in doc.tables] == [t.model_dump() for t in bundled.tables]
    assert bundled.document.pages == len(PdfReader(BUNDLED_PDF).pages) == 2


def test_generation_is_deterministic(fresh, tmp_path):
    pdf, _ = fresh
    again, _ = build_sample(tmp_path)
    assert again.read_bytes() == pdf.read_bytes()


def test_every_grid_position_covered_exactly_once(bundled):
    for table in bundled.tables:
        hits = [[0] * table.n_cols for _ in range(table.n_rows)]
        for cell in table.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    hits[r][c] += 1
        assert all(h == 1 for row in hits for h in row), table.title
        assert len(table.columns) == table.n_cols


def test_bboxes_tile_the_table(bundled):
    """Cell bboxes sit inside the table bbox and their areas add up to it (no gaps/overlaps)."""
    for table in bundled.tables:
        tx0, ty0, tx1, ty1 = table.bbox
        area = 0.0
        for cell in table.cells:
            x0, y0, x1, y1 = cell.bbox
            assert tx0 - 0.01 <= x0 < x1 <= tx1 + 0.01 and ty0 - 0.01 <= y0 < y1 <= ty1 + 0.01
            area += (x1 - x0) * (y1 - y0)
        assert area == pytest.approx((tx1 - tx0) * (ty1 - ty0), rel=1e-3)


def test_pages_are_a4_at_200dpi_and_image_only():
    reader = PdfReader(BUNDLED_PDF)
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    assert sizes[0] == pytest.approx((1654 * 72 / 200, 2339 * 72 / 200))  # portrait
    assert sizes[1] == pytest.approx((2339 * 72 / 200, 1654 * 72 / 200))  # landscape
    assert all(not (p.extract_text() or "").strip() for p in reader.pages)


def test_headers_and_canonicals(bundled):
    exp = _by_title(bundled, "支出总体情况表")
    assert exp.header_rows == 3
    paths = {c.canonical: c.header_path for c in exp.columns}
    assert paths["工资福利支出"] == ["基本支出", "人员经费", "工资福利支出"]
    assert paths["功能分类_类"] == ["科目编码", "类"]
    assert paths["基本支出"] == ["基本支出", "小计"]
    assert paths["特定目标类项目"] == ["项目支出", "特定目标类"]
    overview = _by_title(bundled, "收支总体情况表")
    assert [c.canonical for c in overview.columns] == ["收入项目", "收入金额", "支出项目", "支出金额"]
    for table in bundled.tables:
        header_texts = {c.text for c in table.cells if c.row < table.header_rows}
        for column in table.columns:
            assert set(column.header_path) <= header_texts
            assert all(" " not in t for t in column.header_path)


def test_expenditure_arithmetic(bundled):
    table = _by_title(bundled, "支出总体情况表")
    grid = table.body_rows()
    col = {c.canonical: c.index for c in table.columns}
    amt = lambda row, name: _amount(row[col[name]])  # noqa: E731
    rows = []
    for row in grid:
        assert amt(row, "合计") == amt(row, "基本支出") + amt(row, "项目支出")
        assert amt(row, "基本支出") == sum(amt(row, k) for k in ("工资福利支出", "对个人和家庭的补助", "商品和服务支出", "资本性支出"))
        assert amt(row, "项目支出") == amt(row, "其他运转类项目") + amt(row, "特定目标类项目")
        code = "".join(row[col[k]] for k in ("功能分类_类", "功能分类_款", "功能分类_项"))
        rows.append((code, [amt(row, c.canonical) for c in table.columns[4:]]))
    total = [v for code, v in rows if code == ""]
    assert len(total) == 1 and len(rows) >= 8

    def summed(codes_len: int, prefix: str) -> list[int]:
        parts = [v for code, v in rows if len(code) == codes_len and code.startswith(prefix)]
        return [sum(x) for x in zip(*parts)]

    lei_rows = [(code, v) for code, v in rows if len(code) == 3]
    assert lei_rows and summed(3, "") == total[0]
    for code, v in lei_rows:
        assert summed(5, code) == v and summed(7, code) == v
    for code, v in rows:
        if len(code) == 5:
            assert summed(7, code) == v


def test_overview_arithmetic_and_cross_table(bundled):
    table = _by_title(bundled, "收支总体情况表")
    by_label = {}
    income = expense = 0
    for left, left_amt, right, right_amt in table.body_rows():
        by_label[left], by_label[right] = _amount(left_amt), _amount(right_amt)
        if re.match(r"^[一二三四五六七八九十]+、", left):
            income += _amount(left_amt)
        if re.match(r"^[一二三四五六七八九十]+、", right):
            expense += _amount(right_amt)
    assert income == by_label["本年收入合计"] == by_label["本年支出合计"] == expense > 0
    assert by_label["收入总计"] == by_label["本年收入合计"] + by_label["上年结转结余"]
    assert by_label["支出总计"] == by_label["本年支出合计"] + by_label["年终结转结余"]
    exp = _by_title(bundled, "支出总体情况表")
    lei = {row[3]: _amount(row[4]) for row in exp.body_rows() if row[0] and not row[1]}
    assert by_label["一、一般公共服务"] == lei["一般公共服务支出"]
    assert by_label["八、社会保障和就业"] == lei["社会保障和就业支出"]


def test_wrap_keeps_text_and_width():
    text = "其他政府办公厅（室）及相关机构事务支出"
    lines = wrap_text(text, 150, 10.5, pdf_measure)
    assert len(lines) == 2 and "".join(lines) == text
    assert all(pdf_measure(line, 10.5) <= 150 for line in lines)
    assert not lines[1].startswith(("）", "，"))
    assert wrap_text("12345 热线平台劳务费", 30, 10.5, pdf_measure)[0] == "12345"


def _words_by_page(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_born_digital_text_layer_equals_truth(tmp_path):
    """Words of each cell (by position) joined in reading order give the truth text."""
    pdf, truth_path = build_born_digital(tmp_path)
    doc = DocumentResult.model_validate(json.loads(truth_path.read_text(encoding="utf-8")))
    pages = _words_by_page(pdf)
    for table in doc.tables:
        words = pages[table.pages[0] - 1]
        for cell in table.cells:
            x0, y0, x1, y1 = cell.bbox
            inside = [w for w in words if x0 < (w[0] + w[2]) / 2 < x1 and y0 < (w[1] + w[3]) / 2 < y1]
            got = "".join(w[4] for w in sorted(inside, key=lambda w: (round(w[1]), w[0])))
            assert got == cell.text, (table.title, cell.row, cell.col)
        page_text = "".join(w[4] for w in words)
        assert table.title in page_text and "单位：万元" in page_text
