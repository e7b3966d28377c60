"""Scale-out as operators run it: a real `prefect server start`, the archive batch deployed to a
process work pool with `disclosure-ocr deploy`, two `prefect worker start` processes on that pool,
two runs of the deployment scheduled for the same moment, and a PostgreSQL results store.

The workers look ahead as the README starts them (``--prefetch-seconds 30``): each takes its run
before the scheduled time, so the flow-run process has started when the time comes and the flow
begins then. The two runs share the archive through the store's claims: every document is recorded once."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from flows.core.identify import sha256_of
from flows.orchestration.deploy import WORKER_PREFETCH_SECONDS
from flows.store import open_store
from samples.bench.services import (
    FINISHED_STATES,
    PREFECT,
    Processes,
    clean_environment,
    distinct_copy,
    flow_runs,
    start_prefect_server,
    start_workers,
    wait_for,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BORN_DIGITAL = ROOT / "samples" / "corpus" / "smoke" / "doc02.born-digital.pdf"
DOCUMENTS = 6
SCHEDULED_IN = f"{WORKER_PREFETCH_SECONDS} seconds"  # a worker polls every 10 s: one poll, at least, falls inside the look-ahead


def test_two_work_pool_workers_share_an_archive_through_the_store(tmp_path, pg_url):
    env = clean_environment(tmp_path / "prefect-home")
    archive, out = tmp_path / "archive", tmp_path / "out"
    archive.mkdir()
    for n in range(DOCUMENTS):
        distinct_copy(BORN_DIGITAL, archive / f"budget-{n}.pdf", tag=str(n))
    with Processes(tmp_path) as processes:
        api_url = start_prefect_server(processes, env)
        deployed = subprocess.run([sys.executable, "-m", "flows.cli.app", "deploy", "--archive", str(archive), "--pool", "ocr-test",
                                   "--out", str(out), "--workers", "1", "--name", "shared"],
                                  env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
        assert deployed.returncode == 0, deployed.stderr[-3000:]
        start_workers(processes, "ocr-test", 2, env, pg_url, PREFECT_WORKER_PREFETCH_SECONDS=str(WORKER_PREFETCH_SECONDS))
        wait_for(lambda: workers_online(api_url, "ocr-test") == 2, 120, "both workers polling the pool")
        for _ in (1, 2):
            triggered = subprocess.run([*PREFECT, "deployment", "run", "process-archive/shared", "--start-in", SCHEDULED_IN],
                                       env=env, capture_output=True, timeout=120)  # fmt: skip
            assert triggered.returncode == 0, triggered.stderr[-2000:]

        def both_finished() -> bool:
            runs = flow_runs(api_url)
            return len(runs) == 2 and all(run["state_type"] in FINISHED_STATES for run in runs)

        try:
            wait_for(both_finished, 600, "both flow runs to finish")
        except AssertionError:
            logs = "\n".join(processes.log_tail(f"worker-ocr-test-{n}.log") for n in (1, 2))
            raise AssertionError(f"flow runs did not finish: {flow_runs(api_url)}\n{logs}") from None
        assert {run["state_type"] for run in flow_runs(api_url)} == {"COMPLETED"}
        for run in flow_runs(api_url):  # taken well ahead (Prefect's default look-ahead is 10 s), begun on time
            taken, scheduled, began = run_times(api_url, run)
            assert scheduled - taken > timedelta(seconds=WORKER_PREFETCH_SECONDS - 20), (taken, scheduled, began)
            assert began >= scheduled - timedelta(seconds=1), (taken, scheduled, began)
        # The session's PostgreSQL schema holds other tests' documents too: look at this archive's only.
        ours = {sha256_of(pdf) for pdf in archive.glob("*.pdf")}
        store = open_store(pg_url)
        runs = [run for run in store.current_runs() if run["document_sha256"] in ours]
        assert len(runs) == DOCUMENTS and {run["trigger"] for run in runs} == {"batch"}
        with store.engine.connect() as conn:  # nothing done twice: one run row per document, all current
            from sqlalchemy import func, select

            from flows.store import schema

            recorded = select(func.count()).select_from(schema.runs).where(schema.runs.c.document_sha256.in_(ours))
            assert conn.execute(recorded).scalar() == DOCUMENTS
        assert not any(Path(out).glob("results.sqlite"))  # the workers recorded into PostgreSQL, not a local file
        # The OCR children's lines, one per document, in the runs' logs (INFO, as the UI shows them).
        wait_for(lambda: documents_read(api_url) == {str(pdf) for pdf in archive.glob("*.pdf")}, 60,
                 "a line from the OCR worker for every document in the runs' logs")  # fmt: skip


def workers_online(api_url: str, pool: str) -> int:
    workers = httpx.post(f"{api_url}/work_pools/{pool}/workers/filter", json={}, timeout=30).json()
    return sum(worker["status"] == "ONLINE" for worker in workers)


def run_times(api_url: str, run: dict) -> tuple[datetime, datetime, datetime]:
    """When a worker took the flow run (its first Pending state), when it was scheduled for, when it began."""
    states = httpx.get(f"{api_url}/flow_run_states/", params={"flow_run_id": run["id"]}, timeout=30).json()
    taken = min(datetime.fromisoformat(state["timestamp"]) for state in states if state["type"] == "PENDING")
    return taken, datetime.fromisoformat(run["expected_start_time"]), datetime.fromisoformat(run["start_time"])


def documents_read(api_url: str) -> set[str]:
    """The documents whose worker line (``<source>: <status>, N pages, M tables in S s``) is in the server's logs."""
    logs = httpx.post(f"{api_url}/logs/filter", json={"limit": 200}, timeout=30).json()
    return {entry["message"].split(": ")[0] for entry in logs if re.search(r": \w+, \d+ pages, \d+ tables in", entry["message"])}
