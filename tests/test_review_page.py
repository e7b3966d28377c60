"""Review pages without a browser: marks, page pictures, suggestions, history, index and commands.

Inputs are the bundled sample's truth over its real PDF, and real failures
(a corrupt file, a page without a table, a worker timeout) produced by the
pipeline's own code paths. Browser behaviour is in test_review_browser.py.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from flows.cli.app import app
from flows.workers.document_job import Job, settled_result
from flows.outputs.result_files import RESULT_FILE, write_outputs
from flows.core.pipeline import process_file
from flows.review import publish, write_index, write_review
from flows.review.context import page_figures
from flows.review.history import run_history, stored_runs
from flows.review.index import INDEX_FILE, REVIEW_FILE, index_entries
from flows.review.marks import CORRECTED, EMPTY, FAILED_CHECK, LOW_CONFIDENCE, cell_key, cell_marks, finding_keys
from flows.review.page_images import REVIEW_DPI, render_page_views
from flows.review.suggest import command, suggest
from flows.core.settings import Settings
from flows.store import RunRecord, default_store_url, open_store
from flows.workers.worker import Outcome
from ocr.pages.page_range import format_page_range, parse_page_range
from table_reconstruct.model import CellRef, DocumentStatus, Finding
from tests.conftest import SAMPLE_PDF

# The two rules a misprinted 项 row's 合计 breaks: its own row's column identity and its 款's sum.
ROW_RULE, PARENT_RULE = "columns.合计=基本支出+项目支出", "rows.parent_sum"
from flows.core.pipeline import document_status
from table_reconstruct.document.annotate import annotate_document


@pytest.fixture()
def misprinted(sample_truth):
    """The sample's truth with 事业运行's 合计 misprinted, checked by the real validation engine."""
    result = sample_truth.model_copy(deep=True)
    result.document.source = str(SAMPLE_PDF)
    result.document.settings = Settings().as_dict()
    result.tables[1].cell_at(8, 4).text = "371.15"
    annotate_document(result)
    result.document.status = document_status(result, Settings())
    return result


def test_failed_check_low_confidence_corrected_and_empty_cells_are_marked(misprinted):
    table = misprinted.tables[1]
    table.cell_at(6, 4).confidence = 0.41
    table.cell_at(6, 5).confidence = 0.55
    table.cell_at(7, 4).corrections = ["stray marks removed around amount: '50.53.' -> '50.53'"]
    marks = cell_marks(misprinted, threshold=0.8)
    assert [f.rule for f in table.validation] == [ROW_RULE, PARENT_RULE]
    assert marks[cell_key(1, 8, 4)] == [FAILED_CHECK]
    assert marks[cell_key(1, 6, 4)] == [FAILED_CHECK, LOW_CONFIDENCE]  # a 项 row of the failing 款
    assert marks[cell_key(1, 6, 5)] == [LOW_CONFIDENCE]
    assert marks[cell_key(1, 7, 4)] == [FAILED_CHECK, CORRECTED]
    assert marks[cell_key(1, 3, 0)] == [EMPTY]
    assert cell_key(1, 4, 4) not in marks
    assert cell_key(0, 2, 1) not in marks


def test_a_finding_on_a_covered_position_points_at_the_merged_cell(misprinted):
    cross = Finding(rule="cross_table", refs=[CellRef(table=1, row=1, col=2), CellRef(table=0, row=2, col=1)])
    # (1, 2) of the 支出总体情况表 lies inside the merged 科目编码 header that starts at (0, 0).
    assert finding_keys(misprinted, cross, None) == [cell_key(1, 0, 0), cell_key(0, 2, 1)]


def test_page_pictures_match_the_pdf_page_size_and_boxes_scale_with_them(misprinted):
    views = render_page_views(SAMPLE_PDF, [1, 2])
    reader = PdfReader(SAMPLE_PDF)
    for view, pdf_page in zip(views, reader.pages):
        assert view.scale == pytest.approx(REVIEW_DPI / 72)
        assert view.width == pytest.approx(float(pdf_page.mediabox.width) * view.scale, abs=1)
        assert view.height == pytest.approx(float(pdf_page.mediabox.height) * view.scale, abs=1)
        assert view.data_uri.startswith("data:image/jpeg;base64,")
    figures = page_figures(misprinted, views, {})
    assert [len(f.boxes) for f in figures] == [len(t.cells) for t in misprinted.tables]
    cell = misprinted.tables[1].cell_at(8, 4)
    box = next(b for b in figures[1].boxes if b.key == cell_key(1, 8, 4))
    assert box.left * views[1].width / 100 == pytest.approx(cell.bbox[0] * views[1].scale)
    assert (box.top + box.height) * views[1].height / 100 == pytest.approx(cell.bbox[3] * views[1].scale)


def test_review_page_is_self_contained_and_lists_findings_and_the_fix(tmp_path, misprinted):
    doc_dir = write_outputs(misprinted, tmp_path)
    html = write_review(doc_dir).read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no network resources"
    assert html.count('<img src="data:image/jpeg;base64,') == 2
    assert 'class="status status-needs_review"' in html
    buttons = re.findall(r'<button type="button" class="finding" id="(finding-\d)" data-keys="([^"]+)"', html)
    assert buttons == [("finding-0", "t1-r8-c4 t1-r8-c5 t1-r8-c10"),
                       ("finding-1", "t1-r5-c4 t1-r6-c4 t1-r7-c4 t1-r8-c4 t1-r9-c4")]
    assert "expected 317.15 · found 371.15 · difference 54.00" in html
    assert f"disclosure-ocr reprocess {doc_dir.name} --out {tmp_path} --dpi 300" in html
    # Merged header as in the original, then the canonical names.
    assert 'rowspan="2" colspan="3" data-key="t1-r0-c0"' in html
    assert ">其他运转类项目</th>" in html
    assert html.count('class="box') == sum(len(t.cells) for t in misprinted.tables)


def test_ocr_text_is_escaped(tmp_path, misprinted):
    misprinted.tables[0].cell_at(2, 0).text = "<script>alert(1)</script>"
    html = write_review(write_outputs(misprinted, tmp_path)).read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_failed_documents_get_a_review_page_and_the_index_lists_everything(tmp_path, sample_truth):
    from reportlab.pdfgen import canvas

    corrupt = tmp_path / "in" / "corrupt.pdf"
    corrupt.parent.mkdir()
    corrupt.write_bytes(b"this is not a pdf at all")
    blank = tmp_path / "in" / "blank.pdf"
    pdf = canvas.Canvas(str(blank))
    pdf.drawString(72, 720, "no table on this page")
    pdf.save()
    out = tmp_path / "out"
    ids = [write_outputs(process_file(path), out).name for path in (corrupt, blank)]
    ids.append(write_outputs(sample_truth, out).name)
    publish(out, ids)
    bad, empty, fine = (out / doc_id / REVIEW_FILE for doc_id in ids)
    assert not fine.exists(), "ok documents get a page only on request"
    bad_html, empty_html = bad.read_text(encoding="utf-8"), empty.read_text(encoding="utf-8")
    assert 'id="fail-stage">rasterize<' in bad_html and "reprocessing will not help" in bad_html
    assert "No page pictures" in bad_html
    assert "no_tables_found" in empty_html and f"reprocess {ids[1]} --out {out} --dpi 300" in empty_html
    assert empty_html.count('<figure class="page"') == 1, "the page without a table is still shown"
    entries = {e.doc_id: e for e in index_entries(out)}
    assert [entries[i].status for i in ids] == ["failed", "failed", "ok"]
    assert entries[ids[0]].review == f"{ids[0]}/{REVIEW_FILE}" and entries[ids[2]].review is None
    assert entries[ids[2]].workbook == f"{ids[2]}/tables.xlsx"
    index = (out / INDEX_FILE).read_text(encoding="utf-8")
    assert index.index(ids[0]) < index.index(ids[2]), "failed documents first"


def test_a_timed_out_document_suggests_a_longer_timeout(tmp_path):
    job = Job(str(SAMPLE_PDF), "ab" * 32, 1, str(tmp_path), Settings(), 5.0, default_store_url(tmp_path))
    result, _ = settled_result(job, Outcome("timeout", message="no result after 5 s; the worker was killed"), "r1")
    assert [s.command for s in suggest(result, "abababababababab", "out")] == [
        "disclosure-ocr reprocess abababababababab --out out --timeout 3600"
    ]
    html = write_review(tmp_path / "abababababababab").read_text(encoding="utf-8")
    assert "not rendered after a timeout failure" in html and 'id="fail-stage">worker<' in html
    assert "--timeout 3600" in html and "no result after 5 s" in html


def test_needs_review_suggests_higher_dpi_on_the_table_pages_only(misprinted):
    misprinted.document.pages = 5
    (found,) = suggest(misprinted, "d1", "my out")
    assert found.command == "disclosure-ocr reprocess d1 --out 'my out' --dpi 300 --pages 1-2"
    misprinted.document.status = DocumentStatus.OK
    assert suggest(misprinted, "d1", "out") == []


def test_suggested_options_are_options_reprocess_really_has():
    import inspect

    from flows.cli.archive import reprocess
    from flows.core.reprocess_options import SUGGESTED_OPTIONS

    assert SUGGESTED_OPTIONS <= set(inspect.signature(reprocess).parameters)
    with pytest.raises(ValueError, match="no option"):
        command("d1", "out", rasterizer="pdfium")


def test_history_comes_from_the_store_newest_first(tmp_path, misprinted):
    doc_dir = write_outputs(misprinted, tmp_path)
    store = open_store(default_store_url(tmp_path))
    start = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
    for n, dpi in enumerate((200, 300)):
        misprinted.document.settings = Settings(dpi=dpi).as_dict()
        store.record_run(misprinted, RunRecord(uuid.uuid4().hex, str(SAMPLE_PDF), 1, "h", ("batch", "reprocess")[n],
                                               start + timedelta(hours=n), start + timedelta(hours=n, seconds=42), 1,
                                               str(doc_dir / RESULT_FILE)))
    history = run_history(misprinted, doc_dir / RESULT_FILE, stored_runs(tmp_path, doc_dir.name))
    assert [(h.when, h.trigger, h.current, "dpi=300" in h.settings) for h in history] == [
        ("2026-03-01 09:00 UTC", "reprocess", True, True),
        ("2026-03-01 08:00 UTC", "batch", False, False),
    ]
    html = write_review(doc_dir).read_text(encoding="utf-8")
    assert html.count("<tr aria-current") == 1 and "42.0 s" in html


def test_review_and_index_commands(tmp_path, sample_truth):
    doc_dir = write_outputs(sample_truth, tmp_path)
    runner = CliRunner()
    done = runner.invoke(app, ["review", doc_dir.name, "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert Path(done.stdout.strip()) == doc_dir / REVIEW_FILE and (doc_dir / REVIEW_FILE).is_file()
    assert "the source file is gone" in (doc_dir / REVIEW_FILE).read_text(encoding="utf-8")
    assert runner.invoke(app, ["review", "0000000000000000", "--out", str(tmp_path)]).exit_code == 1
    (tmp_path / INDEX_FILE).unlink()
    assert runner.invoke(app, ["index", "--out", str(tmp_path)]).exit_code == 0
    assert doc_dir.name in (tmp_path / INDEX_FILE).read_text(encoding="utf-8")


def test_index_counts_checks_passed_when_checks_ran(tmp_path, misprinted):
    write_outputs(misprinted, tmp_path)
    write_index(tmp_path)
    (entry,) = index_entries(tmp_path)
    checks_run = misprinted.checks_run + sum(table.checks_run for table in misprinted.tables)
    assert checks_run > 2
    assert (entry.passed, entry.failed) == (str(checks_run - 2), 2)


@pytest.mark.parametrize("pages", [[1], [1, 2, 3, 7], [2, 4, 5, 6, 9, 10], []])
def test_page_ranges_format_back_to_what_they_parse(pages):
    assert parse_page_range(format_page_range(pages), 20) == (pages or list(range(1, 21)))


def test_no_pictures_from_a_source_edited_since_its_run(tmp_path, misprinted):
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(SAMPLE_PDF.read_bytes() + b"\n% appended later\n")
    misprinted.document.source = str(edited)
    html = write_review(write_outputs(misprinted, tmp_path / "out")).read_text(encoding="utf-8")
    assert "the source file has changed since it was processed" in html and "<img" not in html


def test_unmapped_columns_get_vocabulary_advice_not_a_reprocess(tmp_path, sample_truth):
    result = sample_truth.model_copy(deep=True)
    result.document.status = DocumentStatus.NEEDS_REVIEW
    result.tables[0].columns[1].canonical = None
    assert suggest(result, "d1", "out") == []
    html = write_review(write_outputs(result, tmp_path)).read_text(encoding="utf-8")
    assert 'id="unmapped"' in html and "<code>收入›金额</code>" in html and "Nothing to reprocess." in html


def test_an_engine_that_could_not_run_is_swapped_for_the_bundled_one(tmp_path):
    from ocr.engines import DEFAULT_ENGINE

    result = process_file(SAMPLE_PDF, Settings(engine="paddleocr"))
    if result.document.error_kind != "ocr_failed":
        pytest.skip("native PaddleOCR is installed here, so it does not fail")
    (found,) = suggest(result, "d1", "out")
    assert found.command == f"disclosure-ocr reprocess d1 --out out --engine {DEFAULT_ENGINE}"
    result.document.settings["engine"] = DEFAULT_ENGINE
    assert suggest(result, "d1", "out") == []
