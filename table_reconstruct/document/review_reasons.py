"""Why a document needs a person: the reasons behind ``needs_review``, each with its table and count.

A status alone says nothing a reviewer can act on; every reason names the
trouble (a check that failed, doubtful cells, amount columns without a
canonical name, a page that broke) and where it is. A label column (科目名称,
项目) that maps to no canonical amount is no reason, and neither is a region
that is not a statutory table.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from table_reconstruct.semantics.column_roles import amount_columns
from table_reconstruct.model import DocumentResult, PageNote, ReviewReason, Table

HEADER_SHOWN = 24


def _table_reasons(index: int, table: Table, threshold: float) -> list[ReviewReason]:
    reasons = []
    errors = Counter(f.rule for f in table.validation if f.severity == "error")
    if errors:
        reasons.append(ReviewReason(kind="failed_check", table=index, count=sum(errors.values()),
                                    detail=", ".join(f"{rule} ×{n}" for rule, n in errors.most_common())))
    doubtful = sum(1 for cell in table.cells if cell.confidence < threshold)
    if doubtful:
        reasons.append(ReviewReason(kind="doubtful_cells", table=index, count=doubtful,
                                    detail=f"confidence below {threshold:.2f}"))
    unmapped = [table.columns[c] for c in amount_columns(table)
                if table.columns[c].canonical is None and table.columns[c].header_path]
    if unmapped:
        headers = sorted({"›".join(c.header_path)[:HEADER_SHOWN] for c in unmapped})
        reasons.append(ReviewReason(kind="unmapped_amount_columns", table=index, count=len(unmapped),
                                    detail="; ".join(headers)))
    return reasons


def _page_reasons(notes: Sequence[PageNote]) -> list[ReviewReason]:
    return [ReviewReason(kind="broken_page", count=1, detail=f"page {note.page}: {note.skipped[:120]}")
            for note in notes if note.skipped and note.skipped.startswith("error")]


def document_review_reasons(result: DocumentResult, threshold: float) -> list[ReviewReason]:
    """Every reason a person should look at this document, table by table, then the document's own."""
    reasons = []
    for index, table in enumerate(result.tables):
        if table.kind == "statutory":
            reasons += _table_reasons(index, table, threshold)
    errors = Counter(f.rule for f in result.validation if f.severity == "error")
    if errors:
        reasons.append(ReviewReason(kind="failed_check", count=sum(errors.values()),
                                    detail=", ".join(f"{rule} ×{n}" for rule, n in errors.most_common())))
    return reasons + _page_reasons(result.document.page_notes)


def summary(reasons: Sequence[ReviewReason]) -> str:
    """One line for a listing: each kind with how many tables or pages it concerns."""
    kinds = Counter(r.kind for r in reasons)
    return "; ".join(f"{kind} in {n} {'place' if n == 1 else 'places'}" for kind, n in kinds.items())
