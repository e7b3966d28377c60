"""The batch index: one line per document folder under OUT, read from its result.json."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from table_reconstruct.model import DocumentResult

from flows.outputs.result_files import RESULT_FILE
from flows.outputs.xlsx_export import WORKBOOK_FILE

REVIEW_FILE = "review.html"
INDEX_FILE = "index.html"
STATUS_ORDER = {"failed": 0, "needs_review": 1, "ok": 2}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexEntry:
    doc_id: str
    source_name: str
    status: str
    pages: int
    tables: int
    passed: str
    failed: int
    error: str
    result: str
    review: str | None
    workbook: str | None


def checks_passed(result: DocumentResult) -> str:
    """Checks run minus checks failed, or "—" when no check count was recorded."""
    run = result.checks_run + sum(table.checks_run for table in result.tables)
    failed = len(result.validation) + sum(len(table.validation) for table in result.tables)
    return str(max(0, run - failed)) if run else "—"


def index_entry(doc_dir: Path, result: DocumentResult) -> IndexEntry:
    info = result.document
    link = lambda name: f"{doc_dir.name}/{name}" if (doc_dir / name).is_file() else None  # noqa: E731
    return IndexEntry(
        doc_id=doc_dir.name,
        source_name=Path(info.source).name,
        status=info.status.value,
        pages=info.pages,
        tables=len(result.tables),
        passed=checks_passed(result),
        failed=len(result.validation) + sum(len(table.validation) for table in result.tables),
        error=f"{info.error_kind}: {(info.error or '').splitlines()[0][:160]}" if info.error else "",
        result=f"{doc_dir.name}/{RESULT_FILE}",
        review=link(REVIEW_FILE),
        workbook=link(WORKBOOK_FILE),
    )


def read_result(path: Path) -> DocumentResult | None:
    try:
        return DocumentResult.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError, ValueError) as exc:
        log.warning("index skips %s: %s", path, exc)
        return None


def index_entries(out_dir: Path) -> list[IndexEntry]:
    """Every document folder of OUT, failed first, then needing review, then ok."""
    entries = []
    for path in sorted(Path(out_dir).glob(f"*/{RESULT_FILE}")):
        result = read_result(path)
        if result is not None:
            entries.append(index_entry(path.parent, result))
    return sorted(entries, key=lambda e: (STATUS_ORDER.get(e.status, 3), e.source_name, e.doc_id))


def status_counts(entries: list[IndexEntry]) -> list[tuple[str, int]]:
    counts = Counter(entry.status for entry in entries)
    return sorted(counts.items(), key=lambda item: STATUS_ORDER.get(item[0], 3))
