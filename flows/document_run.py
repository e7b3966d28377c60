"""One document, end to end in this process: pipeline, outputs, the run in the store, review pages.

The steps the ``process-document`` Prefect flow runs as tasks, callable without
Prefect (see ``tracking``): importing Prefect and starting its ephemeral API
would cost more than most documents. The run is recorded in the results store
as ``batch`` records its runs, so ``failed``, ``reprocess`` and ``export`` work
after ``run``.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone
from pathlib import Path

from table_reconstruct.model import DocumentResult, DocumentStatus

from . import progress
from .exit_codes import first_line
from .identify import document_key
from .outputs import write_outputs, write_run_copy
from .pipeline import new_document_info, process_file
from .review import publish
from .settings import Settings

log = logging.getLogger(__name__)


def reconstruct(source: str, settings: Settings) -> DocumentResult:
    """Rasterize, OCR and rebuild every table of the document, page by page."""
    return process_file(Path(source), settings, on_page=lambda done, total: progress.page_done(source, done, total))


def write_document_outputs(result: DocumentResult, out_dir: str) -> str:
    return str(write_outputs(result, Path(out_dir)))


def record_document_run(result: DocumentResult, out_dir: str, settings: Settings, store_url: str, started: datetime) -> None:
    """The run as the document's current one in the store (a path that is no file has nothing to record)."""
    from .store import RunRecord, open_store  # SQLAlchemy only when a run is recorded

    if not result.document.sha256:
        return
    run_id = uuid.uuid4().hex
    source = Path(result.document.source)
    record = RunRecord(
        run_id=run_id,
        source=str(source.resolve()),
        size_bytes=source.stat().st_size,
        settings_hash=settings.fingerprint(),
        trigger="run",
        started_at=started,
        finished_at=datetime.now(timezone.utc),
        attempts=1,
        result_path=str(write_run_copy(result, Path(out_dir), run_id)),
    )
    open_store(store_url).record_run(result, record)


def write_review_pages(result: DocumentResult, out_dir: str, store_url: str | None) -> None:
    publish(out_dir, [document_key(result.document)], store_url)


def crashed_result(source: str, settings: Settings, exc: BaseException, stage: str = "pipeline") -> DocumentResult:
    """A failed result for a document whose processing raised: ``internal_error`` with a one-line message."""
    info = new_document_info(Path(source), settings)
    info.status, info.error_kind, info.stage = DocumentStatus.FAILED, "internal_error", stage
    info.error = f"{type(exc).__name__}: {first_line(exc)}"
    return DocumentResult(document=info)


def run_steps(source: str, out_dir: str, settings: Settings, store_url: str | None, steps) -> DocumentResult:
    """The document's steps in order; ``steps`` gives each step's callable (plain, or a Prefect task)."""
    started = datetime.now(timezone.utc)
    try:
        result = steps.reconstruct(source, settings)
        steps.write_outputs(result, out_dir)
    except Exception as exc:  # a bug met by one document is recorded as its failure; the others go on
        log.exception("%s: processing failed", source)
        result = crashed_result(source, settings, exc)
        steps.write_outputs(result, out_dir)
    if store_url:
        steps.record_run(result, out_dir, settings, store_url, started)
    steps.write_review_pages(result, out_dir, store_url)
    return result


class PlainSteps:
    """The steps called directly, without Prefect."""

    reconstruct = staticmethod(reconstruct)
    write_outputs = staticmethod(write_document_outputs)
    record_run = staticmethod(record_document_run)
    write_review_pages = staticmethod(write_review_pages)


def run_document(source: str, out_dir: str, settings: Settings | None = None, store_url: str | None = None) -> DocumentResult:
    """One document in, ``out_dir/<doc_id>/result.json`` and table CSVs out; recorded in ``store_url`` if given."""
    return run_steps(source, out_dir, settings or Settings(), store_url, PlainSteps)
