"""Identity and panel benchmark on the real disclosures: ``python -m samples.bench.identity``.

Runs the born-digital path (``flows.core.pipeline.process_file``, text layers) over
every PDF of ``../shared/real`` (cities and jiangsu) and reports per city:

- identity: department, fiscal year and kind right, against ``identity_truth.tsv``
  (written by hand from each cover page and checked against MANIFEST.tsv's
  original file names; the check may read file names, the extraction never does);
- panel: of the amounts in statutory tables (a known form), the share whose row
  prints a classification code that carries ``row_code`` (and the same digits),
  and the share with a canonical column.

``--results DIR`` keeps each document's result.json there and reuses it on the
next run (score again without reprocessing).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from table_reconstruct.model import DocumentResult

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"
TRUTH = Path(__file__).with_name("identity_truth.tsv")
# A classification code printed in a row's label cells: "201", "2010301", "201 一般公共服务支出", "30101".
_PRINTED_CODE = re.compile(r"^\s*([235]\d{2}(?:\d{2}){0,2})(?:\s|[-－—:：]|[\u4e00-\u9fff]|$)")
_BARE_CODE = re.compile(r"^\s*[235]\d{2}(?:\d{2}){0,2}\s*$")
_CODE_PART = re.compile(r"^\s*(\d{2,7})(?!\d)")


def documents(root: Path = REAL) -> list[tuple[str, Path]]:
    """(city, path) for every real PDF: the cities by MANIFEST.tsv, jiangsu as one group."""
    from samples.bench.real_corpus import real_documents

    return [(doc.city, doc.source) for doc in real_documents(root)]


def result_of(path: Path, cache: Path | None, force_ocr: bool = False, pages: str | None = None) -> DocumentResult:
    from flows.core.pipeline import process_file
    from flows.core.settings import Settings

    cached = cache / f"{path.stem}.json" if cache else None
    if cached is not None and cached.is_file():
        return DocumentResult.model_validate_json(cached.read_text(encoding="utf-8"))
    result = process_file(path, Settings(force_ocr=force_ocr, pages=pages))
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(result.model_dump_json(), encoding="utf-8")
    return result


def load_truth(path: Path = TRUTH) -> dict[str, dict]:
    with path.open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


def same_name(a: str | None, b: str | None) -> bool:
    """Names compared as printed, ignoring spacing, bracket width and a trailing （本级）."""
    def key(text: str | None) -> str:
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).replace("(", "（").replace(")", "）")
        return re.sub(r"（本级）$", "", text)

    return key(a) == key(b)


def identity_misses(result: DocumentResult, truth: dict) -> list[str]:
    """Each field that differs from the truth, with both values (and the truth's note on the cause)."""
    misses = []
    got = {name: result.identity.value(name) for name in ("department", "year", "kind")}
    for name in ("department", "year", "kind"):
        expected = truth[name] or None
        ok = same_name(got[name], expected) if name == "department" else (got[name] or None) == expected
        if not ok:
            misses.append(f"{name}: got {got[name]!r}, cover says {expected!r}")
    return misses


@dataclass
class PanelCounts:
    values: int = 0
    code_printed: int = 0
    code_filled: int = 0
    code_right: int = 0
    canonical: int = 0
    # Values of tables of no known form (often a continuation page whose header is lost), not counted above.
    other_values: int = 0
    unmapped_headers: dict = field(default_factory=lambda: defaultdict(int))


def printed_code(cells: dict[int, str], col: int, code_cols: set[int], label_cols: set[int]) -> str | None:
    """The classification code the row prints for the amount at ``col``, read from the label cells on its left.

    The nearest name cell decides when it leads with a code ("30101-基本工资",
    "201 一般公共服务支出", or a bare "201" in a column nobody named); else the
    code cells are joined (类 | 款 | 项 → 2010301).
    """
    left = [c for c in sorted(cells) if c < col and cells[c] and cells[c].strip()]
    for c in reversed(left):
        if c in label_cols and c not in code_cols:
            match = _PRINTED_CODE.match(cells[c])
            if match:
                return match.group(1)
            break
    parts = [_CODE_PART.match(cells[c]) for c in left if c in code_cols]
    joined = "".join(m.group(1) for m in parts if m)
    return joined if len(joined) in (3, 5, 7) else None


def bench_code_columns(table) -> set[int]:
    """Columns that print codes, judged here on their own: named as code columns, or half their filled cells bare codes.

    Deliberately looser than the pipeline's test (no nesting asked), so a code column it misses still counts here.
    """
    from table_reconstruct.semantics.column_roles import is_code_column

    found = set()
    for column in table.columns:
        body = [c.text for c in table.cells if c.col == column.index and c.row >= table.header_rows and c.text.strip()]
        bare = sum(1 for text in body if _BARE_CODE.match(text))
        if is_code_column(table, column.index) or (bare >= 2 and bare >= 0.5 * len(body)):
            found.add(column.index)
    return found


def panel_counts(result: DocumentResult, counts: PanelCounts) -> None:
    """Count the statutory tables' amounts: code where printed, canonical column."""
    from flows.store.tidy import flagged_cells, label_columns, tidy_rows

    flagged = flagged_cells(result)
    for index, table in enumerate(result.tables):
        if table.form == "unknown":
            counts.other_values += sum(1 for c in table.cells if c.value is not None)
            continue
        code_cols = bench_code_columns(table)
        label_cols = label_columns(table)
        texts: dict[int, dict[int, str]] = defaultdict(dict)
        for cell in table.cells:
            texts[cell.row][cell.col] = cell.text
        for row in tidy_rows(result, index, result.identity.fiscal_year(), flagged):
            if row["value"] is None:
                continue
            counts.values += 1
            if row["canonical_column"]:
                counts.canonical += 1
            else:
                header = next((c.header_path for c in table.columns if c.index == row["column_index"]), [])
                counts.unmapped_headers["/".join(header) or "(no header)"] += 1
            code = printed_code(texts[row["row"]], row["column_index"], code_cols, label_cols)
            if code:
                counts.code_printed += 1
                counts.code_filled += bool(row["row_code"])
                counts.code_right += (row["row_code"] or "") == code


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f} %" if whole else "–"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, help="folder caching each document's result.json")
    parser.add_argument("--only", help="substring of the file names to run")
    parser.add_argument("--force-ocr", action="store_true", help="read every page by OCR, as a scan would be")
    parser.add_argument("--pages", help="pages of each document, e.g. 1-3 (identity from the front pages)")
    args = parser.parse_args(argv)
    truth = load_truth()
    by_city: dict[str, dict] = defaultdict(lambda: {"docs": 0, "right": 0, "panel": PanelCounts()})
    misses: list[tuple[str, str, list[str], str]] = []
    for city, path in documents():
        if args.only and args.only not in path.name:
            continue
        result = result_of(path, args.results, args.force_ocr, args.pages)
        entry = by_city[city]
        entry["docs"] += 1
        row = truth.get(path.name)
        wrong = identity_misses(result, row) if row else ["no truth row"]
        entry["right"] += not wrong
        if wrong:
            misses.append((city, path.name, wrong, (row or {}).get("note", "")))
        panel_counts(result, entry["panel"])
        print(f"{path.name}: {'ok' if not wrong else '; '.join(wrong)}", file=sys.stderr)
    print(markdown(by_city, misses))
    return 0


