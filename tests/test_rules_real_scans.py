"""Rules of real tables rendered as the real track's noisy scans (issue #15), read by the real line code.

Needs ../shared/real/cities; each page is rendered with the benchmark's own
code (``samples.bench.real_corpus.build_variant``, seed 0).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ocr.engines import create_engine
from ocr.pages.rasterize import iter_pages
from table_reconstruct.page.page_geometry import correct_page
from table_reconstruct.tables.reconstruct import find_grids

CITIES = Path(__file__).resolve().parents[2] / "shared" / "real" / "cities"
DPI = 200


def noisy_grid(tmp_path: Path, doc_id: str, page: int):
    from samples.bench.real_corpus import RealDoc, build_variant

    doc = RealDoc(doc_id, doc_id.split("-")[0], CITIES / f"{doc_id}.pdf", [page], sample=[page])
    scan = tmp_path / build_variant(doc, "scanned-noisy", tmp_path, seed=0)
    page = next(iter_pages(scan, DPI, "1", rasterizer="pdfium"))  # as the pipeline renders it
    image, _ = correct_page(page.image, page.dpi, create_engine(threads=1))  # straightened, as the pipeline reads it
    grids, _, _ = find_grids(replace(page, image=image))
    assert len(grids) == 1
    return grids[0]


@pytest.mark.skipif(not (CITIES / "苏州-30.pdf").exists(), reason="needs ../shared/real/cities")
def test_a_short_column_rule_with_names_flush_against_it_parts_code_from_name(tmp_path):
    """苏州-30 p11: below a 合计 row spanning code and name, the rule between them runs two rows from
    one crossing rule to the next, with each name touching it; it was dropped as the edge of a line
    of glyphs, and 135 read together with 苏州市应急管理局 in one cell."""
    grid = noisy_grid(tmp_path, "苏州-30", 11)
    body = [(c.row, c.col, c.colspan) for c in grid.cells if c.row >= 3 and c.col < 2]
    assert body == [(3, 0, 1), (3, 1, 1), (4, 0, 1), (4, 1, 1)]
