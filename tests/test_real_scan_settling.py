"""北京-11 p7 (预算06表) rendered as the real track's scans: every amount and name read or settled right.

Needs ../shared/real/cities; the pages are rendered with the benchmark's own code
(``samples.bench.real_corpus.build_variant``, seed 0), and read by the whole pipeline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.pipeline import process_file
from flows.core.settings import Settings

CITIES = Path(__file__).resolve().parents[2] / "shared" / "real" / "cities"
needs_cities = pytest.mark.skipif(not (CITIES / "北京-11.pdf").exists(), reason="needs ../shared/real/cities")


def read_scan(tmp_path: Path, variant: str):
    from samples.bench.real_corpus import RealDoc, build_variant

    doc = RealDoc("北京-11", "北京", CITIES / "北京-11.pdf", [7], sample=[7])
    scan = tmp_path / build_variant(doc, variant, tmp_path, seed=0)
    (table,) = [t for t in process_file(scan, Settings(threads=1)).tables if t.form == "basic_expenditure"]
    rows: dict[str, dict[int, object]] = {}
    for cell in table.cells:
        rows.setdefault(cell.row, {})[cell.col] = cell
    return {row[1].text: row for row in rows.values() if 1 in row}


@needs_cities
def test_a_line_of_zeros_flush_against_a_column_rule_is_read_not_painted_out(tmp_path):
    """The 000000 of 53.000000, set tight and touching the table's right rule, closed into a bar as long
    as a short rule: taken for one and painted out, the cell read 53 on the clean 200-DPI scan."""
    row = read_scan(tmp_path, "scanned-clean")["3021503-三类会议费"]
    assert [row[col].text for col in (2, 4)] == ["53.000000", "53.000000"]


@needs_cities
def test_misread_digits_and_codes_are_settled_by_sums_and_names_on_a_noisy_scan(tmp_path):
    """On the 150-DPI scan a digit of three amounts and of one code is misread; the row's and the
    column's sums agree on each amount, the exact name 奖金 on the code: settled, and sent to review."""
    rows = read_scan(tmp_path, "scanned-noisy")
    assert "30103-奖金" in rows and "30105-奖金" not in rows
    assert any("code settled by its name" in note for note in rows["30103-奖金"][1].corrections)
    expected = {"30199-其他工资福利支出": (2, 3, "299.877570"), "30202-印刷费": (2, 4, "12.000000"),
                "30207-邮电费": (2, 4, "2.280000")}
    for name, (total, part, amount) in expected.items():
        row = rows[name]
        assert row[total].text == row[part].text == amount, name
    settled = [cell for row in rows.values() for cell in row.values()
               if any("settled by" in note and "sums" in note for note in cell.corrections)]
    assert len(settled) == 3 and all(cell.raw_text for cell in settled)  # the first reading kept
