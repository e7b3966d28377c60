"""Worker scaling and memory over long runs, measured in child processes.

    python -m samples.bench.resources scaling --corpus DIR [--variant scanned-clean] [--workers 1 2]
    python -m samples.bench.resources long --corpus DIR [--pages 300] [--variants scanned-clean scanned-noisy]
    python -m samples.bench.resources batch --corpus DIR [--documents 1000] [--max-documents-per-worker 0]

``scaling``: N worker processes (one ONNX thread each, engine loaded once per
worker before the clock starts) each read the same files; throughput is
pages read by all workers per wall second, and efficiency is that divided by
N × one worker's throughput. ``long``: corpus pages concatenated (pypdf) into
one document, read in a fresh process whose RSS is sampled after every page.
``batch``: one-page documents (the variants' pages split apart) one after
another through the archive's own ``DocumentWorker``, the child's RSS read
after each, to show it stays flat; ``--max-documents-per-worker 1`` gives the
old fresh-process-per-document cost beside it. Results go to JSON beside the
benchmark's.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import time
from pathlib import Path

from flows.core.heap import resident_mb

from samples.synth.corpus import read_manifest

REPO = Path(__file__).resolve().parents[2]
_CONTEXT = multiprocessing.get_context("spawn")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker(files: list[str], ready, start, results) -> None:
    from flows.core.engine_cache import shared_engine
    from flows.core.pipeline import process_file
    from flows.core.settings import Settings

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
    from flows.core.pipeline import process_file
    from flows.core.settings import Settings

    samples: list[float] = []
    started = time.perf_counter()
    result = process_file(Path(path), Settings(threads=1), on_page=lambda done, total: samples.append(resident_mb()))
    queue.put({"pages": len(result.document.page_notes), "status": result.document.status.value,
               "seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
               "rss_after_page_mb": [round(s, 1) for s in samples]})


def one_page_documents(files: list[Path], out: Path) -> list[Path]:
    """Every page of ``files`` as a PDF of its own (pypdf), so a batch has many small documents."""
    from pypdf import PdfReader, PdfWriter

    out.mkdir(parents=True, exist_ok=True)
    pages = []
    for file in files:
        for number, page in enumerate(PdfReader(str(file)).pages, 1):
            writer = PdfWriter()
            writer.add_page(page)
            target = out / f"{file.stem}.p{number}.pdf"
            with target.open("wb") as handle:
                writer.write(handle)
            pages.append(target)
    return pages


def child_high_water_mb(pid: int) -> float:
    """The child's peak RSS (VmHWM) so far, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def batch(paths: list[str], out_dir: Path, max_documents: int) -> dict:
    """``paths`` through one ``DocumentWorker`` as the archive flow runs them; the child's RSS after each."""
    import psutil

    from flows.core.settings import Settings
    from flows.workers.worker import DocumentWorker

    worker, settings = DocumentWorker(max_documents=max_documents), Settings(threads=1)
    rss, seconds, children, failures, peak = [], [], set(), [], 0.0
    try:
        for index, path in enumerate(paths):
            started = time.perf_counter()
            outcome = worker.run(path, str(out_dir), settings, f"batch-{index}", timeout_s=600)
            seconds.append(time.perf_counter() - started)
            if outcome.kind != "done":
                failures.append({"document": path, "outcome": outcome.kind, "message": outcome.message})
            pid = worker.pid
            if pid is not None:  # None: retired after its quota (max_documents=1)
                children.add(pid)
                rss.append(round(psutil.Process(pid).memory_info().rss / 2**20, 1))
                peak = max(peak, child_high_water_mb(pid))
            if (index + 1) % 50 == 0:
                print(f"{index + 1} documents, {sum(seconds):.0f} s, child RSS {rss[-1] if rss else '-'} MB", flush=True)
    finally:
        worker.stop()
    half = len(rss) // 2
    slope = 0.0
    if half >= 2:
        import numpy as np

        slope = float(np.polyfit(np.arange(half, len(rss)), rss[half:], 1)[0]) * 100
    return {
        "documents": len(paths), "max_documents_per_worker": max_documents, "children": len(children),
        "failures": failures, "seconds": round(sum(seconds), 1),
        "mean_seconds_per_document": round(sum(seconds) / max(1, len(seconds)), 3),
        "child_peak_rss_mb": round(peak, 1),
        "rss_mb_slope_per_100_documents_second_half": round(slope, 2),
        "rss_after_document_mb": rss,
    }  # fmt: skip


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
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--max-documents-per-worker", type=int, default=0, help="0: one child for the whole batch")
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
        pages = one_page_documents(files, args.out / "one-page")
        paths = [str(pages[i % len(pages)]) for i in range(args.documents)]
        runs = batch(paths, args.out / "batch-results", args.max_documents_per_worker)
        report = {"variants": args.variants, "distinct_documents": len(pages), **runs}
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"{args.what}.json"
    target.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    summary = {k: v for k, v in report.items() if not k.startswith("rss_after")}
    print(json.dumps(summary, indent=1))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
