"""``python -m samples.bench [--corpus DIR] [--out DIR] [--systems ...] [--variants ...] [--rescore]``

Runs the pipeline and the naive baseline (each in its own process) over a
corpus made by ``python -m samples.synth corpus``, then scores both and
writes ``bench.json`` and ``bench.md`` into ``--out``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from ..synth.corpus import read_manifest
from .predict import SYSTEMS
from .report import VARIANT_ORDER, evaluate, markdown

REPO = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.bench", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=REPO / "samples" / "corpus" / "smoke")
    parser.add_argument("--out", type=Path, default=None, help="default out/bench/<corpus folder name>")
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    parser.add_argument("--variants", nargs="+", choices=VARIANT_ORDER, default=None)
    parser.add_argument("--rescore", action="store_true", help="score saved predictions, run nothing")
    args = parser.parse_args(argv)
    out = args.out or REPO / "out" / "bench" / args.corpus.name
    entries = [e for e in read_manifest(args.corpus) if not args.variants or e.variant in args.variants]
    if not args.rescore:
        # One process per system and variant, so each variant's peak RSS is its own.
        for system in args.systems:
            for old in (out / "preds" / system).glob("run*.json"):
                old.unlink()
            for variant in dict.fromkeys(e.variant for e in entries):
                files = [e.file for e in entries if e.variant == variant]
                subprocess.run([sys.executable, "-m", "samples.bench.predict", "--system", system, "--tag", variant,
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


if __name__ == "__main__":
    raise SystemExit(main())
