"""Shared fixtures: the bundled scanned sample, its truth, and one real pipeline run over it."""

from __future__ import annotations

import json
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
