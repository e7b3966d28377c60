"""Score predicted tables against truth: pure functions over ``DocumentResult``s.

Both sides are cut into per-page *fragments* first (a table continued on the
next page is two fragments, rows renumbered from 0 on each page), so a
system that returns per-page tables and one that joins them are scored
alike. Then, per page:

* detection: truth and predicted fragments are paired greedily by bbox IoU
  (≥ ``IOU_MATCH``); recall = paired / truth, precision = paired / predicted.
* structure: a truth fragment is exactly right when its pair has the same
  rows, columns and merged cells; TEDS-struct measures how close it is.
* cells: each truth body cell is looked up in its pair by its centre point
  (so an extra row costs the rows it displaces, not the whole table), and its
  text compared after NFKC and removing whitespace. Unpaired fragments score
  zero everywhere.
* headers: a truth column is followed to the predicted column most of its
  cells land in; its canonical name must match (for names the pipeline's
  vocabulary knows); out-of-vocabulary columns should stay unmapped.
* forms: the header-bearing fragment's standard form (``Table.form``) must
  equal the truth's, for truth tables whose form is known.
* amount tokens: multiset recall/precision of ``1,234.56``-style numbers per
  page, the only score for real pages whose truth is just their text layer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Collection, Iterable, Optional

from table_reconstruct.model import Cell, Column, DocumentResult, Table

from samples.numeric_tokens import amount_tokens, multiset_overlap
from samples.bench.teds import struct_rows, teds_struct

BBox = tuple[float, float, float, float]
IOU_MATCH = 0.5
_NUMBER = re.compile(r"^-?\d[\d,]*(\.\d+)?$")


@dataclass(frozen=True)
class Fragment:
    """The part of one table on one page, rows renumbered from 0 there."""

    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    header_rows: int
    cells: tuple[Cell, ...]
    columns: tuple[Column, ...]
    title: Optional[str]
    form: str
    first: bool  # holds the table's first rows (header, caption)
    table_pages: tuple[int, ...]


@dataclass
class Counts:
    """Additive tallies; ``metrics`` turns a sum of them into rates."""

    pages: int = 0
    tables_truth: int = 0
    tables_pred: int = 0
    tables_matched: int = 0
    structure_exact: int = 0
    teds_sum: float = 0.0
    cells: int = 0
    cells_correct: int = 0
    nonempty: int = 0
    nonempty_correct: int = 0
    numeric: int = 0
    numeric_correct: int = 0
    columns: int = 0
    columns_correct: int = 0
    oov_columns: int = 0
    oov_unmapped: int = 0
    titles: int = 0
    titles_correct: int = 0
    forms: int = 0
    forms_correct: int = 0
    multipage: int = 0
    multipage_joined: int = 0
    joins_pred: int = 0
    joins_right: int = 0
    tokens_truth: int = 0
    tokens_pred: int = 0
    tokens_matched: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


def normalize_text(text: str) -> str:
    """Comparison form: NFKC (full-width → half-width), no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(normalize_text(text)))


def same_number(truth: str, predicted: str) -> bool:
    """Equal value for decimals (``5.50`` = ``5.5``); equal digits for integers (code ``03`` ≠ ``3``)."""
    t, p = normalize_text(truth).replace(",", ""), normalize_text(predicted).replace(",", "")
    if not _NUMBER.match(p):
        return False
    if "." not in t:
        return t == p
    try:
        return Decimal(t) == Decimal(p)
    except InvalidOperation:
        return False


def iou(a: BBox, b: BBox) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _union(boxes: Iterable[BBox]) -> BBox:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def table_fragments(table: Table) -> list[Fragment]:
    """One fragment per page the table's cells are on."""
    pages = sorted({c.page for c in table.cells}) or list(table.pages)
    out = []
    for page in pages:
        cells = [c for c in table.cells if c.page == page]
        if not cells:
            continue
        top = min(c.row for c in cells)
        renumbered = tuple(c.model_copy(update={"row": c.row - top}) for c in cells)
        n_rows = max(c.row + c.rowspan for c in cells) - top
        single = len(pages) == 1 and table.bbox is not None
        bbox = tuple(table.bbox) if single else _union(c.bbox for c in cells)
        first = page == pages[0]
        out.append(Fragment(page, bbox, n_rows, table.n_cols, max(0, table.header_rows - top), renumbered,
                            tuple(table.columns), table.title if first else None, table.form, first, tuple(pages)))
    return out


