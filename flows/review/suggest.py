"""The ``disclosure-ocr reprocess …`` command most likely to fix a document, with the reason.

Pure rules over the recorded result: what failed, at what DPI, on which pages.
Only options the ``reprocess`` command really has are ever suggested.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from ocr.engines import DEFAULT_ENGINE
from ocr.pages.page_range import format_page_range
from table_reconstruct.semantics.column_roles import amount_columns
from table_reconstruct.semantics.header_mapping import PATH_SEPARATOR
from table_reconstruct.model import DocumentResult, DocumentStatus

from flows.core.reprocess_options import SUGGESTED_OPTIONS, flag

HIGHER_DPI = 300
LONGER_TIMEOUT_S = 3600


@dataclass(frozen=True)
class Suggestion:
    command: str
    reason: str


def command(doc_id: str, out_dir: str, **options: object) -> str:
    """The shell line; an option ``reprocess`` does not have is a bug here, never a suggestion."""
    unknown = set(options) - SUGGESTED_OPTIONS
    if unknown:
        raise ValueError(f"reprocess has no option {', '.join(sorted(unknown))}")
    parts = ["disclosure-ocr", "reprocess", doc_id, "--out", out_dir]
    for name, value in options.items():
        parts += [flag(name)] if value is True else [flag(name), str(value)]
    return shlex.join(parts)


def higher_dpi(result: DocumentResult) -> int:
    dpi = int(result.document.settings.get("dpi") or 200)
    return max(HIGHER_DPI, dpi + 100)


def table_pages(result: DocumentResult) -> list[int]:
    return sorted({page for table in result.tables for page in table.pages})


def used_text_layer(result: DocumentResult) -> bool:
    return any(note.text_source == "text_layer" for note in result.document.page_notes)


def suggest(result: DocumentResult, doc_id: str, out_dir: str) -> list[Suggestion]:
    """Suggested commands, most likely fix first; empty when reprocessing cannot help or nothing is wrong."""
    if result.document.status == DocumentStatus.FAILED:
        return failure_fixes(result, doc_id, out_dir)
    if result.document.status == DocumentStatus.NEEDS_REVIEW:
        return review_fixes(result, doc_id, out_dir)
    return []


def force_ocr(result: DocumentResult, doc_id: str, out_dir: str) -> list[Suggestion]:
    """Reading the images instead of a (possibly garbled) text layer, where the command offers it."""
    if used_text_layer(result):
        return [Suggestion(command(doc_id, out_dir, force_ocr=True), "the text layer may be garbled; read the page images instead")]
    return []


def failure_fixes(result: DocumentResult, doc_id: str, out_dir: str) -> list[Suggestion]:
    kind, engine = result.document.error_kind, result.document.settings.get("engine")
    if kind == "bad_input":
        return []
    if kind == "timeout":
        return [Suggestion(command(doc_id, out_dir, timeout=LONGER_TIMEOUT_S), "the worker ran out of time; allow it longer")]
    if kind == "no_tables_found":
        dpi = Suggestion(command(doc_id, out_dir, dpi=higher_dpi(result)), "thin or faint table rules can vanish at low resolution")
        return force_ocr(result, doc_id, out_dir) + [dpi]
    if kind == "ocr_failed":
        if engine and engine != DEFAULT_ENGINE:
            return [Suggestion(command(doc_id, out_dir, engine=DEFAULT_ENGINE), "this OCR engine could not run; use the bundled one")]
        return []
    return [Suggestion(command(doc_id, out_dir), "an unexpected error; a new attempt often succeeds")]


def review_fixes(result: DocumentResult, doc_id: str, out_dir: str) -> list[Suggestion]:
    found = []
    if doubtful_or_failing(result):
        options: dict[str, object] = {"dpi": higher_dpi(result)}
        pages = table_pages(result)
        if pages and len(pages) < (result.document.pages or 0):
            options["pages"] = format_page_range(pages)
        reason = "doubtful digits and failed sums usually come from small print read at too low a resolution"
        if "pages" in options:
            reason += "; only the pages that hold tables are redone"
        found.append(Suggestion(command(doc_id, out_dir, **options), reason))
    elif any(note.skipped and note.skipped.startswith("error") for note in result.document.page_notes):
        found.append(Suggestion(command(doc_id, out_dir), "a page broke during processing; a new attempt may succeed"))
    return found + force_ocr(result, doc_id, out_dir)


def doubtful_or_failing(result: DocumentResult) -> bool:
    """Cells read with low confidence, cells flagged for review, or failed checks: what a sharper scan can fix."""
    threshold = float(result.document.settings.get("review_confidence", 0.8))
    low = any(cell.confidence < threshold for table in result.tables for cell in table.cells)
    return low or bool(result.review_cells or result.validation) or any(table.validation for table in result.tables)


UNMAPPED_SHOWN = 40


def unmapped_columns(result: DocumentResult) -> list[str]:
    """Header paths no canonical name matched: a vocabulary gap, which reprocessing cannot close."""
    paths = [PATH_SEPARATOR.join(table.columns[col].header_path) for table in result.tables
             if table.kind == "statutory" for col in amount_columns(table)
             if table.columns[col].canonical is None and table.columns[col].header_path]
    # Each header once, cut short: a header row swallowed into one cell must not fill the page.
    return [path if len(path) <= UNMAPPED_SHOWN else path[:UNMAPPED_SHOWN] + "…" for path in dict.fromkeys(paths)]
