"""Cells of real tables rendered as the real track's scans (issue #15), read by ``process_file``.

Needs ../shared/real/cities; each page is rendered with the benchmark's own
code (``samples.bench.real_corpus.build_variant``, seed 0) and read the way a
user's file is, real OCR included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.pipeline import process_file

CITIES = Path(__file__).resolve().parents[2] / "shared" / "real" / "cities"
pytestmark = pytest.mark.skipif(not CITIES.is_dir(), reason="needs ../shared/real/cities")


def cell_texts(tmp_path: Path, doc_id: str, page: int, variant: str = "scanned-noisy") -> list[str]:
    from samples.bench.real_corpus import RealDoc, build_variant

    doc = RealDoc(doc_id, doc_id.split("-")[0], CITIES / f"{doc_id}.pdf", [page], sample=[page])
    result = process_file(tmp_path / build_variant(doc, variant, tmp_path, seed=0))
    return [cell.text for table in result.tables for cell in table.cells]


def test_light_grey_leading_characters_are_read_beside_a_black_speck(tmp_path):
    """广州-25 p5 at 150 DPI: the light 二 of 二十四、 was cut off the crop as paper, because a speck
    on the same line set the darkest pixel the crop's ink was measured from (read 十四、…)."""
    texts = cell_texts(tmp_path, "广州-25", 5)
    assert "二十四、对附属单位补助支出" in texts
    assert "二十七、债务付息支出" in texts


def test_punctuation_ending_a_wrapped_line_is_read(tmp_path):
    """杭州-36 p41 at 200 DPI: a 、 or 。 ending a line of a long 绩效 sentence stands further from the glyph
    before it than dust may from text; it was taken for dust and painted out of the crop."""
    texts = cell_texts(tmp_path, "杭州-36", 41, "scanned-clean")
    goal = next(text for text in texts if text.startswith("通过档案整理相关工作"))
    assert "达标要求、人事档案" in goal and goal.endswith("实现中心日常保障运行。")
    # A 。 sitting lower than the last strokes of the glyph before it (作) is beside it too.
    assert any(text.startswith("聚力投资攻坚") and text.endswith("交工验收工作。") for text in texts)


def test_an_opening_quote_before_a_lines_first_glyph_is_read(tmp_path):
    """长沙-47 p47 at 200 DPI: the “ opening a 绩效 indicator stood apart from 市 and was painted out as dust."""
    assert "“市财政补贴投入的天网项目新建改造高清摄像头数" in cell_texts(tmp_path, "长沙-47", 47, "scanned-clean")


def test_a_speck_inside_a_line_is_no_punctuation(tmp_path):
    """上海-04 p12 at 150 DPI: a speck between 、 and 一 has glyphs on both sides: dust, not a mark (read 一、.一般)."""
    assert "一、一般公共预算" in cell_texts(tmp_path, "上海-04", 12)


def test_names_that_print_their_own_code_are_settled_by_it(tmp_path):
    """北京-11 p7 at 150 DPI: the 部门经济分类 column prints code and name in one cell (30101-基本工资),
    beside a 政府经济分类 cell that the row's code belongs to; its misreadings (30101;基本工, 30207-部电费)
    are settled by the cell's own code, the hyphen written as the rest of the column prints it."""
    texts = cell_texts(tmp_path, "北京-11", 7)
    for name in ("30101-基本工资", "30207-邮电费", "30216-培训费", "30302-退休费"):
        assert name in texts


def test_amounts_misread_in_one_column_are_repaired_when_their_own_rows_confirm(tmp_path):
    """苏州-30 p11 at 150 DPI: 7,062.80 read 7.06280 (comma as point, point lost) in the total and the
    department row of one column; each total-sum check holds both cells, so neither could confirm a
    reading alone. Checks with another doubtful cell are left out, each row's own check confirms 7062.80."""
    from decimal import Decimal

    from table_reconstruct.cells.numbers import read_amount

    values = {read_amount(text).value for text in cell_texts(tmp_path, "苏州-30", 11) if "706" in text}
    assert values == {Decimal("7062.80")}


def test_rules_under_a_seal_keep_the_rows_of_the_total_column_apart(tmp_path):
    """北京-11 p7 with a red seal over its 合计 column: taking the seal's ink out lifted the light grey rules
    under it too, so the rules broke and seven amounts read as one cell (44.080000T85.921264145.000000…).
    The rules' darkness under the multiplied ink stays; each amount is its own row, no seal text in a cell."""
    from samples.bench.real_corpus import RealDoc, build_variant

    doc = RealDoc("北京-11", "北京", CITIES / "北京-11.pdf", [7], sample=[7])
    result = process_file(tmp_path / build_variant(doc, "scanned-seal", tmp_path, seed=0))
    assert result.document.page_notes[0].seals == 1
    from decimal import Decimal

    from table_reconstruct.cells.numbers import read_amount

    total = [Decimal(text) for text in ("44.08", "85.921264", "145", "53", "38", "2.85", "12")]
    columns = [[cell.text for cell in sorted(table.cells, key=lambda c: c.row) if cell.col == col]
               for table in result.tables for col in {cell.col for cell in table.cells}]
    (sums,) = [[read_amount(text).value for text in column] for column in columns if "合计" in column[:2]]
    assert total in [sums[i:i + len(total)] for i in range(len(sums))]
    texts = "".join(text for column in columns for text in column)
    assert "章" not in texts and "专用" not in texts and "T" not in texts


def test_doubtful_amounts_are_read_again_unsqueezed(tmp_path):
    """北京-11 p7 at 150 DPI: read squeezed (``rec_batches.SQUEEZE``), amounts lost a leading digit or a
    zero (53.000000 read 3.00000, 12.000000 read 2,000000, 145.000000 read 145.,00000); read again at full
    width they are whole. The cell notes the second look and keeps its first reading."""
    from samples.bench.real_corpus import RealDoc, build_variant

    doc = RealDoc("北京-11", "北京", CITIES / "北京-11.pdf", [7], sample=[7])
    result = process_file(tmp_path / build_variant(doc, "scanned-noisy", tmp_path, seed=0))
    cells = [cell for table in result.tables for cell in table.cells]
    texts = [cell.text for cell in cells]
    assert texts.count("53.000000") == 2 and texts.count("145.000000") == 2
    assert "3.00000" not in texts and "145.,00000" not in texts
    (looked,) = [cell for cell in cells if cell.raw_text == "3.00000"]
    assert looked.text == "53.000000" and looked.corrections[0].startswith("read again unsqueezed")
