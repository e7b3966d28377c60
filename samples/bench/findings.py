"""``python -m samples.bench.findings [--real DIR] [--out DIR] [--only CITY ...]``

How far a reviewer can trust the findings on real born-digital budgets: every
PDF under shared/real (cities by MANIFEST.tsv, jiangsu as one more "city") goes
through ``flows.core.pipeline.process_file`` in this one process, reading text
layers exactly, so an ``error`` finding there is a rule bug or a genuine
publisher misprint. Reports per city: tables, tables with error findings (by
rule), documents ok / needs_review and why, unknown forms among statutory
tables, regions emitted as statutory tables that do not look like tables, the
share of known-form amount columns with a canonical name, and the recall of
injected single-cell errors (one digit of one amount changed at a time).
Nothing is cached: each run reads every PDF afresh. ``--out`` keeps each
document's result.json for inspection.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from flows.core.pipeline import process_file
from flows.core.settings import Settings
from table_reconstruct.semantics.column_roles import amount_columns
from table_reconstruct.model import DocumentResult, Table
from table_reconstruct.cells.numbers import AmountKind, read_amount
from table_reconstruct.validation import fails, table_checks, tolerance_for

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"
if not REAL.is_dir():
    REAL = Path("/work/shared/real")


@dataclass
class CityFigures:
    documents: int = 0
    ok: int = 0
    # Documents with no table at all (narrative-only files): failed, and outside the ok rate.
    failed: int = 0
    review_reasons: Counter = field(default_factory=Counter)
    tables: int = 0
    statutory: int = 0
    unknown: int = 0
    suspect_non_tables: list = field(default_factory=list)
    error_tables: int = 0
    # Of those, tables with a neighbour on the adjacent page of the same width and form (or unknown form):
    # most likely one table the page join left in two pieces, so a sum misses the other piece's rows.
    error_tables_unjoined: int = 0
    error_rules: Counter = field(default_factory=Counter)
    document_error_rules: Counter = field(default_factory=Counter)
    error_examples: list = field(default_factory=list)
    amount_columns: int = 0
    named_amount_columns: int = 0
    unnamed_headers: Counter = field(default_factory=Counter)
    unknown_titles: Counter = field(default_factory=Counter)
    injected: int = 0
    caught: int = 0
    seconds: float = 0.0


def real_documents(real: Path) -> list[tuple[str, Path]]:
    """(city, pdf) for every listed city budget and every jiangsu budget (the real track's own listing)."""
    from samples.bench.real_corpus import real_documents as listed

    return [(doc.city, doc.source) for doc in listed(real) if doc.source.is_file()]


def is_statutory(table: Table) -> bool:
    return getattr(table, "kind", "statutory") == "statutory"  # (results of versions before kinds: all statutory)


def looks_like_non_table(table: Table) -> str | None:
    """Why a region emitted as a statutory table does not look like one (a heuristic to send a person to look)."""
    title = table.title or ""
    if "目录" in title:
        return "目录"
    if not title and not any(level for column in table.columns for level in column.header_path):
        return "no title and no header"
    if not title.rstrip("（）()单位万元：: ").endswith("表") and not table.header_rows:
        return "no table title and no header"
    if re.search(r"[。；]|如下|见下表", title):
        return "sentence for a title"
    return None


INJECTED_PER_TABLE = 40


def injected_recall(table: Table, per_table: int = INJECTED_PER_TABLE) -> tuple[int, int]:
    """(injected, caught): number cells of amount columns (up to ``INJECTED_PER_TABLE``, evenly spread) with
    their leading digit changed, one at a time; caught when a check involving the cell fails beyond what rounding
    of its printed figures explains (``validation.fails``)."""
    tolerance = tolerance_for(table)
    injected = caught = 0
    columns = set(amount_columns(table))
    cells = [c for c in table.cells if c.col in columns and c.row >= table.header_rows
             and read_amount(c.text).kind is AmountKind.NUMBER and read_amount(c.text).value]
    step = max(1, len(cells) // per_table) if per_table else 1  # evenly spread over the table: the run stays a few minutes
    for cell in cells[::step]:
        original = cell.text
        index = next(i for i, ch in enumerate(original) if ch.isdigit())
        cell.text = original[:index] + str((int(original[index]) + 1) % 10) + original[index + 1:]
        injected += 1
        if any(fails(c, tolerance) for c in table_checks(table) if (cell.row, cell.col) in c.cells):
            caught += 1
        cell.text = original
    return injected, caught


def review_reason_kinds(result: DocumentResult) -> list[str]:
    reasons = getattr(result.document, "review_reasons", None) or []
    return sorted({getattr(r, "kind", str(r)) for r in reasons}) or ["(no reason given)"]


def unjoined_neighbour(tables: list[Table], index: int) -> bool:
    table = tables[index]
    for other in (tables[index - 1] if index else None, tables[index + 1] if index + 1 < len(tables) else None):
        if other is None or not other.pages or not table.pages or other.n_cols != table.n_cols:
            continue
        adjacent = other.pages[0] == table.pages[-1] + 1 or other.pages[-1] + 1 == table.pages[0]
        if adjacent and other.form in ("unknown", table.form):
            return True
    return False


def tally(city: CityFigures, result: DocumentResult, name: str, recall: int | None) -> None:
    city.documents += 1
    if result.document.status.value == "ok":
        city.ok += 1
    elif result.document.status.value == "failed":
        city.failed += 1
    else:
        for kind in review_reason_kinds(result):
            city.review_reasons[kind] += 1
    for finding in result.validation:
        if finding.severity == "error":
            city.document_error_rules[finding.rule] += 1
            city.error_examples.append(f"{name} doc {finding.rule} expected {finding.expected} found {finding.found}")
    for index, table in enumerate(result.tables):
        city.tables += 1
        if not is_statutory(table):
            continue
        city.statutory += 1
        if table.form == "unknown":
            city.unknown += 1
            city.unknown_titles[(table.title or "")[:40]] += 1
        if (why := looks_like_non_table(table)) is not None:
            city.suspect_non_tables.append(f"{name} p{table.pages} {why}: {(table.title or '')[:30]}")
        errors = [f for f in table.validation if f.severity == "error"]
        if errors:
            city.error_tables += 1
            city.error_tables_unjoined += unjoined_neighbour(result.tables, index)
            for rule in {f.rule for f in errors}:
                city.error_rules[rule] += 1
            first = errors[0]
            city.error_examples.append(f"{name} t{index} p{table.pages} {table.form} {first.rule} cells {first.cells[:3]}"
                                       f" expected {first.expected} found {first.found}")
        if table.form != "unknown":
            for col in amount_columns(table):
                city.amount_columns += 1
                if table.columns[col].canonical:
                    city.named_amount_columns += 1
                else:
                    city.unnamed_headers["›".join(table.columns[col].header_path)[:40]] += 1
        if recall is not None:
            injected, caught = injected_recall(table, recall)
            city.injected += injected
            city.caught += caught


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def report(figures: dict[str, CityFigures]) -> str:
    lines = ["| city | docs | failed (no table) | ok | tables | statutory | tables w/ error | of which unjoined | unknown form "
             "| suspect non-tables | amount cols named | injected recall |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    total = CityFigures()
    for name, city in [*figures.items(), ("all", total)]:
        if name != "all":
            for key, value in vars(city).items():
                if isinstance(value, (int, float)):
                    setattr(total, key, getattr(total, key) + value)
                elif isinstance(value, (Counter, list)):
                    getattr(total, key).update(value) if isinstance(value, Counter) else getattr(total, key).extend(value)
        lines.append(f"| {name} | {city.documents} | {city.failed} | {city.ok} | {city.tables} | {city.statutory} | "
                     f"{city.error_tables} ({pct(city.error_tables, city.statutory)}) | {city.error_tables_unjoined} | "
                     f"{city.unknown} ({pct(city.unknown, city.statutory)}) | {len(city.suspect_non_tables)} | "
                     f"{pct(city.named_amount_columns, city.amount_columns)} | {pct(city.caught, city.injected)} |")
    lines += ["", f"needs_review reasons (documents): {dict(total.review_reasons)}",
              f"table error rules: {dict(total.error_rules.most_common())}",
              f"document error rules: {dict(total.document_error_rules.most_common())}",
              f"injected single-cell errors: {total.caught} of {total.injected} caught",
              f"time: {total.seconds:.0f} s", "", "unknown titles:"]
    lines += [f"  {n} × {t}" for t, n in total.unknown_titles.most_common(40)]
    lines += ["", "unnamed amount headers (known forms):"]
    lines += [f"  {n} × {h}" for h, n in total.unnamed_headers.most_common(40)]
    lines += ["", "suspect non-tables:"] + [f"  {s}" for s in total.suspect_non_tables[:40]]
    lines += ["", "error examples:"] + [f"  {s}" for s in total.error_examples[:80]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.bench.findings", description=__doc__.split("\n\n")[1])
    parser.add_argument("--real", type=Path, default=REAL)
    parser.add_argument("--out", type=Path, default=None, help="write each document's result.json here")
    parser.add_argument("--only", nargs="*", default=None, help="cities to run (default: all)")
    parser.add_argument("--no-recall", action="store_true", help="skip the injected-error recall (faster)")
    parser.add_argument("--injections", type=int, default=INJECTED_PER_TABLE,
                        help="injected errors per table, evenly spread (0: every amount cell, slower)")
    args = parser.parse_args(argv)
    documents = [(c, p) for c, p in real_documents(args.real) if not args.only or c in args.only]
    if not documents:
        print(f"no real documents under {args.real}")
        return 1
    figures: dict[str, CityFigures] = defaultdict(CityFigures)
    settings = Settings()
    for city, pdf in documents:
        started = time.perf_counter()
        result = process_file(pdf, settings)
        tally(figures[city], result, pdf.stem, None if args.no_recall else args.injections)
        figures[city].seconds += time.perf_counter() - started
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{pdf.stem}.json").write_text(result.model_dump_json(indent=1), encoding="utf-8")
    print(report(dict(sorted(figures.items()))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
