"""The Prefect flow ``process_document``: the pipeline's stages as tasks for one document.

After the outputs, a review page is written when the document needs review
or failed, and ``out_dir/index.html`` is refreshed.

Works with no Prefect server (ephemeral mode). Page images never leave the
reconstruction task: tasks pass paths and the (small) result model, so
nothing large sits in Prefect's result persistence or the flow's memory.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .prefect_env import apply_offline_defaults

apply_offline_defaults()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from table_reconstruct.model import DocumentResult, DocumentStatus  # noqa: E402

from . import progress  # noqa: E402
from .outputs import write_outputs  # noqa: E402
from .identify import document_key  # noqa: E402
from .pipeline import new_document_info, process_file  # noqa: E402
from .review import publish  # noqa: E402
from .settings import Settings  # noqa: E402

log = logging.getLogger(__name__)


@task(name="reconstruct-tables", persist_result=False, cache_policy=NO_CACHE)
def reconstruct_tables(source: str, settings: Settings) -> DocumentResult:
    """Rasterize, OCR and rebuild every table of the document, page by page."""
    return process_file(Path(source), settings, on_page=lambda done, total: progress.page_done(source, done, total))


@task(name="write-outputs", persist_result=False, cache_policy=NO_CACHE)
def write_document_outputs(result: DocumentResult, out_dir: str) -> str:
    return str(write_outputs(result, Path(out_dir)))


@task(name="write-review-pages", persist_result=False, cache_policy=NO_CACHE)
def write_review_pages(result: DocumentResult, out_dir: str) -> None:
    publish(out_dir, [document_key(result.document)])


@flow(name="process-document", persist_result=False, log_prints=True)
def process_document(source: str, out_dir: str, settings: Settings | None = None) -> DocumentResult:
    """One document in, ``out_dir/<doc_id>/result.json`` and table CSVs out."""
    settings = settings or Settings()
    try:
        result = reconstruct_tables(source, settings)
        write_document_outputs(result, out_dir)
    except Exception as exc:  # a bug met by one document is recorded as its failure; the others go on
        log.exception("%s: processing failed", source)
        result = crashed_result(source, settings, exc)
        write_document_outputs(result, out_dir)
    write_review_pages(result, out_dir)
    return result


def crashed_result(source: str, settings: Settings, exc: BaseException, stage: str = "pipeline") -> DocumentResult:
    """A failed result for a document whose processing raised: ``internal_error`` with a one-line message."""
    info = new_document_info(Path(source), settings)
    message = str(exc).strip().splitlines()
    info.status, info.error_kind, info.stage = DocumentStatus.FAILED, "internal_error", stage
    info.error = f"{type(exc).__name__}: {message[0] if message else ''}".rstrip(": ")
    return DocumentResult(document=info)
