"""Faults a real batch must survive, each with real subprocesses of the CLI and real OCR (page 1 only):
SIGKILL mid-run and resume, a file changed after processing, the same archive run twice at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest
from sqlalchemy import func, select

from flows.store import default_store_url, open_store, schema
from tests.conftest import SAMPLE_PDF, distinct_copy

pytestmark = pytest.mark.slow


def batch_command(archive: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "flows.cli.app", "batch", str(archive), "--out", str(out), "--workers", "1", "--pages", "1"]


def cli_env(work: Path) -> dict:
    return dict(os.environ, PREFECT_HOME=str(work / "prefect-home"), COLUMNS="250")


def recorded_runs(store_file: Path) -> int:
    """Runs in the store as a separate reader sees them (0 while the store does not exist yet)."""
    if not store_file.is_file():
        return 0
    try:
        with sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM runs").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def ocr_workers(process: psutil.Process) -> list[psutil.Process]:
    return [child for child in process.children(recursive=True) if "spawn_main" in " ".join(child.cmdline())]


def run_rows(out: Path) -> list[dict]:
    with open_store(default_store_url(out)).engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(schema.runs))]


def values_per_run(out: Path) -> dict[str, int]:
    with open_store(default_store_url(out)).engine.connect() as conn:
        return dict(conn.execute(select(schema.values.c.run_id, func.count()).group_by(schema.values.c.run_id)).all())


@pytest.fixture(scope="module")
def killed_and_resumed(tmp_path_factory):
    """Three documents; the batch is SIGKILLed once the first is recorded, then run again; then one file changes."""
    work = tmp_path_factory.mktemp("resume")
    archive, out = work / "archive", work / "out"
    for tag in "abc":
        distinct_copy(SAMPLE_PDF, archive / f"doc_{tag}.pdf", tag)
    batch = subprocess.Popen(batch_command(archive, out), env=cli_env(work), start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 900
    while recorded_runs(out / "results.sqlite") < 1 and batch.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    workers = ocr_workers(psutil.Process(batch.pid))
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    _, orphans = psutil.wait_procs(workers, timeout=15)
    os.killpg(batch.pid, signal.SIGKILL)  # whatever else it had started (Prefect's local API server)
    before = run_rows(out)
    resumed = subprocess.run(batch_command(archive, out), env=cli_env(work), capture_output=True, text=True, timeout=900)
    after, values_after = run_rows(out), values_per_run(out)
    distinct_copy(SAMPLE_PDF, archive / "doc_c.pdf", "c, edited")  # same path, new content
    changed = subprocess.run(batch_command(archive, out), env=cli_env(work), capture_output=True, text=True, timeout=900)
    return {"out": out, "workers": workers, "orphans": orphans, "before": before, "resumed": resumed,
            "after": after, "values_after": values_after, "changed": changed, "archive": archive}  # fmt: skip


def test_a_killed_batch_leaves_no_worker_running(killed_and_resumed):
    assert killed_and_resumed["workers"], "the batch was killed while a document was being processed"
    assert killed_and_resumed["orphans"] == []


def test_resuming_redoes_only_unfinished_documents(killed_and_resumed):
    before, after = killed_and_resumed["before"], killed_and_resumed["after"]
    assert killed_and_resumed["resumed"].returncode == 0, killed_and_resumed["resumed"].stderr[-3000:]
    assert 1 <= len(before) < 3
    assert {run["id"] for run in before} <= {run["id"] for run in after}  # finished runs kept as they were
    assert Counter(Path(run["source"]).name for run in after) == {"doc_a.pdf": 1, "doc_b.pdf": 1, "doc_c.pdf": 1}
    assert all(run["is_current"] and run["status"] != "failed" and Path(run["result_path"]).is_file() for run in after)
    counts = killed_and_resumed["values_after"]
    assert len(counts) == 3 and len(set(counts.values())) == 1  # the same page read three times, no half runs
    with open_store(default_store_url(killed_and_resumed["out"])).engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.claims)).scalar_one() == 0


def test_a_changed_file_is_processed_again(killed_and_resumed):
    changed = killed_and_resumed["changed"]
    assert changed.returncode == 0, changed.stderr[-3000:]
    assert "found 3, skipped 2 already done, processed 1" in changed.stderr
    runs = run_rows(killed_and_resumed["out"])
    edited = [run for run in runs if Path(run["source"]).name == "doc_c.pdf"]
    assert len(edited) == 2 and edited[0]["document_sha256"] != edited[1]["document_sha256"]
    assert all(run["is_current"] for run in edited)  # two contents, two documents, each with its current run


def test_the_same_archive_run_twice_at_once(tmp_path):
    archive, out = tmp_path / "archive", tmp_path / "out"
    for tag in "xy":
        distinct_copy(SAMPLE_PDF, archive / f"doc_{tag}.pdf", tag)
    batches = [
        subprocess.Popen(batch_command(archive, out), env=cli_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [batch.communicate(timeout=900) for batch in batches]
    assert [batch.returncode for batch in batches] == [0, 0], [err[-2000:] for _, err in outputs]
    runs = run_rows(out)
    assert Counter(Path(run["source"]).name for run in runs) == {"doc_x.pdf": 1, "doc_y.pdf": 1}  # each done once
    assert all(run["is_current"] and Path(run["result_path"]).is_file() for run in runs)
    assert len(set(values_per_run(out).values())) == 1