def markdown(by_city: dict, misses: list) -> str:
    lines = ["| city | documents | identity right | statutory values | code where printed | code = printed digits | canonical column |",
             "|---|---|---|---|---|---|---|"]
    total = {"docs": 0, "right": 0, "panel": PanelCounts()}
    for city, entry in by_city.items():
        p = entry["panel"]
        lines.append(f"| {city} | {entry['docs']} | {entry['right']} ({pct(entry['right'], entry['docs'])}) | {p.values} "
                     f"| {pct(p.code_filled, p.code_printed)} of {p.code_printed} | {pct(p.code_right, p.code_printed)} "
                     f"| {pct(p.canonical, p.values)} |")
        total["docs"] += entry["docs"]
        total["right"] += entry["right"]
        for name in ("values", "code_printed", "code_filled", "code_right", "canonical", "other_values"):
            setattr(total["panel"], name, getattr(total["panel"], name) + getattr(p, name))
        for header, n in p.unmapped_headers.items():
            total["panel"].unmapped_headers[header] += n
    p = total["panel"]
    lines.append(f"| **all** | {total['docs']} | {total['right']} ({pct(total['right'], total['docs'])}) | {p.values} "
                 f"| {pct(p.code_filled, p.code_printed)} of {p.code_printed} | {pct(p.code_right, p.code_printed)} "
                 f"| {pct(p.canonical, p.values)} |")
    lines += ["", "Identity misses:", ""]
    lines += [f"- {city} `{name}`: {'; '.join(wrong)}{(' — ' + note) if note else ''}" for city, name, wrong, note in misses] or ["- none"]
    top = sorted(p.unmapped_headers.items(), key=lambda item: -item[1])[:15]
    headed = sum(n for header, n in p.unmapped_headers.items() if header != "(no header)")
    lines += ["", f"Values in tables of no known form (not counted above): {p.other_values}.",
              f"Statutory values without a canonical column: {p.values - p.canonical}, of which {headed} under a printed "
              "header the vocabulary does not name (vocabulary work) and the rest without any header.",
              "", "Statutory values without a canonical column, by header (top 15):", ""]
    lines += [f"- {header}: {n}" for header, n in top]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
