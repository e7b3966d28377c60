"""What an operator sees of a batch in the Prefect UI: per-document summaries, a table, notes.

Pure functions from a run's result to small dicts and markdown; ``archive_flow``
publishes them as Prefect artifacts. The summary stays small (no tables), since
it crosses from the worker to Prefect and the flow keeps one per document.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from table_reconstruct.model import DocumentResult

from .review.suggest import suggest

MAX_RULES_LISTED = 8


def error_findings(result: DocumentResult) -> Counter:
    """Failed checks of severity ``error`` by rule, over the tables and the document."""
    findings = [finding for table in result.tables for finding in table.validation] + list(result.validation)
    return Counter(finding.rule for finding in findings if finding.severity == "error")


def document_summary(result: DocumentResult, doc_id: str, run_id: str, seconds: float, out_dir: str, review_page: Path | None) -> dict:
    """The small dict a document task returns: for the progress line, the artifacts and the CLI."""
    info = result.document
    suggestions = suggest(result, doc_id, out_dir)
    errors = error_findings(result)
    return {
        "run_id": run_id,
        "doc_id": doc_id,
        "source": info.source,
        "status": info.status.value,
        "error_kind": info.error_kind,
        "message": info.error or "",
        "pages": len(info.page_notes),
        "seconds": seconds,
        "tables": len(result.tables),
        "forms": sorted({table.form for table in result.tables if table.form != "unknown"}),
        "error_findings": sum(errors.values()),
        "failed_rules": dict(errors.most_common(MAX_RULES_LISTED)),
        "review_cells": len(result.review_cells),
        "review_page": str(review_page) if review_page else None,
        "suggestion": suggestions[0].command if suggestions else None,
    }


def table_rows(items: list[dict]) -> list[dict]:
    """One row per processed document for the run's table artifact."""
    rows = []
    for item in items:
        seconds = item.get("seconds") or 0.0
        rows.append({
            "document": Path(item["source"]).name,
            "doc id": item.get("doc_id") or "",
            "status": item["status"],
            "tables": item.get("tables", 0),
            "error findings": item.get("error_findings", 0),
            "pages/s": round(item["pages"] / seconds, 2) if seconds else None,
            "review page": item.get("review_page") or "",
        })  # fmt: skip
    return rows


def needs_a_note(item: dict) -> bool:
    return item["status"] in ("failed", "needs_review")


def document_markdown(item: dict) -> str:
    """Why a document failed or needs review, and the command most likely to fix it."""
    lines = [f"# {Path(item['source']).name}: {item['status']}", "", f"- doc id: `{item.get('doc_id')}`", f"- file: `{item['source']}`"]
    if item.get("error_kind"):
        lines.append(f"- error: **{item['error_kind']}**: {item.get('message') or ''}")
    if item.get("failed_rules"):
        lines += ["", "| failed check | findings |", "|---|---|"]
        lines += [f"| `{rule}` | {count} |" for rule, count in item["failed_rules"].items()]
    if item.get("review_cells"):
        lines.append(f"- cells to check by eye: {item['review_cells']}")
    if item.get("review_page"):
        lines.append(f"- review page: `{item['review_page']}`")
    lines += ["", f"Suggested: `{item['suggestion']}`" if item.get("suggestion") else "No reprocessing is likely to help."]
    return "\n".join(lines)


def artifact_key(doc_id: str | None) -> str:
    """Prefect artifact keys allow lowercase letters, digits and dashes only."""
    return f"document-{doc_id or 'unknown'}".lower()


def outcome_tags(items: list[dict]) -> list[str]:
    """Tags for the batch's flow run: each outcome seen, and each form family read."""
    statuses = {f"outcome:{item['status']}" for item in items}
    forms = {f"form:{form}" for item in items for form in item.get("forms", [])}
    return sorted(statuses) + sorted(forms)
