"""A batch as an operator sees it in the Prefect UI: artifacts, task names and tags, read back from
the Prefect API's own database after a real `batch` (ephemeral API, real worker, real documents)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from flows.core.identify import doc_id_for, sha256_of

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BORN_DIGITAL = ROOT / "samples" / "corpus" / "smoke" / "doc02.born-digital.pdf"


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("artifacts")
    archive, home = work / "archive", work / "prefect-home"
    archive.mkdir()
    shutil.copy(BORN_DIGITAL, archive / "budget.pdf")
    (archive / "empty.pdf").write_bytes(b"")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), COLUMNS="250")
    command = [sys.executable, "-m", "flows.cli.app", "batch", str(archive), "--out", str(work / "out"), "--workers", "1"]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert completed.returncode == 1, completed.stderr[-2000:]  # the empty file failed
    connection = sqlite3.connect(home / "prefect.db")
    yield connection
    connection.close()


def artifacts(connection, kind: str) -> dict[str | None, object]:
    """Artifact data by key; table artifacts hold their rows as a JSON text inside the JSON column."""
    rows = connection.execute("SELECT key, data FROM artifact WHERE type = ?", (kind,)).fetchall()
    decoded = {key: json.loads(data) if isinstance(data, str) else data for key, data in rows}
    return {key: json.loads(data) if kind == "table" else data for key, data in decoded.items()}


def test_the_run_has_a_table_of_its_documents(batch_run):
    (rows,) = artifacts(batch_run, "table").values()
    by_name = {row["document"]: row for row in rows}
    assert by_name["budget.pdf"]["status"] == "ok" and by_name["budget.pdf"]["tables"] >= 1
    assert by_name["empty.pdf"]["status"] == "failed" and by_name["budget.pdf"]["pages/s"] > 0


def test_a_failed_document_gets_a_note_with_its_reason(batch_run):
    notes = artifacts(batch_run, "markdown")
    empty_id = doc_id_for(sha256_of(Path(os.devnull)))  # sha256 of zero bytes, like the empty file
    note = notes[f"document-{empty_id}"]
    assert "empty.pdf: failed" in note and "bad_input" in note
    assert len(notes) == 1  # the consistent document needs no note


def test_progress_reaches_the_end(batch_run):
    (progress,) = artifacts(batch_run, "progress").values()
    assert progress == 100.0


def test_task_runs_are_named_after_their_documents_and_the_run_is_tagged_by_outcome(batch_run):
    names = {name for (name,) in batch_run.execute("SELECT name FROM task_run")}
    assert any(name.startswith("budget.pdf [") for name in names) and any(name.startswith("empty.pdf [") for name in names)
    (tags,) = batch_run.execute("SELECT flow_run.tags FROM flow_run JOIN flow ON flow.id = flow_run.flow_id "
                                "WHERE flow.name = 'process-archive'").fetchone()  # fmt: skip
    assert {"disclosure-ocr", "outcome:ok", "outcome:failed"} <= set(json.loads(tags))
    # Task runs carry no tags: each tagged task would first ask the server for tag concurrency slots.
    task_tags = [json.loads(found) for (found,) in batch_run.execute("SELECT tags FROM task_run")]
    assert task_tags and all(found == [] for found in task_tags)
