"""Run one system over corpus files in this process and save its results.

Started once per system by ``python -m samples.bench`` so that each system's
peak RSS is its own. Engine loading is timed apart from reading pages, and so
is a warm-up: the first page of the bundled sample (not a corpus file) read
by the same system before the clock starts, so that lazily loaded model
sessions (detector, recognizer, line classifier), imports and vocabularies
are paid once per process as in a long-running archive worker, not by
whichever variant's first document comes first.

    python -m samples.bench.predict --system pipeline --corpus DIR --out DIR [FILE ...]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from dataclasses import replace
from pathlib import Path

import cv2

from flows.core.engine_cache import shared_engine
from flows.core.pipeline import process_file
from flows.core.settings import Settings
from table_reconstruct.model import DocumentResult

from samples.bench.baseline import baseline_document

SYSTEMS = ("pipeline", "baseline")
REPO = Path(__file__).resolve().parents[2]
WARM_UP = REPO / "samples" / "scanned_budget_sample.pdf"


def system_engine(system: str, settings: Settings):
    """The pipeline's tuned engine, or the engine as shipped for the naive baseline."""
    return shared_engine(settings.engine, settings.threads, stock=system == "baseline")


def run_one(system: str, path: Path, settings: Settings) -> DocumentResult:
    engine = system_engine(system, settings)
    if system == "pipeline":
        return process_file(path, settings, engine=engine)
    return baseline_document(path, settings.dpi, engine, settings.pages)


def peak_rss_mb() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (pdftoppm): steadier than wall time on a shared machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.bench.predict", description=__doc__)
    parser.add_argument("--system", choices=SYSTEMS, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--tag", default="all", help="names this run's run.<tag>.json (one per variant)")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    # One ONNX thread: one archive worker's configuration (workers × 1 thread = cores), and CPU time
    # then measures work, not the spinning of idle pool threads on a shared machine.
    settings = Settings(threads=1)
    # OpenCV's own thread pool too, as in an archive worker: both systems use cv2, and idle pool
    # threads would otherwise add CPU time without doing the work any sooner on a full machine.
    cv2.setNumThreads(settings.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    system_engine(args.system, settings)
    loaded = time.perf_counter()
    run_one(args.system, WARM_UP, replace(settings, pages="1"))
    run = {"system": args.system, "load_seconds": round(loaded - started, 3),
           "warm_up_seconds": round(time.perf_counter() - loaded, 3), "files": {}}  # fmt: skip
    for name in args.files:
        started, cpu_started = time.perf_counter(), cpu_seconds()
        try:
            result = run_one(args.system, args.corpus / name, settings)
            error = None
        except Exception as exc:  # a crash is a result to report, not a reason to stop the run
            result, error = None, f"{type(exc).__name__}: {exc}"
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        if result is not None:
            (args.out / f"{name}.json").write_text(result.model_dump_json(), encoding="utf-8")
            error = result.document.error
        run["files"][name] = {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "error": error,
                              "pages": len(result.document.page_notes) if result else 0}
        print(f"{args.system}: {name} {seconds:.1f}s", flush=True)
    run["peak_rss_mb"] = round(peak_rss_mb(), 1)
    (args.out / f"run.{args.tag}.json").write_text(json.dumps(run, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
