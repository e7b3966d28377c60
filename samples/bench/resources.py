"""Worker scaling and memory over long runs, measured in child processes.

    python -m samples.bench.resources scaling --corpus DIR [--variant scanned-clean] [--workers 1 2]
    python -m samples.bench.resources long --corpus DIR [--pages 300] [--variants scanned-clean scanned-noisy]
    python -m samples.bench.resources batch --corpus DIR [--documents 200]

``scaling``: N worker processes (one ONNX thread each, engine loaded once per
worker before the clock starts) each read the same files; throughput is
pages read by all workers per wall second, and efficiency is that divided by
N × one worker's throughput. ``long``: corpus pages concatenated (pypdf) into
one document, read in a fresh process whose RSS is sampled after every page.
``batch``: many documents one after another in one worker process, RSS
after each, to show it stays flat. Results go to JSON beside the benchmark's.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import time
from pathlib import Path

from ..synth.corpus import read_manifest

REPO = Path(__file__).resolve().parents[2]
_CONTEXT = multiprocessing.get_context("spawn")


def current_rss_mb() -> float:
    """Resident set size now (not the peak), from /proc."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker(files: list[str], ready, start, results) -> None:
    from flows.engine_cache import shared_engine
    from flows.pipeline import process_file
    from flows.settings import Settings

    settings = Settings(threads=1)
    engine = shared_engine(settings.engine, 1)
    process_file(Path(files[0]), Settings(threads=1, pages="1"), engine=engine)  # warm-up, off the clock
    ready.wait()
    start.wait()
    pages = sum(len(process_file(Path(f), settings, engine=engine).document.page_notes) for f in files)
    results.put(pages)


def scaling(files: list[str], workers: int) -> dict:
    """Pages per wall second with ``workers`` processes reading ``files`` each."""
    ready, start = _CONTEXT.Barrier(workers + 1), _CONTEXT.Barrier(workers + 1)
    results = _CONTEXT.Queue()
    procs = [_CONTEXT.Process(target=_worker, args=(files, ready, start, results)) for _ in range(workers)]
    for proc in procs:
        proc.start()
    ready.wait()
    started = time.perf_counter()
    start.wait()
    pages = sum(results.get() for _ in procs)
    seconds = time.perf_counter() - started
    for proc in procs:
        proc.join()
    return {"workers": workers, "pages": pages, "seconds": round(seconds, 2), "pages_per_second": pages / seconds}


def concatenated(files: list[Path], pages: int, out: Path) -> Path:
    """A ``pages``-page PDF made of the files' pages, repeated in order."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    readers = [PdfReader(str(f)) for f in files]
    while len(writer.pages) < pages:
        for reader in readers:
            for page in reader.pages:
                if len(writer.pages) < pages:
                    writer.add_page(page)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as handle:
        writer.write(handle)
    return out


def _long_child(path: str, queue) -> None:
    from flows.pipeline import process_file
    from flows.settings import Settings

    samples: list[float] = []
    started = time.perf_counter()
    result = process_file(Path(path), Settings(threads=1), on_page=lambda done, total: samples.append(current_rss_mb()))
    queue.put({"pages": len(result.document.page_notes), "status": result.document.status.value,
               "seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
               "rss_after_page_mb": [round(s, 1) for s in samples]})


def _batch_child(paths: list[str], queue) -> None:
    from flows.engine_cache import shared_engine
    from flows.pipeline import process_file
    from flows.settings import Settings

    engine = shared_engine("rapidocr", 1)
    samples = []
    for path in paths:
        process_file(Path(path), Settings(threads=1), engine=engine)
        samples.append(round(current_rss_mb(), 1))
    queue.put({"documents": len(paths), "peak_rss_mb": round(peak_rss_mb(), 1), "rss_after_document_mb": samples})


def in_child(target, *args) -> dict:
    queue = _CONTEXT.Queue()
    proc = _CONTEXT.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def _files(corpus: Path, variants: list[str]) -> list[Path]:
    return [corpus / e.file for e in read_manifest(corpus) if e.variant in variants]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.bench.resources", description=__doc__)
    parser.add_argument("what", choices=("scaling", "long", "batch"))
    parser.add_argument("--corpus", type=Path, default=REPO / "samples" / "corpus" / "full")
    parser.add_argument("--variants", nargs="+", default=["scanned-clean"])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--out", type=Path, default=REPO / "out" / "bench" / "resources")
    args = parser.parse_args(argv)
    files = _files(args.corpus, args.variants)
    if args.what == "scaling":
        runs = [scaling([str(f) for f in files], n) for n in args.workers]
        one = runs[0]["pages_per_second"] / runs[0]["workers"]
        for run in runs:
            run["efficiency"] = round(run["pages_per_second"] / (run["workers"] * one), 3)
        report = {"variants": args.variants, "cpus": multiprocessing.cpu_count(), "runs": runs}
    elif args.what == "long":
        path = concatenated(files, args.pages, args.out / f"long-{args.pages}.pdf")
        report = {"variants": args.variants, **in_child(_long_child, str(path))}
    else:
        paths = [str(files[i % len(files)]) for i in range(args.documents)]
        report = {"variants": args.variants, **in_child(_batch_child, paths)}
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"{args.what}.json"
    target.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    summary = {k: v for k, v in report.items() if not k.startswith("rss_after")}
    print(json.dumps(summary, indent=1))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
