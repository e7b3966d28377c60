"""Write review pages and the batch index into OUT; called after every run, batch and reprocess.

Review pages are a view on results already written: a failure here is
logged and never changes or loses a document's result.
"""

from __future__ import annotations

import logging
from pathlib import Path

from table_reconstruct.model import DocumentResult, DocumentStatus

from flows.outputs.atomic import write_text_atomic
from flows.core.identify import document_key
from flows.outputs.result_files import RESULT_FILE
from flows.store import default_store_url, open_store
from flows.review.context import build_context, pages_to_show
from flows.review.history import run_history, stored_runs
from flows.review.index import INDEX_FILE, REVIEW_FILE, index_entries, read_result
from flows.review.page_images import save_page_views, saved_page_views, try_page_views
from flows.review.render import render_index, render_review
from flows.review.suggest import suggest

log = logging.getLogger(__name__)
NEEDS_A_LOOK = (DocumentStatus.NEEDS_REVIEW, DocumentStatus.FAILED)


class NoResult(LookupError):
    """OUT has no readable result.json for the document."""


def known_sources(result: DocumentResult, doc_id: str, runs: list[dict], store_url: str | None) -> list[str]:
    """Paths that may still hold the document: the result's own, then every path the store saw it under."""
    paths = [result.document.source] + [run["source"] for run in reversed(runs)]
    document = open_store(store_url).document(doc_id) if runs and store_url else None
    return list(dict.fromkeys(paths + (document["sources"] if document else [])))


def write_review(doc_dir: Path, store_url: str | None = None) -> Path:
    """Render ``doc_dir/review.html`` from ``doc_dir/result.json``, whatever the document's status."""
    doc_dir = Path(doc_dir)
    result = read_result(doc_dir / RESULT_FILE) if (doc_dir / RESULT_FILE).is_file() else None
    if result is None:
        raise NoResult(f"no readable {RESULT_FILE} in {doc_dir}")
    runs = stored_runs(doc_dir.parent, doc_dir.name, store_url)
    store_url = store_url or (default_store_url(doc_dir.parent) if runs else None)
    wanted, note = pages_to_show(result)
    sources = known_sources(result, doc_dir.name, runs, store_url)
    pages, failed_note = [], None
    if wanted:  # a worker's saved pictures first: rendering here runs outside any time limit
        saved = saved_page_views(doc_dir, result.document.sha256, wanted)
        pages, failed_note = (saved, None) if saved is not None else try_page_views(sources, result.document.sha256, wanted)
    note = note or failed_note
    context = build_context(
        doc_dir.name,
        result,
        pages,
        note,
        run_history(result, doc_dir / RESULT_FILE, runs),
        suggest(result, doc_dir.name, str(doc_dir.parent)),
    )
    path = doc_dir / REVIEW_FILE
    write_text_atomic(path, render_review(context))
    return path


def write_index(out_dir: Path) -> Path:
    path = Path(out_dir) / INDEX_FILE
    write_text_atomic(path, render_index(index_entries(Path(out_dir))))
    return path


def review_if_needed(out_dir: Path | str, doc_id: str, store_url: str | None = None) -> Path | None:
    """The document's review page when it needs review or failed; never raises (logged instead)."""
    doc_dir = Path(out_dir) / doc_id
    try:
        result = read_result(doc_dir / RESULT_FILE)
        if result is not None and result.document.status in NEEDS_A_LOOK:
            return write_review(doc_dir, store_url)
    except Exception:  # a broken review page must not fail the run that produced the result
        log.exception("could not write the review page of %s", doc_id)
    return None


def index_quietly(out_dir: Path | str) -> Path | None:
    """``write_index`` that logs instead of raising, for use at the end of runs and batches."""
    try:
        return write_index(Path(out_dir))
    except Exception:
        log.exception("could not write %s", Path(out_dir) / INDEX_FILE)
        return None


def publish(out_dir: Path | str, doc_ids: list[str], store_url: str | None = None) -> None:
    """Review pages for those of ``doc_ids`` that need a look, then the index; never raises."""
    for doc_id in doc_ids:
        review_if_needed(out_dir, doc_id, store_url)
    index_quietly(out_dir)


def save_review_pictures(result: DocumentResult, out_dir: Path | str) -> None:
    """For a document that needs a look, its review pictures made now (in the worker); never raises."""
    wanted, _ = pages_to_show(result)
    if result.document.status not in NEEDS_A_LOOK or not wanted:
        return
    try:
        doc_dir = Path(out_dir) / document_key(result.document)
        save_page_views(doc_dir, Path(result.document.source), result.document.sha256, wanted)
    except Exception:  # the review page renders them itself, or says why not
        log.exception("could not render the review pictures of %s", result.document.source)
