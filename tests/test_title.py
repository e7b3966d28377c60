from table_reconstruct.tables.title import TextLine, read_caption


def test_caption_lines_give_title_unit_and_department():
    lines = [
        TextLine("2026年部门支出总体情况表", 600, 100, 1700, 160),
        TextLine("部门名称：新乡市红旗区人民政府办公室", 100, 200, 900, 235),
        TextLine("单位：万元", 2000, 200, 2200, 235),
    ]
    caption = read_caption(lines)
    assert (caption.title, caption.unit, caption.department) == ("2026年部门支出总体情况表", "万元", "新乡市红旗区人民政府办公室")


def test_a_title_split_at_curly_quotes_is_joined_again():
    lines = [
        TextLine("2025年一般公共预算", 400, 100, 900, 150),
        TextLine("“三公”经费支出表", 915, 102, 1300, 151),
        TextLine("单位：元", 1800, 200, 1950, 235),
    ]
    caption = read_caption(lines)
    assert caption.title == "2025年一般公共预算“三公”经费支出表" and caption.unit == "元"


def test_a_bare_department_caption_before_the_unit_on_one_line():
    """江苏 公开表: "部门：中共江苏省委办公厅   单位：万元" printed as one caption line."""
    caption = read_caption([TextLine("收支预算总表", 600, 100, 1000, 160),
                            TextLine("部门：中共江苏省委办公厅 单位：万元", 100, 200, 2200, 235)])
    assert (caption.title, caption.unit, caption.department) == ("收支预算总表", "万元", "中共江苏省委办公厅")


def test_a_department_label_and_name_read_as_two_pieces_are_joined():
    caption = read_caption([TextLine("收入预算总表", 600, 100, 1000, 160), TextLine("部门：", 100, 200, 190, 235),
                            TextLine("江苏省人大常委会办公厅", 200, 200, 700, 235), TextLine("单位：万元", 2000, 200, 2200, 235)])
    assert caption.department == "江苏省人大常委会办公厅"


def test_a_section_heading_set_larger_than_the_title_is_not_the_title():
    """深圳 prints "二、表格部分" above its first table, larger than the table's own name."""
    lines = [
        TextLine("二、表格部分", 700, 40, 1100, 120),
        TextLine("表1", 60, 140, 120, 175),
        TextLine("收支总表", 800, 190, 1000, 250),
        TextLine("部门名称：深圳市信访局", 60, 270, 600, 300),
    ]
    assert read_caption(lines).title == "收支总表"
