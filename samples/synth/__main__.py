"""CLI: ``python -m samples.synth sample [--out DIR] [--seed N]`` | ``born-digital --out DIR`` |
``corpus [--out DIR] [--seed N] [--docs N] [--smoke] [--real-dir DIR]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from samples.synth.corpus import DEFAULT_DOCS, build_corpus
from samples.synth.sample import SAMPLE_SEED, build_born_digital, build_sample

SAMPLES_DIR = Path(__file__).resolve().parent.parent
# shared/ sits beside the checkout (see shared/README.md).
DEFAULT_REAL_DIR = SAMPLES_DIR.parent.parent / "shared" / "real" / "jiangsu"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.synth", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_sample = sub.add_parser("sample", help="(re)generate samples/scanned_budget_sample.pdf + .truth.json")
    p_sample.add_argument("--out", type=Path, default=SAMPLES_DIR)
    p_sample.add_argument("--seed", type=int, default=SAMPLE_SEED)
    p_digital = sub.add_parser("born-digital", help="the same document as a born-digital PDF + truth")
    p_digital.add_argument("--out", type=Path, required=True)
    p_digital.add_argument("--seed", type=int, default=SAMPLE_SEED)
    p_corpus = sub.add_parser("corpus", help="benchmark corpus (default samples/corpus/full, or /smoke)")
    p_corpus.add_argument("--out", type=Path, default=None)
    p_corpus.add_argument("--seed", type=int, default=0)
    p_corpus.add_argument("--docs", type=int, default=DEFAULT_DOCS, help="synthetic documents (x4 variants)")
    p_corpus.add_argument("--smoke", action="store_true", help="only the small committed subset")
    p_corpus.add_argument("--real-dir", type=Path, default=DEFAULT_REAL_DIR,
                          help="folder of the real Jiangsu PDFs (skipped when missing)")
    args = parser.parse_args(argv)
    if args.command == "corpus":
        out = args.out or SAMPLES_DIR / "corpus" / ("smoke" if args.smoke else "full")
        manifest = build_corpus(out, args.seed, args.docs, args.smoke, args.real_dir)
        print(manifest)
        return 0
    build = build_sample if args.command == "sample" else build_born_digital
    for path in build(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
