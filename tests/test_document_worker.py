"""The long-lived document worker: one child reads document after document, and no failure loses one.

Real children, real pipeline: each document is a born-digital one-page PDF
read end to end (text layer, outputs written) in the child.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from flows.core.settings import Settings
from flows.workers.worker import DocumentWorker, limit_native_threads
from flows.workers.worker_pool import borrowed_worker, start_worker_early, stop_idle_workers
from tests.conftest import ROOT, make_pdf_page

SETTINGS = Settings(threads=1)


@pytest.fixture
def letters(tmp_path):
    return [str(make_pdf_page(tmp_path / f"letter{i}.pdf", text=f"Letter number {i}.")) for i in range(3)]


def read(worker: DocumentWorker, source: str, out_dir, timeout_s: float = 300) -> str:
    outcome = worker.run(source, str(out_dir), SETTINGS, f"run-{time.monotonic_ns()}", timeout_s)
    assert outcome.kind == "done", outcome.message
    return outcome.result_path


def test_one_child_reads_documents_one_after_another(letters, tmp_path):
    worker = DocumentWorker()
    try:
        read(worker, letters[0], tmp_path / "out")
        first = worker.pid
        run_copy = Path(read(worker, letters[1], tmp_path / "out"))
        assert first is not None and worker.pid == first and worker.documents == 2
        assert (run_copy.parent.parent / "result.json").is_file()
    finally:
        worker.stop()
    assert worker.pid is None


def test_a_child_told_to_stop_exits_with_status_0(letters, tmp_path):
    """It leaves without the interpreter's teardown (which the supervisor waited for), its exit handlers run."""
    worker = DocumentWorker()
    read(worker, letters[0], tmp_path / "out")
    child = worker._process
    worker.stop(grace_s=30)
    assert child.exitcode == 0


def test_a_timed_out_child_is_killed_and_the_next_document_gets_a_fresh_one(letters, tmp_path):
    worker = DocumentWorker()
    try:
        read(worker, letters[0], tmp_path / "out")
        first = worker.pid
        outcome = worker.run(letters[1], str(tmp_path / "out"), SETTINGS, "slow", timeout_s=0.001)
        assert outcome.kind == "timeout" and "killed" in outcome.message
        assert worker.pid is None
        read(worker, letters[2], tmp_path / "out")
        assert worker.pid not in (None, first) and worker.documents == 1
    finally:
        worker.stop()


def test_a_child_killed_while_idle_costs_the_next_document_nothing(letters, tmp_path):
    worker = DocumentWorker()
    try:
        read(worker, letters[0], tmp_path / "out")
        first = worker.pid
        os.kill(first, signal.SIGKILL)  # no wait: the document may be sent to the dying child
        read(worker, letters[1], tmp_path / "out")
        assert worker.pid not in (None, first)
    finally:
        worker.stop()


def test_a_child_is_retired_after_its_document_quota_and_exits_when_idle(letters, tmp_path):
    retiring = DocumentWorker(max_documents=1)
    idle = DocumentWorker(idle_exit_s=0.5)
    try:
        read(retiring, letters[0], tmp_path / "out")
        assert retiring.pid is None
        read(idle, letters[1], tmp_path / "out")
        deadline = time.monotonic() + 30
        while idle.pid is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert idle.pid is None, "an idle child outlived its idle limit"
        read(idle, letters[2], tmp_path / "out")
    finally:
        retiring.stop()
        idle.stop()


def test_the_pool_holds_one_child_per_concurrent_document_and_stops_them(letters, tmp_path):
    stop_idle_workers()
    pids: list[int] = []

    def one(source: str, hold: threading.Event | None = None) -> None:
        with borrowed_worker() as worker:
            read(worker, source, tmp_path / "out")
            pids.append(worker.pid)
            if hold:
                hold.wait(60)

    release = threading.Event()
    holder = threading.Thread(target=one, args=(letters[0], release))
    holder.start()
    while not pids:
        time.sleep(0.05)
    one(letters[1])  # the first worker is borrowed: a second child
    release.set()
    holder.join()
    one(letters[2])  # sequential: an idle child is reused
    assert len(set(pids)) == 2 and pids[2] in pids[:2]
    assert stop_idle_workers() == 2
    assert stop_idle_workers() == 0


def test_a_child_started_early_reads_the_next_document(letters, tmp_path):
    """``reprocess`` starts its child before it opens the store: that child, not a second one, reads."""
    stop_idle_workers()
    start_worker_early()
    start_worker_early()  # one is starting already: no second child
    with borrowed_worker() as worker:
        early = worker.pid
        assert early is not None
        read(worker, letters[0], tmp_path / "out")
        assert worker.pid == early and worker.documents == 1
    assert stop_idle_workers() == 1


def test_a_child_starts_without_the_dask_workers_malloc_trim_threshold(letters, tmp_path, monkeypatch):
    """A Dask worker runs with MALLOC_TRIM_THRESHOLD_=65536; the OCR child it starts must not (it slowed
    every page), while the supervisor keeps its own environment."""
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    monkeypatch.setenv("DISCLOSURE_OCR_PROBE", "kept")
    worker = DocumentWorker()
    try:
        read(worker, letters[0], tmp_path / "out")
        child_environment = Path(f"/proc/{worker.pid}/environ").read_bytes().split(b"\0")
    finally:
        worker.stop()
    assert b"DISCLOSURE_OCR_PROBE=kept" in child_environment
    assert not any(entry.startswith(b"MALLOC_TRIM_THRESHOLD_=") for entry in child_environment)
    assert os.environ["MALLOC_TRIM_THRESHOLD_"] == "65536"


def test_opencv_threads_follow_the_workers_share():
    import cv2

    before = cv2.getNumThreads()
    try:
        limit_native_threads(1)
        assert cv2.getNumThreads() == 1
        limit_native_threads(None)  # the user's default: left alone
        assert cv2.getNumThreads() == 1
    finally:
        cv2.setNumThreads(before)


def test_a_child_does_not_import_the_supervisors_main_module(letters, tmp_path):
    """'spawn' imports the parent's ``__main__`` in the child: in a work-pool flow run that is
    ``prefect.engine``, and each OCR child imported Prefect for nothing (about 1.7 CPU-s, 50 MB)."""
    log = tmp_path / "imports.log"
    command = [sys.executable, "-m", "tests.worker_main_probe", letters[0], str(tmp_path / "out")]
    done = subprocess.run(command, cwd=ROOT, env=dict(os.environ, WORKER_MAIN_PROBE_LOG=str(log)),
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["done", "tests.worker_main_probe"]  # read, and the supervisor's main is back
    assert [line.split()[1] for line in log.read_text().splitlines()] == ["__main__"]  # never "__mp_main__"
