"""The benchmark corpus generator: determinism, truth that matches what is drawn, hard cases present."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from samples.numeric_tokens import amount_tokens
from samples.synth.catalog import CATALOG
from samples.synth.corpus import SMOKE, build_corpus, plan_corpus, read_manifest
from samples.synth.degrade import ScanNoise, degrade
from samples.synth.document import DocPlan, Look, doc_specs
from samples.synth.fonts import FontSet
from samples.synth.garbled import LOOKALIKES
from samples.synth.layout import layout_pages
from samples.synth.pdftext import page_text, words_by_page
from samples.synth.real import REAL_PICKS
from samples.synth.render import draw_page
from samples.synth.skew import rotate_bbox
from samples.synth.variants import build_variant
from table_reconstruct.model import DocumentResult, Table

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SMOKE_DIR = SAMPLES / "corpus" / "smoke"
REAL_DIR = SAMPLES.parent.parent / "shared" / "real" / "jiangsu"
HAS_POPPLER = shutil.which("pdftotext") is not None

# Every new form once, the 基本支出表 long enough to continue on a second page.
PLAN = DocPlan("t", 11, "新乡市红旗区财政局", 2026, 6,
               ("basic_expenditure", "fiscal_overview", "income_overview", "three_costs", "project_expenditure",
                "final_income_expense"), Look("hei", "broken"), split_gov=True)


def _load(path: Path) -> DocumentResult:
    return DocumentResult.model_validate_json(path.read_text(encoding="utf-8"))


def _amount(text: str) -> int:
    return int(text.replace(".", "")) if text else 0


def _table(doc: DocumentResult, fragment: str) -> Table:
    (table,) = [t for t in doc.tables if fragment in (t.title or "")]
    return table


@pytest.fixture(scope="module")
def digital(tmp_path_factory) -> tuple[Path, DocumentResult]:
    pdf, truth = build_variant(PLAN, "born-digital", tmp_path_factory.mktemp("digital"))
    return pdf, _load(truth)


def test_plan_spreads_every_form_and_is_seeded():
    plans = plan_corpus(seed=0)
    assert plans == plan_corpus(seed=0) and plans != plan_corpus(seed=1)
    assert {f for p in plans for f in p.forms} == set(CATALOG)
    assert all(len(p.forms) >= 2 for p in plans)
    assert plans[0].split_gov and "basic_expenditure" in plans[0].forms
    assert {p.look.rules for p in plans} >= {"thin", "thick", "faint", "broken"}
    assert {p.look.body for p in plans} == {"song", "hei"}


def test_grid_covered_exactly_once_over_pages(digital):
    _, doc = digital
    assert len(doc.tables) == len(PLAN.forms)
    for table in doc.tables:
        hits = np.zeros((table.n_rows, table.n_cols), int)
        for cell in table.cells:
            hits[cell.row:cell.row + cell.rowspan, cell.col:cell.col + cell.colspan] += 1
        assert (hits == 1).all(), table.title


def test_long_table_continues_on_next_page_without_header(digital):
    _, doc = digital
    table = _table(doc, "基本支出表")
    assert table.pages == [1, 2]
    second = [c for c in table.cells if c.page == 2]
    first_rows = {c.row for c in table.cells if c.page == 1}
    assert second and min(c.row for c in second) == max(first_rows) + 1 > table.header_rows
    assert min(c.bbox[1] for c in second) < 60  # starts at the top margin: no title, no header
    assert doc.document.pages == len(PLAN.forms) + 1


def test_form_totals_agree_across_tables(digital):
    _, doc = digital
    basic = _table(doc, "基本支出表").body_rows()
    assert basic[0][1] == "合计"
    assert _amount(basic[0][4]) == sum(_amount(r[4]) for r in basic[1:]) == \
        _amount(basic[0][5]) + _amount(basic[0][6])
    projects = _table(doc, "项目支出表").body_rows()
    assert _amount(projects[0][3]) == sum(_amount(r[3]) for r in projects[1:])
    final = {r[0]: r for r in _table(doc, "决算总表").body_rows()}
    final_right = {r[3]: r for r in _table(doc, "决算总表").body_rows()}
    assert final["总计"][2] == final_right["总计"][5]
    assert final["本年收入合计"][2] == final["总计"][2]
    income = _table(doc, "收入总体情况表").body_rows()
    fiscal_total = next(r[1] for r in _table(doc, "财政拨款收支总体情况表").body_rows() if r[0] == "收入合计")
    assert income[0][1] == "合计" and income[0][2] == income[1][2] == fiscal_total
    assert _amount(income[1][2]) == sum(_amount(r[2]) for r in income[2:])  # units add up to the department


def test_decision_rows_of_final_accounts_are_header(digital):
    _, doc = digital
    table = _table(doc, "决算总表")
    assert table.header_rows == 3
    marks = {(c.row, c.col): c.text for c in table.cells if c.row == 2}
    assert marks[(2, 0)] == "栏次" and marks[(2, 2)] == "1"
    assert [r[1] for r in table.body_rows()[:3]] == ["1", "2", "3"]


@pytest.mark.skipif(not HAS_POPPLER, reason="poppler-utils not installed")
def test_born_digital_text_layer_matches_truth(digital):
    """Words of each cell, found by position with pdftotext -bbox, give the truth text (all pages)."""
    pdf, doc = digital
    pages = words_by_page(pdf)
    for table in doc.tables:
        for cell in table.cells:
            words = pages[cell.page - 1]
            x0, y0, x1, y1 = cell.bbox
            inside = [w for w in words if x0 < (w[0] + w[2]) / 2 < x1 and y0 < (w[1] + w[3]) / 2 < y1]
            got = "".join(w[4] for w in sorted(inside, key=lambda w: (round(w[1]), w[0])))
            assert got == cell.text.replace(" ", ""), (table.title, cell.row, cell.col)


def test_variants_are_deterministic(tmp_path):
    plan = DocPlan("d", 3, "新乡市红旗区商务局", 2025, 4, ("three_costs",), Look("song", "faint"))
    for variant in ("scanned-noisy", "garbled-layer"):
        a, _ = build_variant(plan, variant, tmp_path / "a")
        b, _ = build_variant(plan, variant, tmp_path / "b")
        assert a.read_bytes() == b.read_bytes(), variant


def test_skewed_truth_follows_the_ink():
    """The rotated table bbox is where the rotated grid's ink is (within 2 px at 150 DPI)."""
    (spec,) = doc_specs(DocPlan("s", 5, "新乡市红旗区商务局", 2025, 4, ("three_costs",)))
    (layout,) = layout_pages(spec, FontSet().measure, 150)
    grid_only = replace(layout, texts=(), cells=tuple(replace(b, lines=()) for b in layout.cells))
    clean = draw_page(grid_only, 150, FontSet())
    skewed = degrade(clean, 0, ScanNoise(blur_radius=0, noise_sigma=0, speckles=0, skew_deg=1.8))
    ys, xs = np.nonzero(np.asarray(skewed) < 128)
    s = 150 / 72
    ink = (xs.min() / s, ys.min() / s, (xs.max() + 1) / s, (ys.max() + 1) / s)
    expected = rotate_bbox(layout.table_rect, 1.8, layout.width / 2, layout.height / 2)
    assert np.allclose(ink, expected, atol=2.5 / s)  # 2.5 px: line width and resampling
    assert abs(expected[1] - layout.table_rect[1]) > 3  # the skew really moved it


