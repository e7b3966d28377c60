"""``python -m samples.bench [--corpus DIR] [--out DIR] [--systems ...] [--variants ...] [--repeats N] [--rescore]``

Runs the pipeline and the naive baseline (each in its own process) over a
corpus made by ``python -m samples.synth corpus``, then scores both and
writes ``bench.json`` and ``bench.md`` into ``--out``. With ``--repeats N``
every file is read N times in fresh processes and speeds keep each file's
fastest reading.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from samples.synth.corpus import read_manifest
from samples.bench.predict import SYSTEMS
from samples.bench.report import VARIANT_ORDER, evaluate, markdown

REPO = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.bench", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=REPO / "samples" / "corpus" / "smoke")
    parser.add_argument("--out", type=Path, default=None, help="default out/bench/<corpus folder name>")
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    parser.add_argument("--variants", nargs="+", choices=VARIANT_ORDER, default=None)
    parser.add_argument("--rescore", action="store_true", help="score saved predictions, run nothing")
    parser.add_argument("--repeats", type=int, default=1,
                        help="read every file this many times, each time in fresh processes; speeds keep each "
                             "file's fastest reading (for a shared, noisy machine)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    out = args.out or REPO / "out" / "bench" / args.corpus.name
    entries = [e for e in read_manifest(args.corpus) if not args.variants or e.variant in args.variants]
    if not args.rescore:
        for system in args.systems:
            for old in (out / "preds" / system).glob("run*.json"):
                old.unlink()
        for repeat in range(1, args.repeats + 1):
            for system, variant in run_order(args.systems, list(dict.fromkeys(e.variant for e in entries))):
                # One process per system and variant, so each variant's peak RSS is its own.
                files = [e.file for e in entries if e.variant == variant]
                tag = variant if repeat == 1 else f"{variant}.{repeat}"
                subprocess.run([sys.executable, "-m", "samples.bench.predict", "--system", system, "--tag", tag,
                                "--corpus", str(args.corpus), "--out", str(out / "preds" / system), *files],
                               check=True, cwd=REPO)
    result = evaluate(args.corpus, out / "preds", args.systems, args.variants)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    report = markdown(result) if "pipeline" in result else ""
    (out / "bench.md").write_text(report, encoding="utf-8")
    print(report)
    print(f"wrote {out / 'bench.json'} and {out / 'bench.md'}")
    return 0


def run_order(systems: list[str], variants: list[str]) -> list[tuple[str, str]]:
    """(system, variant) processes with the systems' order turned every other variant (A B, B A, A B …).

    The two sides of every ratio then run next to each other, the pipeline
    and baseline of one variant as well as the pipeline's born-digital and
    scanned-clean variants, so a machine that slows down or speeds up during
    the run moves both sides of a ratio alike.
    """
    order = []
    for index, variant in enumerate(variants):
        turn = systems[::-1] if index % 2 == 0 else systems
        order += [(system, variant) for system in turn]
    return order


if __name__ == "__main__":
    raise SystemExit(main())
