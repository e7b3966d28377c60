"""The results store on a real SQLite file and a real PostgreSQL server, fed the sample's ground-truth
result (no OCR needed)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import psutil
import pytest
from sqlalchemy import func, select, update

from ocr.errors import FAILURE_KINDS
from table_reconstruct.model import CellRef, DocumentResult, DocumentStatus, Finding

from flows.outputs.result_files import write_run_copy
from flows.core.settings import Settings
from flows.store import ResultsStore, RunRecord, default_store_url
from flows.store import schema
from flows.store.connect import make_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """An empty store's URL: a SQLite file, or the PostgreSQL test schema emptied."""
    if request.param == "sqlite":
        return default_store_url(tmp_path)
    url = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    schema.metadata.drop_all(engine)
    engine.dispose()
    return url


@pytest.fixture()
def store(store_url) -> ResultsStore:
    return ResultsStore(make_engine(store_url))


def record(store: ResultsStore, result, out: Path, run_id: str, minutes: int = 0) -> None:
    started = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=minutes)
    path = write_run_copy(result, out, run_id)
    store.record_run(
        result,
        RunRecord(run_id, "a.pdf", 1234, Settings().fingerprint(), "batch", started, started + timedelta(seconds=3), 1, str(path), ("b.pdf",)),
    )


def count(store: ResultsStore, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_sqlite_is_in_wal_mode_with_busy_timeout(tmp_path):
    store = ResultsStore(make_engine(default_store_url(tmp_path)))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000


def test_run_rows_and_tidy_values(store, sample_truth, tmp_path):
    record(store, sample_truth, tmp_path, "r1")
    sha = sample_truth.document.sha256
    assert store.has_run(sha, sample_truth.document.pipeline_version or "", Settings().fingerprint())
    assert store.document(sample_truth.document.sha256[:16])["sources"] == ["a.pdf", "b.pdf"]
    assert count(store, schema.tables) == 2
    assert count(store, schema.cells) == sum(len(t.cells) for t in sample_truth.tables)
    with store.engine.connect() as conn:
        total = conn.execute(
            select(schema.values.c.text).where(
                schema.values.c.table_index == 1, schema.values.c.canonical_column == "合计", schema.values.c.row == 3
            )
        ).scalar_one()
    assert total == "563.16"


def test_reprocessing_keeps_history_and_one_current_run(store, sample_truth, tmp_path):
    record(store, sample_truth, tmp_path, "r1")
    record(store, sample_truth, tmp_path, "r2", minutes=5)
    runs = store.runs_of(sample_truth.document.sha256[:16])
    assert [(r["id"], r["is_current"]) for r in runs] == [("r1", False), ("r2", True)]
    assert all(Path(r["result_path"]).is_file() for r in runs)
    with store.engine.connect() as conn:
        per_run = dict(conn.execute(select(schema.values.c.run_id, func.count()).group_by(schema.values.c.run_id)).all())
    assert per_run["r1"] == per_run["r2"] > 0  # the old run's values stay queryable


def test_refuses_to_point_at_a_missing_file(store, sample_truth, tmp_path):
    now = datetime.now(timezone.utc)
    missing = RunRecord("r9", "a.pdf", 1, "x", "batch", now, now, 1, str(tmp_path / "nope.json"))
    with pytest.raises(FileNotFoundError):
        store.record_run(sample_truth, missing)
    assert count(store, schema.runs) == 0


def test_concurrent_writers_lose_nothing(store_url, tmp_path, sample_truth):
    stores = [ResultsStore(make_engine(store_url)) for _ in range(4)]  # separate engines, like separate processes
    errors: list[Exception] = []

    def write(worker: int) -> None:
        try:
            for n in range(5):
                record(stores[worker], sample_truth, tmp_path, f"w{worker}-{n}", minutes=worker * 10 + n)
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(stores[0], schema.runs) == 20
    with stores[0].engine.connect() as conn:
        current = conn.execute(select(func.count()).where(schema.runs.c.is_current)).scalar_one()
    assert current == 1


def test_thread_count_does_not_change_the_settings_fingerprint():
    assert Settings(threads=2).fingerprint() == Settings(threads=8).fingerprint()
    assert Settings(dpi=150).fingerprint() != Settings().fingerprint()


def test_claims_keep_a_document_to_one_live_process(store, sample_truth, tmp_path):
    sha, version, fingerprint = sample_truth.document.sha256, sample_truth.document.pipeline_version or "", Settings().fingerprint()
    assert store.claim(sha, version, fingerprint, lease_s=60) == "claimed"
    assert store.claim(sha, version, fingerprint, lease_s=60) == "claimed"  # the holder itself may go on
    parent = psutil.Process().parent()  # alive for as long as this test runs
    with store.engine.begin() as conn:
        conn.execute(update(schema.claims).values(pid=parent.pid, process_started=round(parent.create_time(), 2)))
    assert store.claim(sha, version, fingerprint, lease_s=60) == "busy"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])  # a process that has ended: its claim is stale
    gone.wait()
    with store.engine.begin() as conn:
        conn.execute(update(schema.claims).values(pid=gone.pid, process_started=1.0))
    assert store.claim(sha, version, fingerprint, lease_s=60) == "claimed"
    record(store, sample_truth, tmp_path, "r1")  # recording releases the claim
    assert count(store, schema.claims) == 0
    assert store.claim(sha, version, fingerprint, lease_s=60) == "done"
    assert store.claim(sha, version, fingerprint, lease_s=60, redo=True) == "claimed"  # reprocessing redoes


@pytest.mark.parametrize("kind", FAILURE_KINDS)
def test_every_failure_kind_is_recorded_with_message_and_stage(store, sample_truth, tmp_path, kind):
    failed = DocumentResult(
        document=sample_truth.document.model_copy(
            update={"status": DocumentStatus.FAILED, "error": f"what went wrong ({kind})", "error_kind": kind, "stage": "reconstruct"}
        )
    )
    record(store, failed, tmp_path, "r1")
    (run,) = store.current_runs(("failed",))
    assert (run["error_kind"], run["stage"], run["error_message"]) == (kind, "reconstruct", f"what went wrong ({kind})")


def test_validation_findings_are_stored_exactly(store, sample_truth, tmp_path):
    result = sample_truth.model_copy(deep=True)
    result.tables[1].validation.append(
        Finding(rule="类 = Σ款", cells=[(4, 4), (5, 4)], expected=Decimal("533.59"), found=Decimal("533.58"), difference=Decimal("0.01"))
    )
    result.validation.append(Finding(rule="基本支出 across tables", refs=[CellRef(table=0, row=2, col=1), CellRef(table=1, row=3, col=5)]))
    record(store, result, tmp_path, "r1")
    with store.engine.connect() as conn:
        rows = conn.execute(select(schema.findings).order_by(schema.findings.c.finding_index)).all()
    assert [(r.table_index, r.rule, json.loads(r.cells_json)) for r in rows] == [
        (1, "类 = Σ款", [[1, 4, 4], [1, 5, 4]]),
        (None, "基本支出 across tables", [[0, 2, 1], [1, 3, 5]]),
    ]
    assert (rows[0].expected, rows[0].found, rows[0].difference) == (Decimal("533.59"), Decimal("533.58"), Decimal("0.01"))
