"""Amount misreadings seen on real scans, repaired only when the table's sums confirm the reading."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from samples.synth.corpus import plan_corpus
from table_reconstruct.document.annotate import annotate_table
from table_reconstruct.semantics.column_roles import amount_columns
from table_reconstruct.cells.corrections import candidates
from tests.test_validation import corpus_document

GARBLES = {  # a real-track reading (issue #15): 6,700.00 read 6,700:00
    "point read as a colon": (lambda t: "." in t, lambda t: t.replace(".", ":")),
}


def test_candidates_offer_the_amount_alphabets_readings():
    assert "6,700.00" in list(candidates("6,700:00", 2))
    assert "1,061,700" in list(candidates("1.061.700", 0))
    assert "1,061,700" not in list(candidates("1.061.70", 0))  # groups of three only
    # 苏州-30 at 150 DPI: 7,062.80 read with its comma as a point and the point doubled, or lost
    assert "7062.80" in list(candidates("7.062..80", 2)) and "7062.80" in list(candidates("7.06280", 2))


@pytest.mark.parametrize("kind", GARBLES)
def test_misreadings_are_repaired_when_the_sums_confirm(kind):
    wanted, garble = GARBLES[kind]
    for plan in plan_corpus(0, 8):
        doc = corpus_document(plan)
        for original in doc.tables:
            table = original.model_copy(deep=True)
            cells = [c for c in table.cells if c.row > table.header_rows and c.col in amount_columns(table)]
            cell = next((c for c in cells if wanted(c.text)), None)
            if cell is None:
                continue
            good = cell.text
            cell.text = garble(good)
            annotate_table(table)
            if not cell.corrections:
                continue  # a cell no sum checks stays as read (and is flagged by review)
            assert cell.text == good and cell.raw_text == garble(good) and cell.value == Decimal(good.replace(",", ""))
            return
    pytest.fail(f"no checked cell to garble for {kind}")


def _digit_swapped(text: str) -> str:
    """``text`` with its first nonzero digit changed: a number still, and wrong beyond rounding."""
    index = min(i for i, ch in enumerate(text) if ch.isdigit() and ch != "0")
    return text[:index] + ("3" if text[index] != "3" else "8") + text[index + 1:]


@pytest.mark.parametrize("read_by_ocr", [True, False])
def test_a_misread_digit_is_settled_by_two_sums_only_in_ocr_tables(read_by_ocr):
    """A digit read as another is a number all the same: the row's and the column's sums both fail and
    agree on the value; settled on an OCR'd table, left as printed (a finding) on a text layer."""
    for plan in plan_corpus(0, 8):
        for original in corpus_document(plan).tables:
            table = annotate_table(original.model_copy(deep=True))
            if table.validation:
                continue
            checked = {pos: n for pos, n in _checks_per_cell(table).items() if n >= 2}
            cell = next((c for c in table.cells if (c.row, c.col) in checked and re.search(r"[1-9]", c.text)), None)
            if cell is None:
                continue
            good = cell.text
            cell.text = _digit_swapped(good)
            annotate_table(table, read_by_ocr=read_by_ocr)
            if read_by_ocr:
                assert cell.text == good and cell.raw_text == _digit_swapped(good) and not table.validation
                assert "settled by" in cell.corrections[-1]
            else:
                assert cell.text == _digit_swapped(good) and not cell.corrections and table.validation
            return
    pytest.fail("no cell in two checks")


def _checks_per_cell(table) -> dict[tuple[int, int], int]:
    from collections import Counter

    from table_reconstruct.validation import table_checks

    return Counter(pos for check in table_checks(table) for pos in set(check.cells))
