"""Wall time of one ``disclosure-ocr run`` on a one-page born-digital PDF, as a user meets it.

    python -m samples.bench.cli_latency [--repeats 5] [--out out/bench/cli_latency.json]

Each reading is a fresh CLI process (imports, model load, the page, outputs,
review index), untracked (the default with no Prefect API configured) and with
``--track`` (a Prefect flow run on the ephemeral API), alternating so that both
see the same machine load. The fastest of the readings is kept for each, as in
the rest of the benchmark (other work on a shared machine only slows a reading).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "samples" / "corpus" / "smoke" / "doc02.born-digital.pdf"


def one_page_pdf(target: Path) -> Path:
    source = pypdfium2.PdfDocument(str(SOURCE))
    document = pypdfium2.PdfDocument.new()
    document.import_pages(source, [0])
    document.save(str(target))
    return target


def timed_run(pdf: Path, work: Path, track: bool) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(work / "prefect-home")
    command = [sys.executable, "-m", "flows.cli", "run", str(pdf), "--out", str(work / "out"), "--track" if track else "--no-track"]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=REPO)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "out" / "bench" / "cli_latency.json")
    args = parser.parse_args(argv)
    readings: dict[str, list[float]] = {"untracked": [], "tracked": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pdf = one_page_pdf(work / "one-page.pdf")
        timed_run(pdf, work, track=True)  # Prefect's database created and migrated once, off the record
        for _ in range(args.repeats):
            for name in ("untracked", "tracked"):
                readings[name].append(timed_run(pdf, work, track=name == "tracked"))
    summary = {name: {"fastest_s": round(min(values), 2), "median_s": round(sorted(values)[len(values) // 2], 2),
                      "readings_s": [round(v, 2) for v in values]} for name, values in readings.items()}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
