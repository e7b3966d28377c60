"""Shared fixtures: the bundled scanned sample, its truth, and one real pipeline run over it."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest

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
    from flows.pipeline import process_file

    return process_file(SAMPLE_PDF)


@pytest.fixture(scope="session")
def broken_review(tmp_path_factory):
    """A real failed check end to end: render a scan whose sums do not hold, run the real pipeline
    (whose validation engine finds them), record the run in a real results store, and write the
    review page and index as a batch would."""
    from types import SimpleNamespace

    from flows.identify import document_key
    from flows.outputs import RESULT_FILE, write_outputs
    from flows.pipeline import process_file
    from flows.review import review_if_needed, write_index
    from flows.settings import Settings
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
