"""The real track: real disclosures (shared/real), truth = their text layer, cell by cell.

    python -m samples.bench.real                       # build, predict, score -> out/bench/real/real.{json,md}
    python -m samples.bench.real --rescore             # score saved predictions only
    python -m samples.bench.real --systems pipeline    # re-run the pipeline only (baseline predictions kept)
    python -m samples.bench.real --variants scanned-clean --cities 上海 江苏

Every number (zeros, integers, separators, signs, decimals) and every Chinese
name cell inside the ruled tables counts; see ``real_truth`` and
``real_score``. Each system runs in its own process per variant through
``samples.bench.predict`` (one ONNX thread, warm-up before the clock), so
pages/s compare as in the synthetic benchmark. The baseline's predictions
are kept between runs unless ``--systems baseline`` asks for them again.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from table_reconstruct.model import DocumentResult

from samples.bench.real_corpus import SHARED, VARIANTS, RealDoc, build_corpus, is_table_page, real_documents, sample_pages
from samples.bench.real_layer import document_truth
from samples.bench.real_report import write_report
from samples.bench.real_score import Outcome, cells_by_page, flagged_cells, score_page
from samples.bench.real_truth import TruthCell

REPO = Path(__file__).resolve().parents[2]
ALL_PAGES = "born-digital-all"  # the born-digital path over every table page of every document
SYSTEMS = ("pipeline", "baseline")
# Bumped whenever the truth's reading of a page changes, so cached truth is read again.
TRUTH_VERSION = 2


def load_truth(docs: list[RealDoc], cache: Path) -> dict[str, dict[int, tuple[list[TruthCell], tuple[float, float]]]]:
    """Truth of every table page of every document (cached by source size and mtime); sets ``table_pages``."""
    stored = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    truth, fresh = {}, {}
    for doc in docs:
        stamp = f"{TRUTH_VERSION}:{doc.source.stat().st_size}:{doc.source.stat().st_mtime_ns}"
        entry = stored.get(doc.doc_id)
        if not entry or entry["stamp"] != stamp:
            pages = {p: v for p, v in document_truth(doc.source).items() if is_table_page(v[0])}
            entry = {"stamp": stamp, "pages": {str(p): {"size": size, "cells": [[c.bbox, c.text] for c in cells]}
                                               for p, (cells, size) in pages.items()}}
        fresh[doc.doc_id] = entry
        truth[doc.doc_id] = {int(p): ([TruthCell(int(p), tuple(b), t) for b, t in v["cells"]], tuple(v["size"]))
                             for p, v in entry["pages"].items()}
        doc.table_pages = sorted(truth[doc.doc_id])
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(fresh, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth


def predict(system: str, corpus: Path, files: list[str], out: Path, tag: str, missing_only: bool = False) -> None:
    """Run one system over ``files`` in its own process (``samples.bench.predict``).

    A full run replaces the folder's timings; ``missing_only`` predicts only files without a saved
    prediction and adds its timings beside the earlier ones (each file is timed once either way).
    """
    out.mkdir(parents=True, exist_ok=True)
    if missing_only:
        def saved(name: str) -> bool:  # a prediction older than its file was made for other pages
            pred = out / f"{name}.json"
            return pred.exists() and pred.stat().st_mtime >= (corpus / name).stat().st_mtime
        files = [name for name in files if not saved(name)]
        tag = f"{tag}-{time.strftime('%H%M%S')}"
    else:
        for old in out.glob("run.*.json"):
            old.unlink()
    if not files:
        return
    command = [sys.executable, "-m", "samples.bench.predict", "--system", system, "--corpus", str(corpus),
               "--out", str(out), "--tag", tag, *files]
    print(f"[real] {system} {tag}: {len(files)} files", flush=True)
    subprocess.run(command, check=True, cwd=REPO)


def _load(path: Path) -> DocumentResult | None:
    return DocumentResult.model_validate_json(path.read_text(encoding="utf-8")) if path.exists() else None


def score_file(result: DocumentResult | None, pages: list[tuple[int, int, float]],
               truth: dict[int, tuple[list[TruthCell], tuple[float, float]]]) -> list[Outcome]:
    """Outcomes of one predicted file; ``pages`` holds (its page, the source page shown there, skew in degrees)."""
    cells = cells_by_page(result) if result else {}
    flagged = frozenset(flagged_cells(result)) if result else frozenset()
    outcomes: list[Outcome] = []
    for shown, page, skew in pages:
        if page in truth:
            page_cells, size = truth[page]
            outcomes += score_page(page_cells, cells.get(shown, []), skew, size, flagged)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.bench.real", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "out" / "bench" / "real")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-city", type=int, default=2, help="sampled table pages per city (OCR variants)")
    parser.add_argument("--jiangsu", type=int, default=4, help="sampled table pages of the Jiangsu PDFs")
    parser.add_argument("--variants", nargs="+", default=[ALL_PAGES, *VARIANTS], choices=[ALL_PAGES, *VARIANTS])
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=SYSTEMS,
                        help="systems to run (baseline predictions are otherwise kept when present)")
    parser.add_argument("--cities", nargs="+", help="only these cities (江苏 for the Jiangsu PDFs)")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the folder holding cities/ and jiangsu/")
    parser.add_argument("--missing-only", action="store_true",
                        help="predict only files without a saved prediction (resume a run, or add a variant)")
    parser.add_argument("--build-only", action="store_true", help="truth and scanned files only, no predictions")
    parser.add_argument("--rescore", action="store_true", help="score saved predictions only")
    args = parser.parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())

    docs = [d for d in real_documents(args.shared) if not args.cities or d.city in args.cities]
    truth = load_truth(docs, args.out / "truth.json")
    sample_pages(docs, args.per_city, args.jiangsu, args.seed)
    scanned = [v for v in args.variants if v != ALL_PAGES]
    manifest = build_corpus(docs, scanned, args.out / "corpus", args.seed)
    by_id = {d.doc_id: d for d in docs}
    if args.build_only:
        return 0

    if not args.rescore:
        for variant in args.variants:
            for system in args.systems:
                if variant == ALL_PAGES:
                    if system != "pipeline":
                        continue  # the naive pass OCRs every page: run on the sampled born-digital pages only
                    for folder in ("cities", "jiangsu"):
                        names = [d.source.name for d in docs if d.table_pages and d.source.parent.name == folder]
                        if names:
                            predict(system, args.shared / folder, names, args.out / "pred" / system / f"{ALL_PAGES}-{folder}",
                                    f"{ALL_PAGES}-{folder}", args.missing_only)
                    continue
                names = [n for n, e in manifest.items() if e["variant"] == variant and e["doc_id"] in by_id]
                predict(system, args.out / "corpus", names, args.out / "pred" / system / variant, variant, args.missing_only)

    results: dict[tuple[str, str], list[tuple[str, list[Outcome]]]] = {}
    for variant in args.variants:
        for system in SYSTEMS:
            per_doc = []
            if variant == ALL_PAGES:
                if system != "pipeline":
                    continue
                for doc in docs:
                    folder = f"{ALL_PAGES}-{doc.source.parent.name}"
                    result = _load(args.out / "pred" / system / folder / f"{doc.source.name}.json")
                    if result is None:
                        continue  # not run (yet): absent from the figures, not scored as wrong
                    pages = [(page, page, 0.0) for page in doc.table_pages]
                    per_doc.append((doc.doc_id, score_file(result, pages, truth[doc.doc_id])))
            else:
                for name, entry in manifest.items():
                    if entry["variant"] != variant or entry["doc_id"] not in by_id:
                        continue
                    result = _load(args.out / "pred" / system / variant / f"{name}.json")
                    if result is None:
                        continue
                    pages = [(k, page, skew) for k, (page, skew) in enumerate(zip(entry["pages"], entry["skew"]), 1)]
                    per_doc.append((entry["doc_id"], score_file(result, pages, truth[entry["doc_id"]])))
            if per_doc:
                results[system, variant] = per_doc
    settings = {"seed": args.seed, "per_city": args.per_city, "jiangsu": args.jiangsu, "started": started,
                "command": "python -m samples.bench.real " + " ".join(argv if argv is not None else sys.argv[1:])}
    write_report(results, {d: by_id[d].city for d in by_id}, args.out, settings, manifest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
