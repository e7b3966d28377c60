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

import yaml

from ocr.engines import OcrEngine
from ocr.errors import BadInputError, NoTablesFoundError, PipelineError
from ocr.pages.page_range import parse_page_range
from table_reconstruct.document.annotate import annotate_document
from table_reconstruct.document.identity import PageText
from table_reconstruct.tables.join_pages import join_continued_tables
from table_reconstruct.model import DocumentInfo, DocumentResult, DocumentStatus, PageNote, Table
from table_reconstruct.document.review import review_cells
from table_reconstruct.document.review_reasons import document_review_reasons

from flows.core.engine_cache import document_engine
from flows.core.heap import trim_if_grown
from flows.core.identity_overrides import identify_document
from flows.core.identify import sha256_of
from flows.core.cores import page_workers
from flows.core.page_pool import StartedPage, started_pages
from flows.core.page_reader import PageReader
from flows.core.settings import PIPELINE_VERSION, Settings

log = logging.getLogger(__name__)

PageCallback = Callable[[int, int], None]
# Front pages where a scan's cover (no table, no text layer) is looked for and OCR'd in full, once.
COVER_PAGES = 2
# Cells with digits that make a page's grid a real table rather than a cover's ornament.
MIN_FIGURES = 3


def new_document_info(path: Path, settings: Settings) -> DocumentInfo:
    return DocumentInfo(
        source=str(path),
        sha256=sha256_of(path) if path.is_file() else "",
        settings=settings.as_dict(),
        pipeline_version=PIPELINE_VERSION,
    )


def extract_tables(
    path: Path, settings: Settings, engine: OcrEngine | None, info: DocumentInfo, on_page: PageCallback | None = None,
    texts: list[PageText] | None = None,
) -> list[Table]:
    """Reconstruct every selected page's tables, noting per page what happened.

    A table continued on the next page comes back as one table over both pages.
    ``texts`` (when given) receives the pages' text for reading the document's identity. Without an
    ``engine``, the process's shared one is used, its threads split between the pages read at once.
    """
    with PageReader(path, settings, engine) as reader:
        info.pages = reader.page_count()
        if info.pages == 0:
            raise BadInputError(f"{path.name}: the document has no pages", stage="rasterize")
        selected = parse_page_range(settings.pages, info.pages)
        workers = page_workers(settings, len(selected))
        if engine is None:
            reader.engine = document_engine(settings, len(selected))
        tables: list[Table] = []
        for done, page in enumerate(started_pages(reader, selected, workers, time.perf_counter), start=1):
            number, note = page.number, page.note
            try:
                page_tables = page.tables.result()
            except PipelineError:
                raise
            except Exception as exc:  # one broken page must not lose the rest of the document
                log.error("page %s of %s failed", number, path, exc_info=exc)
                note.skipped = f"error: {type(exc).__name__}: {exc}"
                page_tables = []
            if not page_tables and note.skipped is None:
                note.skipped = "no ruled table found on this page: no cell or caption reading done"
            if texts is not None:
                # A scan's cover is OCR'd whole only when no earlier page gave text and the page holds no
                # table (a table page's title and 部门 caption are read with its grid anyway).
                cover = not texts and done <= COVER_PAGES and not any(holds_figures(t) for t in page_tables)
                text = _identity_text(reader, page, ocr_allowed=cover)
                if text is not None and any(line.strip() for line in text.lines):
                    texts.append(text)
            note.tables = len(page_tables)
            note.seconds = round(time.perf_counter() - page.started, 3)
            info.page_notes.append(note)
            tables.extend(page_tables)
            page.image = None  # the page's buffers go before the next page is started
            trim_if_grown()  # freed page buffers back to the OS now and then: RSS stays bounded over long documents
            if on_page:
                on_page(done, len(selected))
    return join_continued_tables(tables, {note.page: (note.width, note.height) for note in info.page_notes})


def holds_figures(table: Table) -> bool:
    """A table with figures in its cells: a cover's ornamental boxes, read as grids, hold none but OCR noise ("1", "7")."""
    return sum(1 for cell in table.cells if any(ch.isdigit() for ch in cell.text)) >= MIN_FIGURES


def _identity_text(reader: PageReader, page: StartedPage, ocr_allowed: bool) -> PageText | None:
    """A page's text for the identity stage; a failure here costs the identity, never the page."""
    try:
        return reader.page_text(page.number, page.note, ocr_allowed=ocr_allowed, image=page.image)
    except Exception:  # identity is a bonus over the tables: log and go on
        log.exception("reading the text of page %s of %s for its identity failed", page.number, reader.path)
        return None


def with_identity(result: DocumentResult, path: Path, texts: list[PageText], settings: Settings) -> bool:
    """Set the result's identity; False (and the document failed, saying why) when a user's sidecar or CSV is unusable."""
    info = result.document
    try:
        result.identity = identify_document(path, texts, result.tables, settings, info.sha256)
    except (ValueError, OSError, yaml.YAMLError) as exc:
        if info.error is None:  # a document that failed earlier keeps its first cause
            info.error_kind, info.stage = BadInputError.kind, "identity"
        info.status = DocumentStatus.FAILED
        info.error = f"{info.error}; identity: {exc}" if info.error else f"identity: {exc}"
        return False
    return True


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
    texts: list[PageText] = []
    try:
        tables = extract_tables(path, settings, engine, info, on_page, texts)
        if not tables:
            raise NoTablesFoundError("no ruled table was found on any processed page", stage="reconstruct")
    except PipelineError as exc:
        info.status, info.error, info.error_kind, info.stage = DocumentStatus.FAILED, str(exc), exc.kind, exc.stage
        failed = DocumentResult(document=info, tables=[])
        with_identity(failed, path, texts, settings)  # a document without tables still says whose it is
        return failed
    result = annotate_document(DocumentResult(document=info, tables=tables))
    if not with_identity(result, path, texts, settings):
        return result
    result.review_cells = review_cells(result.tables, settings.review_confidence)
    info.status = document_status(result, settings)
    return result