def fragments(doc: DocumentResult) -> list[Fragment]:
    return [f for table in doc.tables for f in table_fragments(table)]


def match_fragments(truth: list[Fragment], pred: list[Fragment], threshold: float = IOU_MATCH) -> dict[int, int]:
    """Truth index → predicted index, greedily by IoU on the same page."""
    pairs = sorted(((iou(t.bbox, p.bbox), i, j) for i, t in enumerate(truth) for j, p in enumerate(pred)
                    if t.page == p.page), reverse=True)
    matched: dict[int, int] = {}
    used: set[int] = set()
    for overlap, i, j in pairs:
        if overlap < threshold:
            break
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    return matched


def cell_at(fragment: Fragment, x: float, y: float) -> Optional[Cell]:
    """The smallest predicted cell whose bbox contains the point."""
    hits = [c for c in fragment.cells if c.bbox[0] <= x <= c.bbox[2] and c.bbox[1] <= y <= c.bbox[3]]
    return min(hits, key=lambda c: (c.bbox[2] - c.bbox[0]) * (c.bbox[3] - c.bbox[1]), default=None)


def _centre(cell: Cell) -> tuple[float, float]:
    return (cell.bbox[0] + cell.bbox[2]) / 2, (cell.bbox[1] + cell.bbox[3]) / 2


def _spans(fragment: Fragment) -> list[tuple[int, int, int, int]]:
    return [(c.row, c.col, c.rowspan, c.colspan) for c in fragment.cells]


def merged_cells(fragment: Fragment) -> set[tuple[int, int, int, int]]:
    return {s for s in _spans(fragment) if s[2] > 1 or s[3] > 1}


def structure_counts(truth: Fragment, pred: Optional[Fragment]) -> Counts:
    if pred is None:
        return Counts()
    exact = (truth.n_rows, truth.n_cols) == (pred.n_rows, pred.n_cols) and merged_cells(truth) == merged_cells(pred)
    similarity = teds_struct(struct_rows(truth.n_rows, truth.n_cols, _spans(truth)),
                             struct_rows(pred.n_rows, pred.n_cols, _spans(pred)))
    return Counts(structure_exact=int(exact), teds_sum=similarity)


def cell_counts(truth: Fragment, pred: Optional[Fragment]) -> Counts:
    """Body cells of ``truth`` read right in ``pred`` (found by centre point)."""
    counts = Counts()
    for cell in truth.cells:
        if cell.row < truth.header_rows:
            continue
        hit = cell_at(pred, *_centre(cell)) if pred else None
        ok = hit is not None and normalize_text(hit.text) == normalize_text(cell.text)
        counts.cells += 1
        counts.cells_correct += ok
        if normalize_text(cell.text):
            counts.nonempty += 1
            counts.nonempty_correct += ok
        if is_number(cell.text):
            counts.numeric += 1
            counts.numeric_correct += hit is not None and same_number(cell.text, hit.text)
    return counts


def predicted_column(truth: Fragment, column: int, pred: Fragment) -> Optional[int]:
    """The predicted column most single-column cells of truth ``column`` fall into."""
    votes: Counter[int] = Counter()
    for cell in truth.cells:
        if cell.col == column and cell.colspan == 1:
            hit = cell_at(pred, *_centre(cell))
            if hit is not None and hit.colspan == 1:
                votes[hit.col] += 1
    return votes.most_common(1)[0][0] if votes else None


def header_counts(truth: Fragment, pred: Optional[Fragment], vocabulary: Collection[str]) -> Counts:
    """Canonical names of the header-bearing fragment's columns, and its title."""
    counts = Counts()
    if not truth.first:
        return counts
    if truth.title:
        counts.titles = 1
        got = normalize_text(pred.title or "") if pred else None
        counts.titles_correct = int(got == normalize_text(truth.title))
    if truth.form != "unknown":
        counts.forms = 1
        counts.forms_correct = int(pred is not None and pred.form == truth.form)
    by_index = {c.index: c.canonical for c in pred.columns} if pred else {}
    for column in truth.columns:
        if not column.canonical:
            continue
        k = predicted_column(truth, column.index, pred) if pred else None
        got = by_index.get(k) if k is not None else None
        if column.canonical in vocabulary:
            counts.columns += 1
            counts.columns_correct += got == column.canonical
        elif pred is not None:
            counts.oov_columns += 1
            counts.oov_unmapped += got is None
    return counts


