"""Worker isolation: a hung document is killed and recorded, a crashing worker is reported, a killed
worker is retried after a delay, and a permanent failure is not retried."""

from __future__ import annotations

import os
import threading
import time

import psutil
import pytest

from flows.workers.document_job import Job, run_job
from flows.core.identify import sha256_of
from flows.core.settings import Settings
from flows.store import default_store_url, open_store
from flows.workers.worker import DocumentWorker
from flows.workers.worker_pool import stop_idle_workers
from tests.conftest import SAMPLE_PDF, make_pdf_page


def crash(conn, idle_exit_s: float) -> None:
    os._exit(3)


def test_crashing_worker_is_reported_not_raised(tmp_path):
    outcome = DocumentWorker(target=crash).run("a.pdf", str(tmp_path), Settings(), "run", timeout_s=60)
    assert outcome.kind == "crashed" and "code 3" in outcome.message


def test_timeout_kills_the_worker_and_is_recorded(tmp_path):
    pdf = make_pdf_page(tmp_path / "slow.pdf")
    out, url = tmp_path / "out", default_store_url(tmp_path / "out")
    job = Job(str(pdf), sha256_of(pdf), pdf.stat().st_size, str(out), Settings(), 0.2, url)
    summary = run_job(job)
    assert (summary.status, summary.error_kind) == ("failed", "timeout")
    (run,) = open_store(url).current_runs()
    assert run["error_kind"] == "timeout" and run["attempts"] == 1 and "killed" in run["error_message"]


def kill_first_worker(found: list[int]) -> None:
    """SIGKILL the first OCR worker this process starts, as an OOM killer or an operator would."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        for child in psutil.Process().children():
            if "spawn_main" in " ".join(child.cmdline()):
                child.kill()
                found.append(child.pid)
                return
        time.sleep(0.05)


@pytest.mark.slow
def test_a_killed_worker_is_retried_after_a_delay_and_succeeds(tmp_path):
    out, url = tmp_path / "out", default_store_url(tmp_path / "out")
    job = Job(str(SAMPLE_PDF), sha256_of(SAMPLE_PDF), SAMPLE_PDF.stat().st_size, str(out), Settings(pages="1"), 600, url, retry_delay_s=2)
    stop_idle_workers()  # the first child started from here on is this document's
    killed: list[int] = []
    killer = threading.Thread(target=kill_first_worker, args=(killed,))
    killer.start()
    summary = run_job(job)
    killer.join()
    assert killed, "no worker was started"
    assert summary.status in ("ok", "needs_review")
    (run,) = open_store(url).current_runs()
    assert run["attempts"] == 2 and run["seconds"] >= 2


def test_a_missing_engine_fails_as_ocr_failed_without_retry(tmp_path):
    pdf = make_pdf_page(tmp_path / "letter.pdf")
    out, url = tmp_path / "out", default_store_url(tmp_path / "out")
    job = Job(str(pdf), sha256_of(pdf), pdf.stat().st_size, str(out), Settings(engine="paddleocr"), 300, url, retry_delay_s=30)
    summary = run_job(job)
    assert (summary.status, summary.error_kind) == ("failed", "ocr_failed")
    (run,) = open_store(url).current_runs()
    assert run["attempts"] == 1 and run["seconds"] < 30 and "paddle" in run["error_message"].lower()


@pytest.mark.slow
def test_under_prefect_a_killed_worker_is_retried_by_a_task_retry_the_ui_shows(prefect_harness, tmp_path):
    """The batch's retries are Prefect's own (retries + retry_condition_fn): the task run is run twice,
    and one run is recorded in the store with both attempts."""
    import shutil

    from prefect.client.orchestration import get_client

    from flows.orchestration.archive_flow import process_archive

    archive, out = tmp_path / "archive", tmp_path / "out"
    archive.mkdir()
    shutil.copy(SAMPLE_PDF, archive / "retried.pdf")
    stop_idle_workers()
    killed: list[int] = []
    killer = threading.Thread(target=kill_first_worker, args=(killed,))
    killer.start()
    summary = process_archive(str(archive), str(out), Settings(pages="1"), workers=1, timeout_s=600)
    killer.join()
    assert killed and summary.statuses.keys() <= {"ok", "needs_review"}
    (run,) = open_store(default_store_url(out)).current_runs()
    assert run["attempts"] == 2
    with get_client(sync_client=True) as client:
        (task_run,) = [t for t in client.read_task_runs() if t.name.startswith("retried.pdf [")]
    assert task_run.run_count == 2 and task_run.state.is_completed()
    assert uuid_hex(task_run.id) == summary.processed[0].run_id  # one run id shared by both tries


def uuid_hex(value) -> str:
    return str(value).replace("-", "")
