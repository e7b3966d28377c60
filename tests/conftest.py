"""Shared fixtures: the bundled scanned sample, its truth, and one real pipeline run over it."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest

from samples.bench.services import distinct_copy  # noqa: F401  (tests import it from here)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PDF = ROOT / "samples" / "scanned_budget_sample.pdf"
SAMPLE_TRUTH = ROOT / "samples" / "scanned_budget_sample.truth.json"


@pytest.fixture(scope="session")
def sample_truth():
    from table_reconstruct.model import DocumentResult

    return DocumentResult.model_validate(json.loads(SAMPLE_TRUTH.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def sample_result():
    """The real pipeline (rasterize, PP-OCR, OpenCV grid) over the bundled scanned sample."""
    from flows.core.pipeline import process_file

    return process_file(SAMPLE_PDF)


@pytest.fixture(scope="session")
def broken_review(tmp_path_factory):
    """A real failed check end to end: render a scan whose sums do not hold, run the real pipeline
    (whose validation engine finds them), record the run in a real results store, and write the
    review page and index as a batch would."""
    from types import SimpleNamespace

    from flows.core.identify import document_key
    from flows.outputs.result_files import RESULT_FILE, write_outputs
    from flows.core.pipeline import process_file
    from flows.review import review_if_needed, write_index
    from flows.core.settings import Settings
    from flows.store import RunRecord, default_store_url, open_store
    from samples.synth.broken import build_broken_sample

    root = tmp_path_factory.mktemp("broken_review")
    sample = build_broken_sample(root / "src")
    started = datetime.now(timezone.utc)
    result = process_file(sample.pdf)
    out = root / "out"
    doc_dir = write_outputs(result, out)
    record = RunRecord(run_id=uuid.uuid4().hex, source=str(sample.pdf), size_bytes=sample.pdf.stat().st_size,
                       settings_hash=Settings().fingerprint(), trigger="batch", started_at=started,
                       finished_at=datetime.now(timezone.utc), attempts=1, result_path=str(doc_dir / RESULT_FILE))
    open_store(default_store_url(out)).record_run(result, record)
    review = review_if_needed(out, document_key(result.document))
    return SimpleNamespace(sample=sample, result=result, out=out, doc_dir=doc_dir, review=review, index=write_index(out))
PG_URL_ENV = "DISCLOSURE_OCR_TEST_PG_URL"


@pytest.fixture(scope="session")
def pg_url():
    """A real PostgreSQL database (CI starts one, see scripts/ci_postgres.sh), in a schema of its own
    that is dropped afterwards. Skipped when no server is configured, unless CI requires it."""
    import os

    base = os.environ.get(PG_URL_ENV)
    if not base:
        if os.environ.get("DISCLOSURE_OCR_REQUIRE_PG"):
            pytest.fail(f"{PG_URL_ENV} is not set, but DISCLOSURE_OCR_REQUIRE_PG says this run must test PostgreSQL")
        pytest.skip(f"no PostgreSQL server: set {PG_URL_ENV} (e.g. from `bash scripts/ci_postgres.sh`) to run this test")
    from samples.bench.services import postgresql_schema

    with postgresql_schema(base) as url:
        yield url


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """Prefect's own test harness: flows run in-process against a throwaway local API and database."""
    from flows.orchestration.prefect_env import apply_offline_defaults

    apply_offline_defaults()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def make_pdf_page(path: Path, size: tuple[float, float] = (595, 842), text: str = "A letter without any table.") -> Path:
    """A born-digital one-page PDF with a line of text and no table."""
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=size, invariant=1)
    page.drawString(72, size[1] - 72, text)
    page.save()
    return path