def _page_tokens(doc: DocumentResult) -> dict[int, list[str]]:
    tokens: dict[int, list[str]] = {}
    for table in doc.tables:
        for cell in table.cells:
            tokens.setdefault(cell.page, []).extend(amount_tokens(cell.text))
    return tokens


def token_counts(truth_pages: dict[int, list[str]], pred: DocumentResult) -> Counts:
    """Amount tokens per page: truth from the grid or text layer, predicted from all cells."""
    predicted = _page_tokens(pred)
    counts = Counts()
    for page in set(truth_pages) | set(predicted):
        t, p = truth_pages.get(page, []), predicted.get(page, [])
        counts.tokens_truth += len(t)
        counts.tokens_pred += len(p)
        counts.tokens_matched += multiset_overlap(t, p)
    return counts


def _cell_pages(table: Table) -> list[int]:
    return sorted({c.page for c in table.cells})


def multipage_counts(truth: DocumentResult, pred: DocumentResult) -> Counts:
    """Cross-page joins: truth tables over several pages that came out as one table over the same
    pages (recall), and predicted multi-page tables that are such a truth table (precision)."""
    counts = Counts()
    truth_spans = [_cell_pages(t) for t in truth.tables if len(_cell_pages(t)) > 1]
    pred_spans = [_cell_pages(t) for t in pred.tables if len(_cell_pages(t)) > 1]
    counts.multipage = len(truth_spans)
    counts.multipage_joined = sum(pages in pred_spans for pages in truth_spans)
    counts.joins_pred = len(pred_spans)
    counts.joins_right = sum(pages in truth_spans for pages in pred_spans)
    return counts


def score_document(truth: DocumentResult, pred: DocumentResult, vocabulary: Collection[str]) -> Counts:
    """All counts for one document with a table truth."""
    t_frags, p_frags = fragments(truth), fragments(pred)
    matched = match_fragments(t_frags, p_frags)
    total = Counts(pages=truth.document.pages, tables_truth=len(t_frags), tables_pred=len(p_frags),
                   tables_matched=len(matched))
    for i, t in enumerate(t_frags):
        p = p_frags[matched[i]] if i in matched else None
        total = total + structure_counts(t, p) + cell_counts(t, p) + header_counts(t, p, vocabulary)
    return total + token_counts(_page_tokens(truth), pred) + multipage_counts(truth, pred)


def score_tokens_only(truth_pages: dict[int, list[str]], n_pages: int, pred: DocumentResult) -> Counts:
    """Counts for a real page set whose only truth is its amount tokens."""
    return Counts(pages=n_pages, tables_pred=len(fragments(pred))) + token_counts(truth_pages, pred)


def rate(num: float, den: float) -> Optional[float]:
    return None if den == 0 else num / den


def metrics(c: Counts) -> dict[str, Optional[float]]:
    """The rates reported per variant; ``None`` where nothing was there to score."""
    return {
        "table_recall": rate(c.tables_matched, c.tables_truth),
        "table_precision": rate(c.tables_matched, c.tables_pred) if c.tables_truth else None,
        "structure_exact": rate(c.structure_exact, c.tables_truth),
        "teds_struct": rate(c.teds_sum, c.tables_truth),
        "cell_accuracy": rate(c.cells_correct, c.cells),
        "nonempty_cell_accuracy": rate(c.nonempty_correct, c.nonempty),
        "numeric_cell_accuracy": rate(c.numeric_correct, c.numeric),
        "header_canonical_accuracy": rate(c.columns_correct, c.columns),
        "oov_columns_left_unmapped": rate(c.oov_unmapped, c.oov_columns),
        "title_accuracy": rate(c.titles_correct, c.titles),
        "form_accuracy": rate(c.forms_correct, c.forms),
        "multipage_joined": rate(c.multipage_joined, c.multipage),
        "join_precision": rate(c.joins_right, c.joins_pred),
        "amount_token_recall": rate(c.tokens_matched, c.tokens_truth),
        "amount_token_precision": rate(c.tokens_matched, c.tokens_pred),
    }

