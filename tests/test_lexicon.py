"""Row names settled by their classification code, and the lexicon mined from real text layers."""

from __future__ import annotations

from samples.bench.real_truth import TruthCell
from samples.lexicon import row_pairs
from table_reconstruct.document.annotate import annotate_document
from table_reconstruct.semantics.lexicon import names_for, settle_code, settle_name, settled_text
from table_reconstruct.model import Cell, Column, DocumentInfo, DocumentResult, PageNote, Table


def test_near_misreadings_take_the_codes_name_and_right_or_far_ones_stay():
    assert settle_name("2010302", "般行政管理事务") == "一般行政管理事务"        # a lost leading 一
    assert settle_name("30112", "其他社会保障激黄") == "其他社会保障缴费"        # 150-DPI garble
    assert settle_name("301", "工资福利技市") == "工资福利支出"
    assert settle_name("30101", "-基本工贤") == "-基本工资"                      # the region's dash kept
    assert settle_name("30112", "其他社会保障缴费") is None                      # already right
    assert settle_name("30206", "i准使W") is None                               # too far: never invented
    assert settle_name("30101", "津贴补贴") is None                              # another code's name
    assert settle_name("9999999", "般行政管理事务") is None                      # unknown code


def test_the_lexicon_holds_national_and_printed_spellings():
    assert "机关事业单位基本养老保险缴费支出" in names_for("2080505")
    assert "其他社会保障缴费" in names_for("30112")


def _table(rows: list[list[str]]) -> Table:
    cells = [Cell(row=r, col=c, text=t, page=1, bbox=(c * 80.0, r * 20.0, c * 80.0 + 80, r * 20.0 + 20))
             for r, row in enumerate(rows) for c, t in enumerate(row)]
    columns = [Column(index=c, header_path=[t], canonical=t, score=100.0) for c, t in enumerate(rows[0])]
    return Table(title="一般公共预算基本支出表", pages=[1], n_rows=len(rows), n_cols=len(rows[0]), header_rows=1,
                 cells=cells, columns=columns)


def _document(text_source: str, rows: list[list[str]]) -> DocumentResult:
    info = DocumentInfo(source="x.pdf", sha256="0", page_notes=[PageNote(page=1, tables=1, text_source=text_source)])
    return DocumentResult(document=info, tables=[_table(rows)])


ROWS = [["科目编码", "科目名称", "合计"],
        ["301", "工资福利技市", "30.00"],
        ["30101", "基本工贤", "20.00"],
        ["30199", "其他工资福利支出", "10.00"]]


def test_ocr_tables_get_settled_names_with_their_readings_kept():
    result = annotate_document(_document("ocr", ROWS))
    table = result.tables[0]
    names = {c.row: c for c in table.cells if c.col == 1 and c.row > 0}
    assert [names[r].text for r in (1, 2, 3)] == ["工资福利支出", "基本工资", "其他工资福利支出"]
    assert names[1].raw_text == "工资福利技市" and "301" in names[1].corrections[0]
    assert names[3].raw_text is None and not names[3].corrections
    assert table.rows[1].name == "基本工资"


def test_text_layer_tables_keep_what_the_page_prints():
    table = annotate_document(_document("text_layer", ROWS)).tables[0]
    assert [c.text for c in table.cells if c.col == 1 and c.row > 0] == ["工资福利技市", "基本工贤", "其他工资福利支出"]


def test_row_pairs_read_codes_beside_names_joined_split_or_in_the_cell():
    def cell(x0, x1, y, text):
        return TruthCell(1, (x0, y, x1, y + 20.0), text)

    cells = [cell(0, 30, 0, "205"), cell(30, 50, 0, "03"), cell(50, 70, 0, "02"), cell(70, 200, 0, "中等职业教育"),
             cell(0, 70, 20, "30101"), cell(70, 200, 20, "-基本工资"),
             cell(70, 200, 40, "2080505 机关事业单位基本养老保险缴费支出"),
             cell(0, 70, 60, "合计"), cell(70, 200, 60, "工资福利支出"),       # no code: no pair
             cell(0, 70, 80, "2026"), cell(70, 200, 80, "年度预算")]            # a year is no classification code
    assert row_pairs(cells) == [("2050302", "中等职业教育"), ("30101", "基本工资"),
                                ("2080505", "机关事业单位基本养老保险缴费支出")]


def test_cells_printing_their_own_code_are_settled_by_it_and_a_misread_hyphen_takes_the_columns():
    rows = [["功能科目", "经济科目", "合计"],
            ["50101-工资奖金津补贴", "30101;基本工", "1.00"],
            ["50101-工资奖金津补贴", "30102-津贴补贴", "1.00"],
            ["50201-办公经费", "30207-部电费", "1.00"],
            ["50201-办公经费", "3021101~差旅费", "1.00"],
            ["50201-办公经费", "30216-i准使W", "1.00"]]
    table = annotate_document(_document("ocr", rows)).tables[0]
    names = [c.text for c in sorted(table.cells, key=lambda c: c.row) if c.col == 1 and c.row > 0]
    assert names == ["30101-基本工资", "30102-津贴补贴", "30207-邮电费", "3021101-差旅费", "30216-i准使W"]
    settled = next(c for c in table.cells if c.row == 3 and c.col == 1)
    assert settled.raw_text == "30207-部电费" and "30207" in settled.corrections[0]


def test_a_misread_digit_of_a_code_is_settled_by_an_exact_name():
    """北京-11 p7 at 150 DPI: 30103-奖金 read 30105-奖金 (30105 is in no list and on no real page)."""
    assert settle_code("30105", "奖金") == "30103"
    assert settle_code("30103", "奖金") is None                # right
    assert settle_code("30105", "奖全") is None                # the name not exact: nothing to go by
    assert settle_code("30299", "奖金") is None                # no code one digit away has that name
    assert settled_text("[301 05]奖金", None, None) == ("[301 03]奖金", "30103")  # printed as it was
