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

from table_reconstruct.model import DocumentResult

from flows.core import progress
from flows.core.document_runner import DocumentOutcome, failed_result, finish_run, write_failure
from flows.core.settings import PIPELINE_VERSION, Settings
from flows.store import RunRecord, open_store
from flows.workers.worker import Outcome
from flows.workers.worker_pool import borrowed_worker

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


class TransientFailure(Exception):
    """This try's worker crashed and another try may succeed: raised for an orchestrator that retries
    (Prefect's task retries, so the UI shows them); nothing is recorded until the last try."""


@dataclass(frozen=True)
class Attempt:
    """One try of a job whose retries an orchestrator runs: which try, and the run id all tries share."""

    number: int
    run_id: str


# When each run's first try started, for tries an orchestrator repeats in this process.
_first_started: dict[str, datetime] = {}


def run_job(job: Job, attempt: Attempt | None = None) -> DocumentOutcome:
    """Process, write, record; returns the document's outcome (never the tables) for Prefect and the CLI.

    Without ``attempt`` the tries happen here; with one, this is that try alone and a transient
    failure before the last try raises ``TransientFailure`` for the orchestrator to retry.
    """
    store = open_store(job.store_url)
    claim = store.claim(job.sha256, PIPELINE_VERSION, job.settings.fingerprint(), job.lease_s(), redo=job.trigger != "batch")
    if claim != "claimed":  # done meanwhile, or being done, by another batch (a retry re-takes its own claim)
        return DocumentOutcome.skipped(job.source, claim)
    run_id = attempt.run_id if attempt else uuid.uuid4().hex
    started = _first_started.setdefault(run_id, datetime.now(timezone.utc))
    progress.document_started(job.source)
    for number in [attempt.number] if attempt else range(1, MAX_ATTEMPTS + 1):
        if number > 1 and attempt is None:
            time.sleep(job.retry_delay_s)
        result, result_path = one_try(job, run_id)
        if result.document.error_kind not in TRANSIENT_KINDS:
            break
        if attempt is not None and number < MAX_ATTEMPTS:
            raise TransientFailure(f"try {number} of {MAX_ATTEMPTS}: {result.document.error}")
    _first_started.pop(run_id, None)
    record = RunRecord(
        run_id=run_id,
        source=job.source,
        size_bytes=job.size_bytes,
        settings_hash=job.settings.fingerprint(),
        trigger=job.trigger,
        started_at=started,
        finished_at=datetime.now(timezone.utc),
        attempts=number,
        result_path=str(result_path),
        aliases=job.aliases,
    )
    return finish_run(result, job.out_dir, job.store_url, record)


def one_try(job: Job, run_id: str) -> tuple[DocumentResult, Path]:
    """The document read once in a borrowed worker process, its result written either way."""
    with borrowed_worker() as worker:
        outcome = worker.run(
            job.source,
            job.out_dir,
            job.settings,
            run_id,
            job.timeout_s,
            on_page=lambda done, total: progress.page_done(job.source, done, total),
        )
    return settled_result(job, outcome, run_id)


def settled_result(job: Job, outcome: Outcome, run_id: str) -> tuple[DocumentResult, Path]:
    """The child's result, or a failed one written here when the child timed out or crashed."""
    if outcome.kind == "done":
        path = Path(outcome.result_path) if outcome.result_path else None
        result = DocumentResult.model_validate_json(path.read_text(encoding="utf-8")) if path else None
        if result is not None and result.document.sha256 == job.sha256:
            return result, path
        outcome = Outcome("changed", message="the file changed while it was being processed")
    kind = {"timeout": "timeout", "crashed": "internal_error", "changed": "bad_input"}[outcome.kind]
    result = failed_result(job.source, job.sha256, job.settings, kind, outcome.message, stage="worker")
    return result, write_failure(result, job.out_dir, run_id)
