"""Wall time of one ``disclosure-ocr run`` as a user meets it: a one-page born-digital PDF, and an
8-page scan beside the naive whole-page OCR pass over the same pages.

    python -m samples.bench.cli_latency [--repeats 5] [--scan-repeats 2] [--out out/bench/cli_latency.json]

Each reading is a fresh process (imports, model load, the pages, outputs, review
index). The one-page PDF is run untracked (the default with no Prefect API
configured) and with ``--track`` (a Prefect flow run on the ephemeral API), and
the document is reprocessed untracked (``reprocess``: read in an OCR child process,
so that its ``--timeout`` can stop it). The
8-page scan is 8 table pages of a real disclosure (上海-00, pages 7-14) rendered as
the real track's clean 200-DPI scans; ``run`` reads it untracked, and the naive
pass (``samples.bench.baseline``: detect and recognize every line of the page with
the engine as shipped) reads it in a process of its own; both with ONNX Runtime's
default threads. Readings alternate so that all see the same machine load, and the
fastest of each is kept, as in the rest of the benchmark (other work on a shared
machine only slows a reading). ``--scan-repeats 0`` skips the scan. Beside the wall
times, each mode's CPU seconds and the share of the machine's time the host stole
over its readings (``machine_clock``): on a busy host the wall grows and the CPU
seconds do not.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median_high

import pypdfium2

from samples.bench.machine_clock import Clock, steal_share
from samples.bench.summary import save_summary

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "samples" / "corpus" / "smoke" / "doc02.born-digital.pdf"
SCAN_DOCUMENT, SCAN_PAGES, SCAN_VARIANT, SCAN_SEED = "上海-00", [7, 8, 9, 10, 11, 12, 13, 14], "scanned-clean", 2026


def one_page_pdf(target: Path) -> Path:
    source = pypdfium2.PdfDocument(str(SOURCE))
    document = pypdfium2.PdfDocument.new()
    document.import_pages(source, [0])
    document.save(str(target))
    return target


def eight_page_scan(target_dir: Path) -> Path:
    """8 table pages of a real disclosure as the real track's clean 200-DPI scans (``real_corpus``)."""
    from samples.bench.real_corpus import RealDoc, build_variant, real_documents

    (source,) = [doc.source for doc in real_documents() if doc.doc_id == SCAN_DOCUMENT]
    doc = RealDoc(SCAN_DOCUMENT, "上海", source, SCAN_PAGES, sample=SCAN_PAGES)
    return target_dir / build_variant(doc, SCAN_VARIANT, target_dir, SCAN_SEED)


def timed(command: list[str], env: dict[str, str]) -> Clock:
    with Clock() as clock:
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=REPO)
    return clock


def timed_run(pdf: Path, work: Path, track: bool) -> Clock:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(work / "prefect-home")
    return timed([sys.executable, "-m", "flows.cli.app", "run", str(pdf), "--out", str(work / "out"), "--track" if track else "--no-track"], env)


def timed_reprocess(work: Path) -> Clock:
    """``reprocess`` of the one-page document the runs recorded, untracked: its OCR child included."""
    out = work / "out"
    doc_id = next(folder.name for folder in sorted(out.iterdir()) if (folder / "result.json").is_file())
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(work / "prefect-home")
    return timed([sys.executable, "-m", "flows.cli.app", "reprocess", doc_id, "--out", str(out), "--no-track"], env)


def timed_naive_pass(pdf: Path) -> Clock:
    return timed([sys.executable, "-m", "samples.bench.cli_latency", "--naive-pass", str(pdf)], dict(os.environ))


def naive_pass(pdf: Path) -> None:
    """The naive baseline over every page of ``pdf``, as one process: engine as shipped, whole-page OCR."""
    from flows.core.engine_cache import shared_engine
    from ocr.pages.rasterize import DEFAULT_DPI

    from samples.bench.baseline import baseline_document

    baseline_document(pdf, DEFAULT_DPI, shared_engine("rapidocr", None, stock=True))


def summarize(readings: dict[str, list[Clock]]) -> dict[str, dict]:
    """Per mode: wall seconds (fastest, median, each), the process's CPU seconds, and the share of the
    machine's CPU time the host stole over the readings (wall inflated by the host, not the code)."""
    summary = {}
    for name, clocks in readings.items():
        if not clocks:
            continue
        walls, cpus = [clock.wall_s for clock in clocks], [clock.children_cpu_s for clock in clocks]
        summary[name] = {"fastest_s": round(min(walls), 2), "median_s": round(median_high(walls), 2),
                         "readings_s": [round(v, 2) for v in walls], "median_cpu_s": round(median_high(cpus), 2),
                         "cpu_s": [round(v, 2) for v in cpus],
                         "steal_share": round(steal_share(clocks), 3)}
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scan-repeats", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REPO / "out" / "bench" / "cli_latency.json")
    parser.add_argument("--naive-pass", type=Path, help=argparse.SUPPRESS)  # one timed reading of the naive pass
    args = parser.parse_args(argv)
    if args.naive_pass:
        naive_pass(args.naive_pass)
        return 0
    readings: dict[str, list[Clock]] = {"untracked": [], "tracked": [], "reprocess": [], "scan_run": [], "scan_naive_pass": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pdf = one_page_pdf(work / "one-page.pdf")
        timed_run(pdf, work, track=True)  # Prefect's database created and migrated once, off the record
        for _ in range(args.repeats):
            for name in ("untracked", "tracked"):
                readings[name].append(timed_run(pdf, work, track=name == "tracked"))
            readings["reprocess"].append(timed_reprocess(work))
        scan = eight_page_scan(work) if args.scan_repeats else None
        for _ in range(args.scan_repeats):
            readings["scan_run"].append(timed_run(scan, work, track=False))
            readings["scan_naive_pass"].append(timed_naive_pass(scan))
    summary = summarize(readings)
    if args.scan_repeats:
        summary["scan_speedup"] = round(summary["scan_naive_pass"]["fastest_s"] / summary["scan_run"]["fastest_s"], 2)
    save_summary(args.out, summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
