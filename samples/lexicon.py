"""Mine the code → name lexicon of budget classifications from real text layers.

Every 功能分类 and 经济分类 row prints its code beside its name, either in
the name's own cell (``2080505 机关事业单位基本养老保险缴费支出``) or in code
cells to its left, joined (``2080505``) or split over 类/款/项 columns
(``208 | 05 | 05``). The pairs are read from the ruled cells of the text
layer (``samples.bench.real_truth``), so only what real pages print goes in.

    python -m samples.lexicon                       # every real PDF -> table_reconstruct/vocabulary/classification/names.csv
    python -m samples.lexicon --cities 上海 北京 --out /tmp/names.csv   # mine some regions only (hold-out checks)
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Optional

from table_reconstruct.semantics.classification import join_code, scheme_of
from table_reconstruct.semantics.rows import split_leading_code

from samples.bench.real_truth import TruthCell, normalize

REPO = Path(__file__).resolve().parents[1]
LEXICON = REPO / "table_reconstruct" / "vocabulary" / "classification" / "names.csv"
_CODE_CELL = re.compile(r"^\d{2,7}$")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Indentation marks some regions print before a name ("-行政运行"): not part of the name.
_MARKS = re.compile(r"^[-—–·•*\s]+")


def _same_row(a: TruthCell, b: TruthCell) -> bool:
    return abs(a.bbox[1] - b.bbox[1]) < 1.0 and abs(a.bbox[3] - b.bbox[3]) < 1.0


def row_pairs(cells: Iterable[TruthCell]) -> list[tuple[str, str]]:
    """(code, name) of every ruled row that prints a classification code with its name, on one page."""
    cells = list(cells)
    pairs = []
    for cell in cells:
        text = normalize(cell.text)
        if not _CJK.search(text):
            continue
        code, name = split_leading_code(text)
        if code is None:
            left = sorted((c for c in cells if _same_row(c, cell) and c.bbox[2] <= cell.bbox[0] + 0.5),
                          key=lambda c: c.bbox[0])
            digits = [normalize(c.text) for c in left]
            if not digits or not all(_CODE_CELL.match(d) for d in digits):
                continue
            code, name = join_code(digits), text
        code, name = join_code(code) if code else None, _MARKS.sub("", name)
        if code and scheme_of(code) and name and _CJK.search(name):
            pairs.append((code, name))
    return pairs


def mine(pages: Iterable[tuple[str, str, list[TruthCell]]]) -> dict[tuple[str, str], dict[str, set]]:
    """For each (code, name): the documents and regions printing it; ``pages`` holds (doc, region, cells)."""
    seen: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: {"docs": set(), "regions": set()})
    for doc, region, cells in pages:
        for pair in row_pairs(cells):
            seen[pair]["docs"].add(doc)
            seen[pair]["regions"].add(region)
    return seen


def write_lexicon(seen: dict[tuple[str, str], dict[str, set]], path: Path) -> int:
    rows = sorted(((code, name, len(v["docs"]), len(v["regions"])) for (code, name), v in seen.items()))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "docs", "regions"])
        writer.writerows(rows)
    return len(rows)


def main(argv: Optional[list[str]] = None) -> int:
    from samples.bench.real import load_truth
    from samples.bench.real_corpus import SHARED, real_documents

    parser = argparse.ArgumentParser(prog="python -m samples.lexicon", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--cities", nargs="+", help="only these regions (江苏 for the Jiangsu PDFs)")
    parser.add_argument("--truth-cache", type=Path, default=REPO / "out" / "bench" / "real" / "truth.json")
    parser.add_argument("--out", type=Path, default=LEXICON)
    args = parser.parse_args(argv)
    docs = [d for d in real_documents(args.shared) if not args.cities or d.city in args.cities]
    truth = load_truth(docs, args.truth_cache) if not args.cities else \
        {k: v for k, v in load_truth(real_documents(args.shared), args.truth_cache).items()
         if k in {d.doc_id for d in docs}}
    pages = ((d.doc_id, d.city, cells) for d in docs for cells, _ in truth[d.doc_id].values())
    count = write_lexicon(mine(pages), args.out)
    print(f"{count} (code, name) pairs from {len(docs)} documents -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
