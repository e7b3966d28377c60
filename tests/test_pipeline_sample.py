"""End to end on the bundled image-only sample: real rasterization, real OCR, real OpenCV."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def spans(table):
    return sorted((c.row, c.col, c.rowspan, c.colspan) for c in table.cells)


def texts(table):
    return {(c.row, c.col): c.text for c in table.cells}


def test_document_is_ok_with_one_table_per_page(sample_result, sample_truth):
    assert sample_result.document.status.value == "ok"
    assert sample_result.document.pages == 2
    assert [t.pages for t in sample_result.tables] == [t.pages for t in sample_truth.tables]


@pytest.mark.parametrize("index", [0, 1])
def test_grid_structure_matches_truth(sample_result, sample_truth, index):
    got, want = sample_result.tables[index], sample_truth.tables[index]
    assert (got.n_rows, got.n_cols, got.header_rows) == (want.n_rows, want.n_cols, want.header_rows)
    assert spans(got) == spans(want)


@pytest.mark.parametrize("index", [0, 1])
def test_every_cell_text_matches_truth(sample_result, sample_truth, index):
    got, want = texts(sample_result.tables[index]), texts(sample_truth.tables[index])
    wrong = {pos: (got.get(pos), text) for pos, text in want.items() if got.get(pos) != text}
    assert wrong == {}


@pytest.mark.parametrize("index", [0, 1])
def test_columns_map_to_canonical_names(sample_result, sample_truth, index):
    got, want = sample_result.tables[index].columns, sample_truth.tables[index].columns
    assert [c.header_path for c in got] == [c.header_path for c in want]
    assert [c.canonical for c in got] == [c.canonical for c in want]
    assert all(c.score >= 75 for c in got)


def test_title_and_unit_are_captured(sample_result, sample_truth):
    assert [(t.title, t.unit) for t in sample_result.tables] == [(t.title, t.unit) for t in sample_truth.tables]


def test_cell_boxes_are_in_points_on_the_drawn_grid(sample_result, sample_truth):
    got = {(c.row, c.col): c.bbox for c in sample_result.tables[1].cells}
    for cell in sample_truth.tables[1].cells:
        assert got[(cell.row, cell.col)] == pytest.approx(cell.bbox, abs=2.0)


def test_corrections_are_recorded_not_silent(sample_result):
    for table in sample_result.tables:
        for cell in table.cells:
            if cell.raw_text is not None:
                assert cell.corrections and cell.raw_text != cell.text


def test_rows_have_codes_levels_and_parents_and_sums_hold(sample_result):
    """Real OCR output: the 支出总体情况表's code tree is read and every sum holds (no finding at all)."""
    table = sample_result.tables[1]
    coded = [(r.code, r.level, r.parent) for r in table.rows if r.code]
    assert coded[:3] == [("201", "类", None), ("20103", "款", "201"), ("2010301", "项", "20103")]
    assert ("2080505", "项", "20805") in coded
    assert [r.is_total for r in table.rows][0] is True
    assert all(not t.validation for t in sample_result.tables) and not sample_result.validation
    assert any(c.value is not None for c in table.cells)