@pytest.mark.skipif(not HAS_POPPLER, reason="poppler-utils not installed")
def test_garbled_layer_is_wrong_but_the_pixels_are_not(tmp_path):
    plan = DocPlan("g", 7, "新乡市红旗区人民政府办公室", 2026, 5, ("fiscal_overview",), Look())
    pdf, truth = build_variant(plan, "garbled-layer", tmp_path)
    layer = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    title = _load(truth).tables[0].title
    assert title not in layer and "⼀般公共" in layer  # 一 → ⼀ (Kangxi radical)
    assert any(ch in layer for ch in set(LOOKALIKES.values()) - {"⼀"})
    clean, _ = build_variant(plan, "scanned-clean", tmp_path)
    garbled_px, clean_px = _raster(pdf, tmp_path / "garbled"), _raster(clean, tmp_path / "clean")
    assert (garbled_px < 128).mean() > 0.002  # the table is there...
    assert np.abs(garbled_px.astype(int) - clean_px).mean() < 1.0  # ...and the hidden layer adds no ink


def _raster(pdf: Path, prefix: Path) -> np.ndarray:
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-singlefile", str(pdf), str(prefix)], check=True)
    return np.asarray(Image.open(prefix.with_suffix(".pgm")))


def test_smoke_subset_is_small_and_listed():
    entries = read_manifest(SMOKE_DIR)
    assert len(entries) == len(SMOKE) <= 4
    assert sum(p.stat().st_size for p in SMOKE_DIR.iterdir()) < 1.6e6
    for entry in entries:
        assert (SMOKE_DIR / entry.file).is_file() and (SMOKE_DIR / entry.truth).is_file()
        if entry.truth_kind == "tables":
            doc = _load(SMOKE_DIR / entry.truth)
            assert doc.document.source == entry.file and doc.tables


@pytest.mark.skipif(not HAS_POPPLER or not REAL_DIR.is_dir(), reason="needs poppler and ../shared/real")
def test_committed_smoke_is_what_the_generator_makes(tmp_path):
    build_corpus(tmp_path, seed=0, smoke=True, real_dir=REAL_DIR)
    for entry in read_manifest(SMOKE_DIR):
        for name in (entry.file, entry.truth):
            assert (tmp_path / name).read_bytes() == (SMOKE_DIR / name).read_bytes(), name


@pytest.mark.skipif(not HAS_POPPLER or not REAL_DIR.is_dir(), reason="needs poppler and ../shared/real")
def test_real_truth_is_the_text_layer_amounts():
    pick = next(p for p in REAL_PICKS if p.doc_id == "real-zx2019")
    truth = json.loads((SMOKE_DIR / f"{pick.doc_id}.real-scanned.truth.json").read_text(encoding="utf-8"))
    (page,) = truth["pages"]
    text = page_text(REAL_DIR / pick.source, page["source_page"])
    assert page["tokens"] == amount_tokens(text) and len(page["tokens"]) > 10
    assert all(re.fullmatch(r"\d+\.\d\d", t) for t in page["tokens"])
    assert "6442.75" in page["tokens"]  # the table's 合计, printed 6,442.75


def test_amount_tokens_keep_neighbours_apart():
    assert amount_tokens("1.50 2.00\n3,000.25") == ["1.50", "2.00", "3000.25"]
