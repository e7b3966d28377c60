"""Score predicted cells against the text-layer truth of real pages: pure functions.

Each truth cell (a number or a Chinese name, see ``real_truth``) is looked up
by its centre, in PDF points, among the predicted cells of the same page (the
smallest predicted cell holding it, so a merged header does not hide a body
cell). Numbers compare by value, integers also digit by digit (a code 03 is
not 3), so ``189,767,551`` = ``189767551`` but ``189767.551`` is wrong; names
compare exactly after NFKC and removing whitespace. A truth cell no predicted
cell holds is wrong.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from samples.synth.skew import rotate_point
from table_reconstruct.model import Cell, DocumentResult

from samples.bench.real_truth import TruthCell, normalize, number_value, scored_cells

KINDS = ("number", "name")


@dataclass(frozen=True)
class Outcome:
    """One truth cell judged: where, what it should read, what was read."""

    kind: str
    right: bool
    page: int
    bbox: tuple[float, float, float, float]
    truth: str
    predicted: Optional[str]
    flagged: bool = False


def cell_at(cells: Sequence[Cell], x: float, y: float) -> Optional[Cell]:
    """The smallest predicted cell whose bbox holds ``(x, y)``."""
    holding = [c for c in cells if c.bbox[0] <= x <= c.bbox[2] and c.bbox[1] <= y <= c.bbox[3]]
    return min(holding, key=lambda c: (c.bbox[2] - c.bbox[0]) * (c.bbox[3] - c.bbox[1]), default=None)


def reads_right(truth: TruthCell, predicted: Optional[str]) -> bool:
    """Whether a predicted text is the truth cell's text (numbers by value, names exactly)."""
    if predicted is None:
        return False
    if truth.kind == "number":
        want, got = number_value(truth.text), number_value(predicted)
        return got is not None and want == got
    return normalize(predicted) == normalize(truth.text)


def cells_by_page(result: DocumentResult) -> dict[int, list[Cell]]:
    pages: dict[int, list[Cell]] = {}
    for table in result.tables:
        for cell in table.cells:
            pages.setdefault(cell.page, []).append(cell)
    return pages


def flagged_cells(result: DocumentResult) -> set[tuple[int, int, int]]:
    """(page, row, col) of every cell sent to review, by the current review rules over the saved tables."""
    from flows.core.settings import Settings
    from table_reconstruct.document.review import review_cells

    flagged = set()
    for review in review_cells(result.tables, Settings().review_confidence):
        flagged.add((review.page, review.row, review.col))
    return flagged


def score_page(truth: Iterable[TruthCell], predicted: Sequence[Cell], skew_deg: float = 0.0,
               page_size: tuple[float, float] = (0.0, 0.0), flagged: frozenset = frozenset()) -> list[Outcome]:
    """Judge every number and data-row name of one page; a skewed scan moves each truth centre with the page."""
    outcomes = []
    for cell in scored_cells(list(truth)):
        x, y = cell.centre
        if skew_deg:
            x, y = rotate_point(x, y, skew_deg, page_size[0] / 2, page_size[1] / 2)
        hit = cell_at(predicted, x, y)
        text = hit.text if hit is not None else None
        mark = hit is not None and (hit.page, hit.row, hit.col) in flagged
        outcomes.append(Outcome(cell.kind, reads_right(cell, text), cell.page, cell.bbox, cell.text, text, mark))
    return outcomes


def tally(outcomes: Iterable[Outcome]) -> dict[str, dict[str, int]]:
    """Per kind: cells, right, and wrong ones that were flagged for review."""
    counts: Counter = Counter()
    for o in outcomes:
        counts[o.kind, "cells"] += 1
        counts[o.kind, "right"] += o.right
        counts[o.kind, "wrong_flagged"] += (not o.right) and o.flagged
    return {kind: {k: counts[kind, k] for k in ("cells", "right", "wrong_flagged")} for kind in KINDS}


def rate(counts: dict[str, int]) -> Optional[float]:
    return counts["right"] / counts["cells"] if counts["cells"] else None
