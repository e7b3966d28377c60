"""One document, end to end in this process: pipeline, outputs, review page and index.

The steps the ``process-document`` Prefect flow runs as tasks, callable without
Prefect (see ``tracking``): importing Prefect and starting its ephemeral API
would cost more than most documents.
"""

from __future__ import annotations

from pathlib import Path

from table_reconstruct.model import DocumentResult

from . import progress
from .identify import document_key
from .outputs import write_outputs
from .pipeline import process_file
from .review import publish
from .settings import Settings


def reconstruct(source: str, settings: Settings) -> DocumentResult:
    """Rasterize, OCR and rebuild every table of the document, page by page."""
    return process_file(Path(source), settings, on_page=lambda done, total: progress.page_done(source, done, total))


def write_document_outputs(result: DocumentResult, out_dir: str) -> str:
    return str(write_outputs(result, Path(out_dir)))


def write_review_pages(result: DocumentResult, out_dir: str) -> None:
    publish(out_dir, [document_key(result.document)])


def run_document(source: str, out_dir: str, settings: Settings | None = None) -> DocumentResult:
    """One document in, ``out_dir/<doc_id>/result.json``, table CSVs and review pages out."""
    result = reconstruct(source, settings or Settings())
    write_document_outputs(result, out_dir)
    write_review_pages(result, out_dir)
    return result
