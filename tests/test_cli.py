"""The console command as a user runs it: a real subprocess, real Prefect (ephemeral), real OCR."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_PDF

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("cli")
    not_a_pdf = work / "notes.pdf"
    not_a_pdf.write_text("this is a text file with a .pdf name", encoding="utf-8")
    out = work / "out"
    env = dict(os.environ, PREFECT_HOME=str(work / "prefect-home"))
    command = [sys.executable, "-m", "flows.cli.app", "run", str(SAMPLE_PDF), str(not_a_pdf), "--out", str(out)]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    return completed, out


def result_for(out: Path, source_name: str) -> dict:
    for path in out.glob("*/result.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if Path(data["document"]["source"]).name == source_name:
            return data
    raise AssertionError(f"no result.json for {source_name} under {out}")


def test_bad_file_fails_alone_and_exit_code_says_so(cli_run):
    completed, out = cli_run
    assert completed.returncode == 1, completed.stderr[-2000:]
    assert "disclosure-ocr results" in completed.stdout  # the summary, written through a pipe, reached it
    bad = result_for(out, "notes.pdf")["document"]
    assert bad["status"] == "failed" and bad["error_kind"] == "bad_input"
    assert "not a PDF" in bad["error"]


def test_the_store_file_alone_holds_every_run(cli_run, tmp_path):
    """The command leaves without the interpreter's teardown, yet its store connections are closed: SQLite
    folds its write-ahead log into the file, so a copy of results.sqlite on its own has both runs."""
    _, out = cli_run
    assert not (out / "results.sqlite-wal").exists()
    copy = tmp_path / "copy.sqlite"
    shutil.copy(out / "results.sqlite", copy)
    with sqlite3.connect(copy) as db:
        runs = {(Path(source).name, status) for source, status in db.execute("SELECT source, status FROM runs")}
    assert runs == {(SAMPLE_PDF.name, "ok"), ("notes.pdf", "failed")}


def test_sample_result_json_and_csvs(cli_run):
    _, out = cli_run
    data = result_for(out, SAMPLE_PDF.name)
    assert data["document"]["status"] == "ok"
    assert [t["title"] for t in data["tables"]] == ["2026年部门收支总体情况表", "2026年部门支出总体情况表"]
    doc_dir = next(p.parent for p in out.glob("*/result.json") if "收支" in p.read_text(encoding="utf-8"))
    csvs = sorted((doc_dir / "tables").glob("*.csv"))
    assert [p.name for p in csvs] == ["01_2026年部门收支总体情况表.csv", "02_2026年部门支出总体情况表.csv"]
    raw = csvs[1].read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:6] == ["功能分类_类", "功能分类_款", "功能分类_项", "科目名称", "合计", "基本支出"]
    assert lines[1].split(",")[3] == "合计"


def test_run_writes_the_index_and_a_review_page_for_the_failure_only(cli_run):
    _, out = cli_run
    index = (out / "index.html").read_text(encoding="utf-8")
    reviews = sorted(p.parent.name for p in out.glob("*/review.html"))
    bad = next(p.parent.name for p in out.glob("*/result.json") if "notes.pdf" in p.read_text(encoding="utf-8"))
    assert reviews == [bad]
    assert index.count("<tr data-doc=") == 2 and f'href="{bad}/review.html"' in index


@pytest.mark.parametrize("command", ["run", "batch"])
def test_run_and_batch_take_the_same_reading_options(tmp_path, command):
    """--force-ocr and --rasterizer on both commands, checked before any work (no store is made)."""
    from typer.testing import CliRunner

    from flows.cli.app import app

    target = str(SAMPLE_PDF) if command == "run" else str(SAMPLE_PDF.parent)
    result = CliRunner().invoke(app, [command, target, "--out", str(tmp_path / "out"), "--force-ocr", "--rasterizer", "nope"])
    assert result.exit_code == 2 and "--rasterizer" in result.output
    assert not (tmp_path / "out").exists()
