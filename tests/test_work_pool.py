"""Scale-out as operators run it: a real `prefect server start`, the archive batch deployed to a
process work pool with `disclosure-ocr deploy`, two `prefect worker start` processes on that pool,
two runs of the deployment over the same archive at once, and a PostgreSQL results store.

The two runs share the archive through the store's claims: every document is recorded once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from flows.identify import sha256_of
from flows.store import open_store
from tests.conftest import distinct_copy
from tests.test_serve import free_port, healthy, wait_for

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BORN_DIGITAL = ROOT / "samples" / "corpus" / "smoke" / "doc02.born-digital.pdf"
DOCUMENTS = 6


def flow_runs(api_url: str) -> list[dict]:
    """The server's flow runs; none while a busy server is slow to answer (the caller polls again)."""
    try:
        return httpx.post(f"{api_url}/flow_runs/filter", json={}, timeout=30).json()
    except httpx.TimeoutException:
        return []


def test_two_work_pool_workers_share_an_archive_through_the_store(tmp_path, pg_url):
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "DISCLOSURE_OCR_STORE_URL")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false", COLUMNS="250")
    archive, out = tmp_path / "archive", tmp_path / "out"
    archive.mkdir()
    for n in range(DOCUMENTS):
        distinct_copy(BORN_DIGITAL, archive / f"budget-{n}.pdf", tag=str(n))
    prefect = [sys.executable, "-m", "prefect"]
    started: list[subprocess.Popen] = []

    def start(command: list[str], log: str, **extra: str) -> subprocess.Popen:
        with (tmp_path / log).open("wb") as sink:
            process = subprocess.Popen(command, env={**env, **extra}, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(process)
        return process

    try:
        start([*prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], "server.log")
        env["PREFECT_API_URL"] = api_url
        wait_for(lambda: healthy(api_url), 180, "the Prefect server")
        deployed = subprocess.run([sys.executable, "-m", "flows.cli", "deploy", "--archive", str(archive), "--pool", "ocr-test",
                                   "--out", str(out), "--workers", "1", "--name", "shared"],
                                  env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
        assert deployed.returncode == 0, deployed.stderr[-3000:]
        for n in (1, 2):
            start([*prefect, "worker", "start", "--pool", "ocr-test", "--limit", "1"], f"worker-{n}.log", DISCLOSURE_OCR_STORE_URL=pg_url)
        for _ in (1, 2):
            triggered = subprocess.run([*prefect, "deployment", "run", "process-archive/shared"], env=env, capture_output=True, timeout=120)
            assert triggered.returncode == 0, triggered.stderr[-2000:]

        def both_finished() -> bool:
            runs = flow_runs(api_url)
            return len(runs) == 2 and all(run["state_type"] in ("COMPLETED", "FAILED", "CRASHED") for run in runs)

        try:
            wait_for(both_finished, 600, "both flow runs to finish")
        except AssertionError:
            logs = "\n".join((tmp_path / f"worker-{n}.log").read_text(errors="replace")[-2000:] for n in (1, 2))
            raise AssertionError(f"flow runs did not finish: {flow_runs(api_url)}\n{logs}") from None
        assert {run["state_type"] for run in flow_runs(api_url)} == {"COMPLETED"}
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
    finally:
        for process in reversed(started):
            os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        time.sleep(1)
