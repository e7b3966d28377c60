"""One document, run the one way ``run``, ``batch`` and ``reprocess`` all share; Prefect-free.

Two halves, because a batch reads in a worker process it can kill:

- ``read_document`` reads the document and writes everything that comes of it, once: ``result.json`` and
  the tables, the run's copy, and the review pictures. A batch worker's child calls it (so a hung
  renderer dies with the child at ``--timeout``); ``run`` calls it in-process.
- ``finish_run`` records the run in the results store, writes the review page when the document needs a
  look, and returns the typed ``DocumentOutcome`` every command, progress bar and Prefect artifact reads.

A read that did not come back (timeout, crash, changed file) is settled by ``write_failure``, so every run
ends with a result file and one store record whatever happened.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from table_reconstruct.model import DocumentInfo, DocumentResult, DocumentStatus

from flows.orchestration.batch_report import MAX_RULES_LISTED, error_findings
from flows.core.identify import document_key
from flows.core.settings import PIPELINE_VERSION, Settings

if TYPE_CHECKING:  # SQLAlchemy is imported only when a run is recorded
    from flows.store import RunRecord

OnPage = Callable[[int, int], None]


@dataclass(frozen=True)
class DocumentOutcome:
    """How one document's run ended: small (no tables), so it crosses to Prefect and the CLI cheaply.

    ``status``: ``ok``, ``needs_review`` or ``failed``; ``skipped_done`` / ``skipped_busy`` when another
    batch did or does the document. ``outputs`` is ``OUT/<doc_id>``, ``result_path`` the run's own copy.
    """

    source: str
    status: str
    doc_id: str | None = None
    run_id: str | None = None
    error_kind: str | None = None
    message: str = ""
    pages: int = 0
    seconds: float = 0.0
    tables: int = 0
    forms: tuple[str, ...] = ()
    error_findings: int = 0
    failed_rules: dict[str, int] = field(default_factory=dict)
    review_cells: int = 0
    outputs: str | None = None
    result_path: str | None = None
    review_page: str | None = None
    suggestion: str | None = None

    @classmethod
    def skipped(cls, source: str, claim: str) -> DocumentOutcome:
        """Done meanwhile (``done``), or being done (``busy``), by another batch: nothing recorded here."""
        return cls(source=source, status=f"skipped_{claim}")

    @classmethod
    def unrecorded_failure(cls, source: str) -> DocumentOutcome:
        """The task itself failed before recording a run: the next batch does the document again."""
        return cls(source=source, status="failed", error_kind="internal_error")


@dataclass(frozen=True)
class BatchSummary:
    """What a batch over an archive did: documents found, skipped as already done, and each one's outcome."""

    found: int
    skipped: int
    processed: list[DocumentOutcome]

    @property
    def statuses(self) -> dict[str, int]:
        return dict(Counter(item.status for item in self.processed))


def outcome_of(result: DocumentResult, doc_id: str, run_id: str | None, seconds: float, out_dir: str,
               result_path: str | None, review_page: Path | None) -> DocumentOutcome:
    """The outcome of a read document, with the command most likely to fix it when something is wrong."""
    from flows.review.suggest import suggest

    info = result.document
    suggestions = suggest(result, doc_id, out_dir)
    errors = error_findings(result)
    return DocumentOutcome(
        source=info.source,
        status=info.status.value,
        doc_id=doc_id,
        run_id=run_id,
        error_kind=info.error_kind,
        message=info.error or "",
        pages=len(info.page_notes),
        seconds=seconds,
        tables=len(result.tables),
        forms=tuple(sorted({table.form for table in result.tables if table.form != "unknown"})),
        error_findings=sum(errors.values()),
        failed_rules=dict(errors.most_common(MAX_RULES_LISTED)),
        review_cells=len(result.review_cells),
        outputs=str(Path(out_dir) / doc_id),
        result_path=result_path,
        review_page=str(review_page) if review_page else None,
        suggestion=suggestions[0].command if suggestions else None,
    )


def import_reader() -> None:
    """Import what ``read_document`` needs (the pipeline with OpenCV, the writers: about 0.5 s), for a
    worker child to do while it waits for its first document rather than after it arrives."""
    import flows.core.pipeline  # noqa: F401
    import flows.outputs.result_files  # noqa: F401
    import flows.review.publish  # noqa: F401


def read_document(source: str, out_dir: str, settings: Settings, run_id: str,
                  on_page: OnPage | None = None) -> tuple[DocumentResult, Path | None]:
    """Read the document and write its outputs, review pictures and run copy; raises what the pipeline raises.

    The pictures are made here, within a worker's time limit: a hung renderer dies with the worker's child.
    """
    from flows.core.pipeline import process_file
    from flows.outputs.result_files import write_outputs
    from flows.review.publish import save_review_pictures

    result = process_file(Path(source), settings, on_page=on_page)
    write_outputs(result, Path(out_dir))
    save_review_pictures(result, out_dir)
    return result, run_copy(result, out_dir, run_id)


def run_copy(result: DocumentResult, out_dir: str, run_id: str) -> Path | None:
    """The run's own copy of the result; none for a path that is no file (no document to record a run of)."""
    from flows.outputs.result_files import write_run_copy

    return write_run_copy(result, Path(out_dir), run_id) if result.document.sha256 else None


def failed_result(source: str, sha256: str, settings: Settings, kind: str, message: str, stage: str) -> DocumentResult:
    """A failed result for a read that did not come back or broke: what is recorded instead of tables."""
    info = DocumentInfo(source=source, sha256=sha256, status=DocumentStatus.FAILED, error=message, error_kind=kind,
                        stage=stage, settings=settings.as_dict(), pipeline_version=PIPELINE_VERSION)
    return DocumentResult(document=info)


def write_failure(result: DocumentResult, out_dir: str, run_id: str) -> Path | None:
    """A failed result written where a read's would be (no pictures: there is nothing to show)."""
    from flows.outputs.result_files import write_outputs

    write_outputs(result, Path(out_dir))
    return run_copy(result, out_dir, run_id)


def finish_run(result: DocumentResult, out_dir: str, store_url: str | None, record: RunRecord | None) -> DocumentOutcome:
    """Record the run (``record``: its ``RunRecord``, or None to record nothing), then the review page if the
    document needs a look (after recording, so the page's run history includes this run)."""
    from flows.review import review_if_needed

    if record is not None and store_url:
        from flows.store import open_store

        open_store(store_url).record_run(result, record)
    doc_id = document_key(result.document)
    review_page = review_if_needed(out_dir, doc_id, store_url)
    return outcome_of(result, doc_id, record.run_id if record else None, record.seconds if record else 0.0,
                      out_dir, record.result_path if record else None, review_page)
