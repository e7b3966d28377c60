"""Aggregation by variant and the Markdown report, on the committed smoke truth with made-up predictions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from samples.bench.report import ALL_SYNTHETIC, evaluate, markdown
from samples.synth.corpus import read_manifest

SMOKE_DIR = Path(__file__).resolve().parent.parent / "samples" / "corpus" / "smoke"


def _write_run(folder: Path, seconds: dict[str, float], tag: str = "all", rss: float = 100.0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    run = {"load_seconds": 0.5, "peak_rss_mb": rss,
           "files": {name: {"seconds": s, "cpu_seconds": s, "error": None, "pages": 1} for name, s in seconds.items()}}
    (folder / f"run.{tag}.json").write_text(json.dumps(run), encoding="utf-8")


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


def test_repeated_readings_keep_each_files_fastest(preds):
    """A second reading of every file (``--repeats 2``): one file faster, the others slower; RSS the larger."""
    entries = read_manifest(SMOKE_DIR)
    first = entries[0].file
    _write_run(preds / "pipeline", {e.file: 1.0 if e.file == first else 3.0 for e in entries}, tag="all.2", rss=120.0)
    result = evaluate(SMOKE_DIR, preds, ["pipeline", "baseline"])
    files = result["pipeline"]["files"]
    assert files[first]["seconds"] == files[first]["cpu_seconds"] == 1.0
    assert all(files[e.file]["seconds"] == 2.0 for e in entries[1:])
    assert result["pipeline"]["run"]["repeats"] == 2 and result["baseline"]["run"]["repeats"] == 1
    assert result["pipeline"]["run"]["peak_rss_mb"] == 120.0
    assert "fastest of 2 readings" in markdown(result)


def test_each_ratios_two_sides_run_next_to_each_other():
    from samples.bench.__main__ import run_order

    order = run_order(["pipeline", "baseline"], ["born-digital", "scanned-clean", "scanned-noisy"])
    assert order == [("baseline", "born-digital"), ("pipeline", "born-digital"), ("pipeline", "scanned-clean"),
                     ("baseline", "scanned-clean"), ("baseline", "scanned-noisy"), ("pipeline", "scanned-noisy")]
