"""``run``, ``batch`` and ``reprocess`` run a document the one way: a real PDF through each, as users call them.

Same result.json (timestamps, timings, run ids and the folder it was found in aside), the same files
written, the same rows in the results store for the current run, and the review page there for all three.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from flows.core.identify import doc_id_for, sha256_of

REAL = Path(__file__).resolve().parents[2] / "shared" / "real" / "cities" / "北京-10.pdf"  # needs_review: a review page
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not REAL.is_file(), reason="needs ../shared/real/cities")]

RUN_ID = re.compile(r"[0-9a-f]{32}")
# What differs between two runs of the same document by nature: when, how long, which run, where found.
VARYING = {"seconds", "started_at", "finished_at", "first_seen", "run_id", "id", "trigger", "result_path", "source",
           "first_source", "path", "threads", "settings_json", "is_current"}


def cli(work: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PREFECT_HOME=str(work / "prefect-home"), COLUMNS="250")
    done = subprocess.run([sys.executable, "-m", "flows.cli.app", *args], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def steady(value):
    """``value`` without what varies between runs (``threads``: a batch splits the cores, a run does not)."""
    if isinstance(value, dict):
        return {key: steady(item) for key, item in value.items() if key not in VARYING}
    if isinstance(value, list):
        return [steady(item) for item in value]
    return value


def snapshot(out: Path, doc_id: str) -> dict:
    """The document's files, its result.json and its current run's rows in the store."""
    doc_dir = out / doc_id
    files = {RUN_ID.sub("RUN", str(path.relative_to(out))) for path in out.rglob("*")
             if path.is_file() and not path.name.startswith("results.sqlite")}
    result = steady(json.loads((doc_dir / "result.json").read_text(encoding="utf-8")))
    with sqlite3.connect(out / "results.sqlite") as db:
        db.row_factory = sqlite3.Row
        (run,) = db.execute("SELECT * FROM runs WHERE is_current").fetchall()
        rows = {"runs": [steady(dict(run))]}
        for table in ("tables", "cells", "findings", "values"):
            found = db.execute(f'SELECT * FROM "{table}" WHERE run_id = ?', (run["id"],)).fetchall()
            rows[table] = sorted(json.dumps(steady(dict(row)), sort_keys=True, default=str) for row in found)
    return {"files": files, "result": result, "store": rows}


@pytest.fixture(scope="module")
def three_ways(tmp_path_factory):
    work = tmp_path_factory.mktemp("one-runner")
    archive = work / "archive"
    archive.mkdir()
    pdf = shutil.copy(REAL, archive / "budget.pdf")
    doc_id = doc_id_for(sha256_of(Path(pdf)))
    cli(work, "run", str(pdf), "--out", str(work / "run"), "--no-track")
    by_run = snapshot(work / "run", doc_id)
    cli(work, "batch", str(archive), "--out", str(work / "batch"), "--workers", "1")
    by_batch = snapshot(work / "batch", doc_id)
    cli(work, "reprocess", doc_id, "--out", str(work / "run"), "--no-track")
    by_reprocess = snapshot(work / "run", doc_id)
    return doc_id, by_run, by_batch, by_reprocess


def test_the_document_is_read_and_needs_a_look(three_ways):
    doc_id, by_run, _, _ = three_ways
    assert by_run["result"]["document"]["status"] == "needs_review" and len(by_run["result"]["tables"]) == 13
    assert f"{doc_id}/review.html" in by_run["files"] and f"{doc_id}/runs/RUN.json" in by_run["files"]


@pytest.mark.parametrize("other", ["batch", "reprocess"])
def test_batch_and_reprocess_give_what_run_gives(three_ways, other):
    _, by_run, by_batch, by_reprocess = three_ways
    by_other = {"batch": by_batch, "reprocess": by_reprocess}[other]
    assert by_other["files"] == by_run["files"]
    assert by_other["result"] == by_run["result"]
    for table in ("runs", "tables", "cells", "findings", "values"):
        assert by_other["store"][table] == by_run["store"][table], table
    assert by_run["store"]["cells"] and by_run["store"]["findings"]
