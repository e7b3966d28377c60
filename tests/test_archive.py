"""The archive commands as a user runs them: real subprocess CLI, real Prefect (ephemeral), real OCR.

One small archive: the scanned sample under two names (one document), a 0-byte
.pdf, a text file named .pdf, and a table-free PDF. The sample is OCRed twice
in this file: by the batch and by the reprocess.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from flows.core.identify import doc_id_for, sha256_of
from flows.store import default_store_url, open_store
from flows.store import schema
from tests.conftest import SAMPLE_PDF, make_pdf_page

pytestmark = pytest.mark.slow


def make_archive(root: Path) -> Path:
    archive = root / "archive"
    (archive / "later").mkdir(parents=True)
    shutil.copy(SAMPLE_PDF, archive / "budget.pdf")
    shutil.copy(SAMPLE_PDF, archive / "later" / "budget copy.pdf")
    (archive / "empty.pdf").write_bytes(b"")
    (archive / "later" / "notes.pdf").write_text("a text file with a .pdf name", encoding="utf-8")
    make_pdf_page(archive / "letter.pdf")
    return archive


def cli(work: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PREFECT_HOME=str(work / "prefect-home"), COLUMNS="250")
    return subprocess.run([sys.executable, "-m", "flows.cli.app", *args], capture_output=True, text=True, env=env, timeout=600)


def current_runs(out: Path) -> dict[str, dict]:
    return {Path(run["first_source"]).name: run for run in open_store(default_store_url(out)).current_runs()}


@pytest.fixture(scope="module")
def archive_runs(tmp_path_factory):
    """batch, batch again, failed, then reprocess everything: each a real CLI call."""
    work = tmp_path_factory.mktemp("archive")
    archive, out = make_archive(work), work / "out"
    first = cli(work, "batch", str(archive), "--out", str(out), "--workers", "2")
    after_first = current_runs(out)
    second = cli(work, "batch", str(archive), "--out", str(out), "--workers", "2")
    listed = cli(work, "failed", "--out", str(out))
    sample_id = doc_id_for(sha256_of(SAMPLE_PDF))
    redo = cli(work, "reprocess", sample_id, "--all-failed", "--pages", "1", "--force-ocr", "--out", str(out))
    exported = cli(work, "export", "--out", str(out), "--format", "csv")
    return {"out": out, "first": first, "after_first": after_first, "second": second, "listed": listed, "redo": redo,
            "exported": exported}  # fmt: skip


def test_batch_records_every_document_once_with_its_outcome(archive_runs):
    assert archive_runs["first"].returncode == 1, archive_runs["first"].stderr[-3000:]  # some documents failed
    runs = archive_runs["after_first"]
    assert {name: (run["status"], run["error_kind"]) for name, run in runs.items()} == {
        "budget.pdf": ("ok", None),
        "empty.pdf": ("failed", "bad_input"),
        "notes.pdf": ("failed", "bad_input"),
        "letter.pdf": ("failed", "no_tables_found"),
    }
    assert all(run["is_current"] and Path(run["result_path"]).is_file() for run in runs.values())
    assert runs["empty.pdf"]["attempts"] == runs["notes.pdf"]["attempts"] == 1  # bad input is not retried
    sample = open_store(default_store_url(archive_runs["out"])).document(runs["budget.pdf"]["doc_id"])
    assert [Path(p).name for p in sample["sources"]] == ["budget.pdf", "budget copy.pdf"]  # deduplicated


def test_sample_values_land_in_the_tidy_table(archive_runs):
    run_id = archive_runs["after_first"]["budget.pdf"]["id"]
    with open_store(default_store_url(archive_runs["out"])).engine.connect() as conn:
        totals = conn.execute(
            select(schema.values.c.text).where(
                schema.values.c.run_id == run_id,
                schema.values.c.title == "2026年部门支出总体情况表",
                schema.values.c.canonical_column == "合计",
            )
        ).scalars().all()
    assert "563.16" in totals


def test_second_batch_redoes_nothing(archive_runs):
    assert archive_runs["second"].returncode == 0, archive_runs["second"].stderr[-3000:]
    assert "skipped 4 already done, processed 0" in archive_runs["second"].stderr
    with open_store(default_store_url(archive_runs["out"])).engine.connect() as conn:
        triggers = conn.execute(select(schema.runs.c.trigger)).scalars().all()
    assert triggers.count("batch") == 4


def test_failed_lists_the_failures(archive_runs):
    listed = archive_runs["listed"]
    assert listed.returncode == 0, listed.stderr[-3000:]
    assert "3 documents failed or need review" in listed.stdout
    assert "no_tables_found" in listed.stdout and "bad_input" in listed.stdout


def test_reprocess_adds_a_current_run_and_keeps_history(archive_runs):
    assert archive_runs["redo"].returncode == 1, archive_runs["redo"].stderr[-3000:]  # the bad files fail again
    store = open_store(default_store_url(archive_runs["out"]))
    for name, before in archive_runs["after_first"].items():
        runs = store.runs_of(before["doc_id"])
        assert [(r["trigger"], r["is_current"]) for r in runs] == [("batch", False), ("reprocess", True)], name
        assert '"pages": "1"' in runs[1]["settings_json"] and runs[1]["settings_hash"] != runs[0]["settings_hash"]
        assert '"force_ocr": true' in runs[1]["settings_json"] and '"force_ocr": false' in runs[0]["settings_json"]
        assert all(Path(r["result_path"]).is_file() for r in runs)
    sample = current_runs(archive_runs["out"])["budget.pdf"]
    assert sample["status"] == "ok" and sample["pages"] == 2


def test_batch_and_reprocess_write_review_pages_and_the_index(archive_runs):
    out, runs = archive_runs["out"], archive_runs["after_first"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for name, run in runs.items():
        review = out / run["doc_id"] / "review.html"
        assert f'data-doc="{run["doc_id"]}"' in index, name
        assert review.is_file() == (run["status"] != "ok"), name
    letter = (out / runs["letter.pdf"]["doc_id"] / "review.html").read_text(encoding="utf-8")
    # Written after the reprocess run was recorded: both runs are in its history, the newest current.
    assert letter.count('<tr aria-current="true">') == 1 and letter.count("<td>batch</td>") == 1
    assert "<td>reprocess</td>" in letter and "no_tables_found" in letter
    assert f"disclosure-ocr reprocess {runs['letter.pdf']['doc_id']} --out {out} --dpi 300" in letter
def test_export_writes_the_current_amounts_in_yuan(archive_runs):
    assert archive_runs["exported"].returncode == 0, archive_runs["exported"].stderr[-3000:]
    with (archive_runs["out"] / "values.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["source"] for row in rows} == {str(Path(archive_runs["after_first"]["budget.pdf"]["source"]))}
    income = [row for row in rows if row["row_name"] == "收入总计"]
    assert [(row["value"], row["unit"], row["year"]) for row in income] == [("5631600.00", "元", "2026")]
    assert {row["run_id"] for row in rows} == {current_runs(archive_runs["out"])["budget.pdf"]["id"]}  # current run only
