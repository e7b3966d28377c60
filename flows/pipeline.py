"""The whole pipeline for one document, as plain Python (the Prefect flow wraps it).

Pages are rasterized and reconstructed one at a time, so memory stays flat
whatever the document's length. Errors become a recorded status, not a crash:
bad input fails the document with its reason, and a page that breaks
unexpectedly is noted and skipped while the other pages go on.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

from ocr.engines import OcrEngine
from ocr.errors import BadInputError, NoTablesFoundError, PipelineError
from ocr.page_range import parse_page_range
from table_reconstruct.annotate import annotate_document
from table_reconstruct.join_pages import join_continued_tables
from table_reconstruct.model import DocumentInfo, DocumentResult, DocumentStatus, PageNote, Table
from table_reconstruct.review import review_cells
from table_reconstruct.review_reasons import document_review_reasons

from .engine_cache import shared_engine
from .heap import trim_if_grown
from .identify import sha256_of
from .page_reader import PageReader
from .settings import PIPELINE_VERSION, Settings

log = logging.getLogger(__name__)

PageCallback = Callable[[int, int], None]


def new_document_info(path: Path, settings: Settings) -> DocumentInfo:
    return DocumentInfo(
        source=str(path),
        sha256=sha256_of(path) if path.is_file() else "",
        settings=settings.as_dict(),
        pipeline_version=PIPELINE_VERSION,
    )


def extract_tables(
    path: Path, settings: Settings, engine: OcrEngine, info: DocumentInfo, on_page: PageCallback | None = None
) -> list[Table]:
    """Reconstruct every selected page's tables, noting per page what happened.

    A table continued on the next page comes back as one table over both pages.
    """
    with PageReader(path, settings, engine) as reader:
        info.pages = reader.page_count()
        if info.pages == 0:
            raise BadInputError(f"{path.name}: the document has no pages", stage="rasterize")
        selected = parse_page_range(settings.pages, info.pages)
        tables: list[Table] = []
        for done, number in enumerate(selected, start=1):
            started = time.perf_counter()
            note = PageNote(page=number)
            try:
                page_tables = reader.read(number, note)
            except PipelineError:
                raise
            except Exception as exc:  # one broken page must not lose the rest of the document
                log.exception("page %s of %s failed", number, path)
                note.skipped = f"error: {type(exc).__name__}: {exc}"
                page_tables = []
            if not page_tables and note.skipped is None:
                note.skipped = "no ruled table found on this page: no cell or caption reading done"
            note.tables = len(page_tables)
            note.seconds = round(time.perf_counter() - started, 3)
            info.page_notes.append(note)
            tables.extend(page_tables)
            trim_if_grown()  # freed page buffers back to the OS now and then: RSS stays bounded over long documents
            if on_page:
                on_page(done, len(selected))
    return join_continued_tables(tables, {note.page: (note.width, note.height) for note in info.page_notes})


def document_status(result: DocumentResult, settings: Settings) -> DocumentStatus:
    """ok, or needs_review when a person should check; the reasons are recorded in ``document.review_reasons``."""
    result.document.review_reasons = document_review_reasons(result, settings.review_confidence)
    return DocumentStatus.NEEDS_REVIEW if result.document.review_reasons else DocumentStatus.OK


def process_file(
    path: Path | str,
    settings: Settings | None = None,
    engine: OcrEngine | None = None,
    on_page: PageCallback | None = None,
) -> DocumentResult:
    """Run every stage on one file and return its result; never raises for bad input."""
    path = Path(path)
    settings = settings or Settings()
    info = new_document_info(path, settings)
    try:
        engine = engine or shared_engine(settings.engine, settings.threads)
        tables = extract_tables(path, settings, engine, info, on_page)
        if not tables:
            raise NoTablesFoundError("no ruled table was found on any processed page", stage="reconstruct")
    except PipelineError as exc:
        info.status, info.error, info.error_kind, info.stage = DocumentStatus.FAILED, str(exc), exc.kind, exc.stage
        return DocumentResult(document=info, tables=[])
    result = annotate_document(DocumentResult(document=info, tables=tables))
    result.review_cells = review_cells(result.tables, settings.review_confidence)
    info.status = document_status(result, settings)
    return result
