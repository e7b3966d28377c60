"""Worker isolation without OCR: a hung document is killed and recorded, a crashing worker is reported."""

from __future__ import annotations

import os

from flows.document_job import Job, run_job
from flows.identify import sha256_of
from flows.settings import Settings
from flows.store import default_store_url, open_store
from flows.worker import run_supervised


def crash(conn, code: int) -> None:
    os._exit(code)


def test_crashing_worker_is_reported_not_raised():
    outcome = run_supervised(crash, (3,), timeout_s=60)
    assert outcome.kind == "crashed" and "code 3" in outcome.message


def test_timeout_kills_the_worker_and_is_recorded(tmp_path):
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "slow.pdf"
    page = canvas.Canvas(str(pdf), invariant=1)
    page.drawString(72, 720, "no table")
    page.save()
    out, url = tmp_path / "out", default_store_url(tmp_path / "out")
    job = Job(str(pdf), sha256_of(pdf), pdf.stat().st_size, str(out), Settings(), 0.2, url)
    summary = run_job(job)
    assert (summary["status"], summary["error_kind"]) == ("failed", "timeout")
    (run,) = open_store(url).current_runs()
    assert run["error_kind"] == "timeout" and run["attempts"] == 1 and "killed" in run["error_message"]
