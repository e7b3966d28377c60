"""One archived document, end to end: claim it, run it in a worker process, retry a transient crash, record the run.

Whatever happens (result, timeout, crash), a result file is written first and
then exactly one run row is recorded, which becomes the document's current run.
A document another live process is working on (a second batch over the same
archive) is left to it.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from table_reconstruct.model import DocumentInfo, DocumentResult, DocumentStatus

from . import progress
from .batch_report import document_summary
from .identify import document_key
from .outputs import write_outputs, write_run_copy
from .review import review_if_needed
from .settings import PIPELINE_VERSION, Settings
from .store import RunRecord, open_store
from .worker import Outcome
from .worker_pool import borrowed_worker

MAX_ATTEMPTS = 2
RETRY_DELAY_S = 10.0
# Failures a second try can fix (a worker killed or crashed, an I/O error); bad
# input, missing tables or a timeout will not change by trying again.
TRANSIENT_KINDS = frozenset({"internal_error"})


@dataclass(frozen=True)
class Job:
    source: str
    sha256: str
    size_bytes: int
    out_dir: str
    settings: Settings
    timeout_s: float
    store_url: str
    trigger: str = "batch"
    aliases: tuple[str, ...] = ()
    retry_delay_s: float = RETRY_DELAY_S

    def lease_s(self) -> float:
        """How long a claim from another host counts as live: every attempt's timeout and delay, and a margin."""
        return MAX_ATTEMPTS * (self.timeout_s + self.retry_delay_s) + 600.0


def run_job(job: Job) -> dict:
    """Process, write, record; returns a small summary (never the tables) for Prefect and the CLI."""
    store = open_store(job.store_url)
    claim = store.claim(job.sha256, PIPELINE_VERSION, job.settings.fingerprint(), job.lease_s(), redo=job.trigger != "batch")
    if claim != "claimed":  # done meanwhile, or being done, by another batch
        return {"run_id": None, "source": job.source, "status": f"skipped_{claim}", "error_kind": None, "pages": 0, "seconds": 0.0}
    run_id = uuid.uuid4().hex
    started = datetime.now(timezone.utc)
    progress.document_started(job.source)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if attempt > 1:
            time.sleep(job.retry_delay_s)
        with borrowed_worker() as worker:
            outcome = worker.run(
                job.source,
                job.out_dir,
                job.settings.as_dict(),
                run_id,
                job.timeout_s,
                on_page=lambda done, total: progress.page_done(job.source, done, total),
            )
        result, result_path = settled_result(job, outcome, run_id)
        if result.document.error_kind not in TRANSIENT_KINDS:
            break
    record = RunRecord(
        run_id=run_id,
        source=job.source,
        size_bytes=job.size_bytes,
        settings_hash=job.settings.fingerprint(),
        trigger=job.trigger,
        started_at=started,
        finished_at=datetime.now(timezone.utc),
        attempts=attempt,
        result_path=str(result_path),
        aliases=job.aliases,
    )
    store.record_run(result, record)
    doc_id = document_key(result.document)
    # After recording, so the page's run history includes this run.
    review_page = review_if_needed(job.out_dir, doc_id, job.store_url)
    return document_summary(result, doc_id, run_id, record.seconds, job.out_dir, review_page)


def settled_result(job: Job, outcome: Outcome, run_id: str) -> tuple[DocumentResult, Path]:
    """The child's result, or a failed one written here when the child timed out or crashed."""
    if outcome.kind == "done":
        path = Path(outcome.result_path)
        result = DocumentResult.model_validate_json(path.read_text(encoding="utf-8"))
        if result.document.sha256 == job.sha256:
            return result, path
        outcome = Outcome("changed", message="the file changed while it was being processed")
    kind = {"timeout": "timeout", "crashed": "internal_error", "changed": "bad_input"}[outcome.kind]
    info = DocumentInfo(
        source=job.source,
        sha256=job.sha256,
        status=DocumentStatus.FAILED,
        error=outcome.message,
        error_kind=kind,
        stage="worker",
        settings=job.settings.as_dict(),
        pipeline_version=PIPELINE_VERSION,
    )
    result = DocumentResult(document=info)
    write_outputs(result, Path(job.out_dir))
    return result, write_run_copy(result, Path(job.out_dir), run_id)
