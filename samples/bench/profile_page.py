"""Where one page's time goes, stage by stage (cProfile, CPU seconds, one ONNX thread).

    python -m samples.bench.profile_page FILE [--page N] [--system pipeline|baseline]

CPU time is used rather than wall time because the machines this runs on
are shared; with one ONNX Runtime thread the two agree on an idle machine.
Stages are cumulative times of the functions that implement them, so the
table needs no timers inside the pipeline. pdf2image renders in a pdftoppm
child process, whose CPU time is added to the rasterize stage.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import time
from pathlib import Path

import cv2

from flows.core.engine_cache import shared_engine
from flows.core.pipeline import process_file
from flows.core.settings import Settings
from ocr.pages.rasterize import RASTERIZERS

from samples.bench.baseline import baseline_document

# (label, module file suffix, function name), in pipeline order.
STAGES = (
    ("rasterize (pdf2image / pdfium)", "ocr/pages/rasterize.py", "iter_pages"),
    ("text layer: characters + objects (pdfium)", "ocr/pages/pdfium_doc.py", "text_layer"),
    ("pdfium page render (grid render, or rasterizer)", "ocr/pages/pdfium_doc.py", "render"),
    ("text layer: cells filled from characters", "table_reconstruct/cells/layer_cells.py", "layer_readings"),
    ("text layer: sampled cells rendered + OCR'd", "table_reconstruct/tables/reconstruct_layer.py", "read_sampled"),
    ("page geometry: orientation + deskew", "table_reconstruct/page/page_geometry.py", "correct_page"),
    ("  of which the 0/180 line classifier (ONNX)", "ocr/engines/rapid.py", "turned_probabilities"),
    ("ruling lines (binarize, morphology)", "table_reconstruct/grid/lines.py", "extract_lines"),
    ("  of which rule mending", "table_reconstruct/grid/lines.py", "mended_rules"),
    ("table regions", "table_reconstruct/grid/lines.py", "find_table_regions"),
    ("grid (separators, spans)", "table_reconstruct/grid/grid.py", "build_grid"),
    ("rules painted out, specks removed", "table_reconstruct/cells/cell_text.py", "prepare_text_page"),
    ("cells: line boxes + crops + recognize", "table_reconstruct/cells/cell_text.py", "read_cells"),
    ("  of which recognition (ONNX)", "ocr/engines/rapid.py", "recognize"),
    ("caption: detect + recognize", "table_reconstruct/cells/page_text.py", "read_text_lines"),
    ("  of which detection (ONNX)", "ocr/engines/rapid.py", "detect"),
    ("caption parsing", "table_reconstruct/tables/title.py", "read_caption"),
    ("header rows, paths, mapping", "table_reconstruct/tables/assemble.py", "assemble_table"),
)


def stage_seconds(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds per stage label (0 when the stage did not run)."""
    found = {label: 0.0 for label, _, _ in STAGES}
    for (filename, _, function), (_, _, _, cumulative, _) in stats.stats.items():
        for label, suffix, name in STAGES:
            if function == name and filename.replace("\\", "/").endswith(suffix):
                found[label] += cumulative
    return found


def profile(path: Path, page: int, system: str, rasterizer: str = Settings.rasterizer) -> tuple[float, dict[str, float]]:
    settings = Settings(pages=str(page), threads=1, rasterizer=rasterizer)
    cv2.setNumThreads(1)  # one OpenCV thread too, as in an archive worker and the benchmark
    engine = shared_engine(settings.engine, 1, stock=system == "baseline")
    run = (lambda: process_file(path, settings, engine=engine)) if system == "pipeline" else \
        (lambda: baseline_document(path, settings.dpi, engine, pages=str(page)))
    run()  # warm-up: first ONNX calls allocate
    profiler = cProfile.Profile(time.process_time)
    started, children = time.process_time(), _children_cpu()
    profiler.runcall(run)
    child = _children_cpu() - children
    stages = stage_seconds(pstats.Stats(profiler))
    stages["rasterize (pdf2image / pdfium)"] += child
    return time.process_time() - started + child, stages


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def markdown(path: Path, page: int, system: str, total: float, stages: dict[str, float]) -> str:
    rows = [f"Profile of {path.name} page {page} ({system}), {total:.2f} s CPU, one ONNX thread:\n",
            "| Stage | CPU s | Share |", "|---|---:|---:|"]
    for label, seconds in stages.items():
        if seconds:
            rows.append(f"| {label} | {seconds:.3f} | {100 * seconds / total:.1f} % |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.bench.profile_page", description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--system", choices=("pipeline", "baseline"), default="pipeline")
    parser.add_argument("--rasterizer", choices=RASTERIZERS, default=Settings.rasterizer)
    args = parser.parse_args(argv)
    total, stages = profile(args.file, args.page, args.system, args.rasterizer)
    print(markdown(args.file, args.page, args.system, total, stages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
