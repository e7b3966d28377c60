"""``run``'s documents: the shared runner's two halves (``document_runner``) in this process, no worker.

The steps the ``process-document`` Prefect flow runs as tasks, callable without
Prefect (see ``tracking``): importing Prefect and starting its ephemeral API
would cost more than most documents. The run is recorded in the results store
as ``batch`` records its runs, so ``failed``, ``reprocess`` and ``export`` work
after ``run``, and the same files are written as a batch worker writes.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone
from pathlib import Path

from table_reconstruct.model import DocumentResult

from flows.core import progress
from flows.core.document_runner import DocumentOutcome, failed_result, finish_run, read_document, write_failure
from flows.cli.exit_codes import first_line
from flows.core.identify import sha256_of
from flows.review import index_quietly
from flows.core.settings import Settings

log = logging.getLogger(__name__)


def read(source: str, out_dir: str, settings: Settings, run_id: str) -> tuple[DocumentResult, str | None]:
    """Rasterize, OCR and rebuild every table of the document, then write what comes of it (``read_document``)."""
    result, path = read_document(source, out_dir, settings, run_id,
                                 on_page=lambda done, total: progress.page_done(source, done, total))
    return result, str(path) if path else None


def crashed_result(source: str, settings: Settings, exc: BaseException, stage: str = "pipeline") -> DocumentResult:
    """A failed result for a document whose processing raised: ``internal_error`` with a one-line message."""
    sha256 = sha256_of(Path(source)) if Path(source).is_file() else ""
    return failed_result(source, sha256, settings, "internal_error", f"{type(exc).__name__}: {first_line(exc)}", stage)


def finish(result: DocumentResult, result_path: str | None, out_dir: str, settings: Settings, store_url: str | None,
           run_id: str, started: datetime) -> DocumentOutcome:
    """The run recorded as the document's current one (a path that is no file has nothing to record), its
    review page when it needs one, and the index."""
    from flows.store import RunRecord  # SQLAlchemy only when a run is recorded

    record = None
    if store_url and result_path:
        source = Path(result.document.source)
        record = RunRecord(run_id=run_id, source=str(source.resolve()), size_bytes=source.stat().st_size,
                           settings_hash=settings.fingerprint(), trigger="run", started_at=started,
                           finished_at=datetime.now(timezone.utc), attempts=1, result_path=result_path)
    outcome = finish_run(result, out_dir, store_url, record)
    index_quietly(out_dir)
    return outcome


def run_steps(source: str, out_dir: str, settings: Settings, store_url: str | None, steps) -> DocumentOutcome:
    """The document's steps in order; ``steps`` gives each step's callable (plain, or a Prefect task)."""
    started, run_id = datetime.now(timezone.utc), uuid.uuid4().hex
    try:
        result, result_path = steps.read(source, out_dir, settings, run_id)
    except Exception as exc:  # a bug met by one document is recorded as its failure; the others go on
        log.exception("%s: processing failed", source)
        result = crashed_result(source, settings, exc)
        path = write_failure(result, out_dir, run_id)
        result_path = str(path) if path else None
    return steps.finish(result, result_path, out_dir, settings, store_url, run_id, started)


class PlainSteps:
    """The steps called directly, without Prefect."""

    read = staticmethod(read)
    finish = staticmethod(finish)


def run_document(source: str, out_dir: str, settings: Settings | None = None, store_url: str | None = None) -> DocumentOutcome:
    """One document in, ``out_dir/<doc_id>/result.json`` and table CSVs out; recorded in ``store_url`` if given."""
    return run_steps(source, out_dir, settings or Settings(), store_url, PlainSteps)
