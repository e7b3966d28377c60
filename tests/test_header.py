from table_reconstruct.tables.header import count_header_rows, header_paths, is_body_row
from table_reconstruct.semantics.header_mapping import map_columns, map_header_path
from table_reconstruct.cells.text_normalize import normalize_cell_text

# The three-level header of 部门支出总体情况表 as spans and texts, then two body rows.
SPANS = [
    (0, 0, 2, 3), (0, 3, 3, 1), (0, 4, 3, 1), (0, 5, 1, 3),
    (1, 5, 2, 1), (1, 6, 1, 2),
    (2, 0, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1), (2, 6, 1, 1), (2, 7, 1, 1),
    (3, 0, 1, 1), (3, 1, 1, 1), (3, 2, 1, 1), (3, 3, 1, 1), (3, 4, 1, 1), (3, 5, 1, 1), (3, 6, 1, 1), (3, 7, 1, 1),
    (4, 0, 1, 1), (4, 1, 1, 1), (4, 2, 1, 1), (4, 3, 1, 1), (4, 4, 1, 1), (4, 5, 1, 1), (4, 6, 1, 1), (4, 7, 1, 1),
]
TEXTS = {
    (0, 0): "科目编码", (0, 3): "科目名称", (0, 4): "合计", (0, 5): "基本支出", (1, 5): "小计", (1, 6): "人员经费",
    (2, 0): "类", (2, 1): "款", (2, 2): "项", (2, 6): "工 资 福 利 支 出", (2, 7): "对个人和家庭的补助",
    (3, 3): "合计", (3, 4): "462.78", (3, 5): "337.21", (3, 6): "278.62", (3, 7): "27.82",
    (4, 0): "201", (4, 1): "03", (4, 2): "01", (4, 3): "行政运行", (4, 4): "221.52",
}


def test_body_rows_are_recognised_by_codes_ordinals_totals_and_amounts():
    assert is_body_row(["201", "03", "01", "行政运行"])
    assert is_body_row(["一、一般公共预算", "462.78"])
    assert is_body_row(["合计", "462.78"])
    assert not is_body_row(["类", "款", "项", "工资福利支出"])
    assert not is_body_row(["栏次", "1", "2", "3"])


def test_header_block_covers_merged_header_cells():
    assert count_header_rows(5, SPANS, TEXTS) == 3


def test_header_paths_walk_distinct_cells_top_to_bottom():
    paths = header_paths(8, 3, SPANS, TEXTS)
    assert paths[0] == ["科目编码", "类"]
    assert paths[4] == ["合计"]
    assert paths[5] == ["基本支出", "小计"]
    assert paths[6] == ["基本支出", "人员经费", "工 资 福 利 支 出"]


def test_spaced_out_text_is_joined_but_latin_words_keep_spaces():
    assert normalize_cell_text("工 资 福 利 支 出") == "工资福利支出"
    assert normalize_cell_text("1, 234.56") == "1,234.56"
    assert normalize_cell_text("PP OCR 模型") == "PP OCR模型"


def test_mapping_uses_parents_to_tell_subtotals_apart():
    matches = map_columns([["基本支出", "小计"], ["项目支出", "小计"], ["基本支出", "人员经费", "工 资 福 利 支 出"]])
    assert [m.canonical for m in matches] == ["基本支出", "项目支出", "工资福利支出"]
    assert all(m.score == 100 for m in matches)


def test_mapping_tolerates_one_misread_character_and_reports_its_score():
    match = map_header_path(["基本支出", "公用经费", "商品和服务支山"])
    assert match.canonical == "商品和服务支出" and 75 <= match.score < 100


def test_unknown_headers_stay_unmapped_with_their_score():
    match = map_header_path(["备注说明"])
    assert match.canonical is None and match.score < 75


def test_a_canonical_name_is_used_once_per_table():
    matches = map_columns([["科目名称"], ["功能科目名称"]])
    assert matches[0].canonical == "科目名称" and matches[1].canonical is None


def test_on_a_tie_the_left_most_column_keeps_the_name():
    matches = map_columns([["合计"], ["上年结转", "合计"]])
    assert [m.canonical for m in matches][0] == "合计"


def test_column_numbers_under_a_lanci_row_stay_out_of_header_paths():
    spans = [(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 1), (1, 1, 1, 1)]
    texts = {(0, 0): "项目", (0, 1): "金额", (1, 0): "栏次", (1, 1): "1"}
    assert header_paths(2, 2, spans, texts) == [["项目"], ["金额"]]


def test_a_row_number_column_keeps_its_hangci_label():
    spans = [(0, 0, 1, 1), (0, 1, 1, 1), (0, 2, 1, 1), (1, 0, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1)]
    texts = {(0, 0): "项目", (0, 1): "行次", (0, 2): "金额", (1, 0): "栏次", (1, 1): "", (1, 2): "1"}
    assert header_paths(3, 2, spans, texts) == [["项目"], ["行次"], ["金额"]]


def test_amounts_and_codes_at_the_end_of_a_too_deep_header_path_are_ignored():
    assert map_header_path(["合计", "419.66", "365.05"]).canonical == "合计"
    assert map_header_path(["科目编码", "类", "201"]).canonical == "功能分类_类"
