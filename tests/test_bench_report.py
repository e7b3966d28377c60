"""Aggregation by variant and the Markdown report, on the committed smoke truth with made-up predictions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from samples.bench.report import ALL_SYNTHETIC, evaluate, markdown
from samples.synth.corpus import read_manifest

SMOKE_DIR = Path(__file__).resolve().parent.parent / "samples" / "corpus" / "smoke"


def _write_run(folder: Path, seconds: dict[str, float]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    run = {"load_seconds": 0.5, "peak_rss_mb": 100.0,
           "files": {name: {"seconds": s, "error": None, "pages": 1} for name, s in seconds.items()}}
    (folder / "run.all.json").write_text(json.dumps(run), encoding="utf-8")


@pytest.fixture()
def preds(tmp_path: Path) -> Path:
    """``pipeline`` returns the truth itself for the born-digital file and nothing else; ``baseline`` nothing."""
    entries = read_manifest(SMOKE_DIR)
    born = next(e for e in entries if e.variant == "born-digital")
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / f"{born.file}.json").write_text((SMOKE_DIR / born.truth).read_text(encoding="utf-8"))
    _write_run(tmp_path / "pipeline", {e.file: 2.0 for e in entries})
    _write_run(tmp_path / "baseline", {e.file: 1.0 for e in entries})
    return tmp_path


def test_perfect_file_scores_one_and_missing_files_zero(preds):
    result = evaluate(SMOKE_DIR, preds, ["pipeline", "baseline"])
    born = result["pipeline"]["variants"]["born-digital"]["metrics"]
    assert born["cell_accuracy"] == born["table_recall"] == born["amount_token_recall"] == 1.0
    noisy = result["pipeline"]["variants"]["scanned-noisy"]["metrics"]
    assert noisy["table_recall"] == noisy["cell_accuracy"] == 0.0
    assert result["baseline"]["variants"]["born-digital"]["metrics"]["cell_accuracy"] == 0.0
    real = result["pipeline"]["variants"]["real-scanned"]
    assert real["metrics"]["amount_token_recall"] == 0.0 and real["counts"]["tables_truth"] == 0


def test_all_synthetic_sums_the_table_variants_only(preds):
    variants = evaluate(SMOKE_DIR, preds, ["pipeline"])["pipeline"]["variants"]
    synthetic = [v for k, v in variants.items() if k not in (ALL_SYNTHETIC, "real-scanned")]
    assert variants[ALL_SYNTHETIC]["counts"]["cells"] == sum(v["counts"]["cells"] for v in synthetic)
    assert variants[ALL_SYNTHETIC]["seconds"] == 2.0 * len(synthetic)
    pages = variants[ALL_SYNTHETIC]["counts"]["pages"]
    assert variants[ALL_SYNTHETIC]["metrics"]["pages_per_second"] == pytest.approx(pages / (2.0 * len(synthetic)))


def test_markdown_shows_both_systems_and_ratios(preds):
    report = markdown(evaluate(SMOKE_DIR, preds, ["pipeline", "baseline"]))
    assert "### born-digital" in report and "### real-scanned" in report
    assert "| Body cells exact (all) | 100.0 % | 0.0 % | ∞ |" in report
    assert "| Pages / second |" in report and "| Peak RSS (MB) | 100.0 | 100.0 | ×1.00 |" in report
