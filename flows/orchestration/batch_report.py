"""What an operator sees of a batch in the Prefect UI: per-document summaries, a table, notes.

Pure functions from documents' outcomes (``document_runner.DocumentOutcome``) to
table rows, markdown and tags; ``archive_flow`` publishes them as Prefect artifacts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from table_reconstruct.model import DocumentResult

if TYPE_CHECKING:  # document_runner builds its outcomes with error_findings below
    from flows.core.document_runner import DocumentOutcome

MAX_RULES_LISTED = 8


def error_findings(result: DocumentResult) -> Counter:
    """Failed checks of severity ``error`` by rule, over the tables and the document."""
    findings = [finding for table in result.tables for finding in table.validation] + list(result.validation)
    return Counter(finding.rule for finding in findings if finding.severity == "error")


def table_rows(items: list[DocumentOutcome]) -> list[dict]:
    """One row per processed document for the run's table artifact."""
    rows = []
    for item in items:
        rows.append({
            "document": Path(item.source).name,
            "doc id": item.doc_id or "",
            "status": item.status,
            "tables": item.tables,
            "error findings": item.error_findings,
            "pages/s": round(item.pages / item.seconds, 2) if item.seconds else None,
            "review page": item.review_page or "",
        })  # fmt: skip
    return rows


def needs_a_note(item: DocumentOutcome) -> bool:
    return item.status in ("failed", "needs_review")


def document_markdown(item: DocumentOutcome) -> str:
    """Why a document failed or needs review, and the command most likely to fix it."""
    lines = [f"# {Path(item.source).name}: {item.status}", "", f"- doc id: `{item.doc_id}`", f"- file: `{item.source}`"]
    if item.error_kind:
        lines.append(f"- error: **{item.error_kind}**: {item.message}")
    if item.failed_rules:
        lines += ["", "| failed check | findings |", "|---|---|"]
        lines += [f"| `{rule}` | {count} |" for rule, count in item.failed_rules.items()]
    if item.review_cells:
        lines.append(f"- cells to check by eye: {item.review_cells}")
    if item.review_page:
        lines.append(f"- review page: `{item.review_page}`")
    lines += ["", f"Suggested: `{item.suggestion}`" if item.suggestion else "No reprocessing is likely to help."]
    return "\n".join(lines)


def artifact_key(doc_id: str | None) -> str:
    """Prefect artifact keys allow lowercase letters, digits and dashes only."""
    return f"document-{doc_id or 'unknown'}".lower()


PRODUCT_TAG = "disclosure-ocr"


def outcome_tags(items: list[DocumentOutcome]) -> list[str]:
    """Tags for the batch's flow run: the product's, each outcome seen, and each form family read."""
    statuses = {f"outcome:{item.status}" for item in items}
    forms = {f"form:{form}" for item in items for form in item.forms}
    return [PRODUCT_TAG] + sorted(statuses) + sorted(forms)
