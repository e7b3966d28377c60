"""CLI: ``python -m samples.synth sample [--out DIR] [--seed N]`` | ``born-digital --out DIR``."""

from __future__ import annotations

import argparse
from pathlib import Path

from .sample import SAMPLE_SEED, build_born_digital, build_sample

SAMPLES_DIR = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.synth", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_sample = sub.add_parser("sample", help="(re)generate samples/scanned_budget_sample.pdf + .truth.json")
    p_sample.add_argument("--out", type=Path, default=SAMPLES_DIR)
    p_sample.add_argument("--seed", type=int, default=SAMPLE_SEED)
    p_digital = sub.add_parser("born-digital", help="the same document as a born-digital PDF + truth")
    p_digital.add_argument("--out", type=Path, required=True)
    p_digital.add_argument("--seed", type=int, default=SAMPLE_SEED)
    args = parser.parse_args(argv)
    build = build_sample if args.command == "sample" else build_born_digital
    for path in build(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
