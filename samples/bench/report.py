"""Aggregate per-file scores by variant and write them as JSON and Markdown.

Every figure is shown for the pipeline beside the naive baseline, with the
ratio pipeline / baseline (> 1 means the pipeline is higher; for peak RSS
and seconds higher is worse).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Optional

from table_reconstruct.forms import default_catalog
from table_reconstruct.header_mapping import default_vocabulary
from table_reconstruct.model import DocumentInfo, DocumentResult

from ..synth.corpus import Entry, read_manifest
from .score import Counts, metrics, score_document, score_tokens_only

VARIANT_ORDER = ("born-digital", "scanned-clean", "scanned-noisy", "garbled-layer", "real-scanned")
ALL_SYNTHETIC = "all synthetic"
LABELS = {
    "table_recall": "Table detection recall",
    "table_precision": "Table detection precision",
    "structure_exact": "Structure exactly right (rows, cols, spans)",
    "teds_struct": "TEDS-struct",
    "cell_accuracy": "Body cells exact (all)",
    "nonempty_cell_accuracy": "Body cells exact (non-empty truth)",
    "numeric_cell_accuracy": "Numeric cells right",
    "header_canonical_accuracy": "Header canonical mapping",
    "oov_columns_left_unmapped": "Out-of-vocabulary columns left unmapped",
    "title_accuracy": "Title exact",
    "form_accuracy": "Form identified",
    "multipage_joined": "Cross-page tables joined",
    "join_precision": "Cross-page joins that are right",
    "amount_token_recall": "Amount-token recall",
    "amount_token_precision": "Amount-token precision",
    "pages_per_second": "Pages / second",
}


def vocabulary_names() -> set[str]:
    """Every canonical column name the pipeline can give: the general vocabulary and every form's."""
    return {alias.canonical for alias in default_vocabulary().aliases} | default_catalog().column_names()


def _empty(entry: Entry) -> DocumentResult:
    return DocumentResult(document=DocumentInfo(source=entry.file, sha256=""))


def score_entry(entry: Entry, corpus: Path, pred: Optional[DocumentResult], vocabulary: set[str]) -> Counts:
    """Counts for one corpus file; a missing prediction scores as finding nothing."""
    pred = pred or _empty(entry)
    text = (corpus / entry.truth).read_text(encoding="utf-8")
    if entry.truth_kind == "tables":
        return score_document(DocumentResult.model_validate_json(text), pred, vocabulary)
    pages = {p["page"]: p["tokens"] for p in json.loads(text)["pages"]}
    return score_tokens_only(pages, len(pages), pred)


def _load_pred(path: Path) -> Optional[DocumentResult]:
    return DocumentResult.model_validate_json(path.read_text(encoding="utf-8")) if path.is_file() else None


def evaluate(corpus: Path, preds: Path, systems: list[str], variants: Optional[list[str]] = None) -> dict:
    """``{system: {"run": {...}, "variants": {variant: {...}}, "files": {...}}}``."""
    entries = [e for e in read_manifest(corpus) if not variants or e.variant in variants]
    vocabulary = vocabulary_names()
    result: dict = {}
    for system in systems:
        run = json.loads((preds / system / "run.json").read_text(encoding="utf-8"))
        groups: dict[str, tuple[Counts, float]] = {}
        files = {}
        for entry in entries:
            if entry.file not in run["files"]:
                continue
            counts = score_entry(entry, corpus, _load_pred(preds / system / f"{entry.file}.json"), vocabulary)
            seconds = run["files"][entry.file]["seconds"]
            files[entry.file] = {"variant": entry.variant, "counts": asdict(counts), "metrics": metrics(counts),
                                 "seconds": seconds, "error": run["files"][entry.file]["error"]}
            keys = [entry.variant] + ([ALL_SYNTHETIC] if entry.truth_kind == "tables" else [])
            for key in keys:
                c, s = groups.get(key, (Counts(), 0.0))
                groups[key] = (c + counts, s + seconds)
        result[system] = {
            "run": {"peak_rss_mb": run["peak_rss_mb"], "load_seconds": run["load_seconds"]},
            "variants": {k: {"counts": asdict(c), "seconds": round(s, 2),
                             "metrics": {**metrics(c), "pages_per_second": c.pages / s if s else None}}
                         for k, (c, s) in groups.items()},
            "files": files,
        }
    return result


def _fmt(key: str, value: Optional[float]) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if key == "pages_per_second" else f"{100 * value:.1f} %"


def _ratio(a: Optional[float], b: Optional[float]) -> str:
    if a is None or b is None:
        return "—"
    if b == 0:
        return "∞" if a > 0 else "—"
    return f"×{a / b:.2f}"


def markdown(result: dict, pipeline: str = "pipeline", baseline: str = "baseline") -> str:
    """One table per variant (plus all synthetic together): pipeline | baseline | ratio."""
    p, b = result[pipeline], result.get(baseline)
    order = [v for v in (ALL_SYNTHETIC, *VARIANT_ORDER) if v in p["variants"]]
    out = []
    for variant in order:
        pv = p["variants"][variant]
        bv = b["variants"].get(variant) if b else None
        c = pv["counts"]
        out.append(f"### {variant}\n")
        out.append(f"{c['pages']} pages, {c['tables_truth']} truth table fragments, {c['cells']} body cells, "
                   f"{c['columns']} in-vocabulary columns, {c['tokens_truth']} amount tokens.\n")
        out.append("| Metric | Pipeline | Baseline | Ratio |")
        out.append("|---|---:|---:|---:|")
        for key, label in LABELS.items():
            a = pv["metrics"].get(key)
            z = bv["metrics"].get(key) if bv else None
            if a is None and z is None:
                continue
            out.append(f"| {label} | {_fmt(key, a)} | {_fmt(key, z)} | {_ratio(a, z)} |")
        out.append("")
    out.append("### Resources (whole run, per system process)\n")
    out.append("| | Pipeline | Baseline | Ratio |")
    out.append("|---|---:|---:|---:|")
    for key, label in (("peak_rss_mb", "Peak RSS (MB)"), ("load_seconds", "Engine load (s)")):
        a, z = p["run"][key], b["run"][key] if b else None
        out.append(f"| {label} | {a:.1f} | {'—' if z is None else f'{z:.1f}'} | {_ratio(a, z)} |")
    return "\n".join(out) + "\n"
