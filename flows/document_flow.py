"""The Prefect flow ``process_document``: the pipeline's stages as tasks for one document.

After the outputs, the run is recorded in the results store (as ``batch``
records its runs, so ``failed``, ``reprocess`` and ``export`` work after
``run``), a review page is written when the document needs review or failed,
and ``out_dir/index.html`` is refreshed.

Works with no Prefect server (ephemeral mode). Page images never leave the
reconstruction task: tasks pass paths and the (small) result model, so
nothing large sits in Prefect's result persistence or the flow's memory.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone
from pathlib import Path

from .prefect_env import apply_offline_defaults

apply_offline_defaults()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from table_reconstruct.model import DocumentResult, DocumentStatus  # noqa: E402

from . import progress  # noqa: E402
from .exit_codes import first_line  # noqa: E402
from .outputs import write_outputs, write_run_copy  # noqa: E402
from .identify import document_key  # noqa: E402
from .pipeline import new_document_info, process_file  # noqa: E402
from .review import publish  # noqa: E402
from .settings import Settings  # noqa: E402
from .store import RunRecord, open_store  # noqa: E402

log = logging.getLogger(__name__)


@task(name="reconstruct-tables", persist_result=False, cache_policy=NO_CACHE)
def reconstruct_tables(source: str, settings: Settings) -> DocumentResult:
    """Rasterize, OCR and rebuild every table of the document, page by page."""
    return process_file(Path(source), settings, on_page=lambda done, total: progress.page_done(source, done, total))


@task(name="write-outputs", persist_result=False, cache_policy=NO_CACHE)
def write_document_outputs(result: DocumentResult, out_dir: str) -> str:
    return str(write_outputs(result, Path(out_dir)))


@task(name="record-run", persist_result=False, cache_policy=NO_CACHE)
def record_document_run(result: DocumentResult, out_dir: str, settings: Settings, store_url: str, started: datetime) -> None:
    """The run as the document's current one in the store (a path that is no file has nothing to record)."""
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


@task(name="write-review-pages", persist_result=False, cache_policy=NO_CACHE)
def write_review_pages(result: DocumentResult, out_dir: str, store_url: str | None) -> None:
    publish(out_dir, [document_key(result.document)], store_url)


@flow(name="process-document", persist_result=False, log_prints=True)
def process_document(
    source: str, out_dir: str, settings: Settings | None = None, store_url: str | None = None
) -> DocumentResult:
    """One document in, ``out_dir/<doc_id>/result.json`` and table CSVs out; recorded in ``store_url`` if given."""
    settings = settings or Settings()
    started = datetime.now(timezone.utc)
    try:
        result = reconstruct_tables(source, settings)
        write_document_outputs(result, out_dir)
    except Exception as exc:  # a bug met by one document is recorded as its failure; the others go on
        log.exception("%s: processing failed", source)
        result = crashed_result(source, settings, exc)
        write_document_outputs(result, out_dir)
    if store_url:
        record_document_run(result, out_dir, settings, store_url, started)
    write_review_pages(result, out_dir, store_url)
    return result


def crashed_result(source: str, settings: Settings, exc: BaseException, stage: str = "pipeline") -> DocumentResult:
    """A failed result for a document whose processing raised: ``internal_error`` with a one-line message."""
    info = new_document_info(Path(source), settings)
    info.status, info.error_kind, info.stage = DocumentStatus.FAILED, "internal_error", stage
    info.error = f"{type(exc).__name__}: {first_line(exc)}"
    return DocumentResult(document=info)
