"""Joining a table continued on the next page, decided from geometry and captions alone."""

from __future__ import annotations

from table_reconstruct.tables.join_pages import continuation, join_continued_tables
from table_reconstruct.model import Cell, Column, Table

A4 = (595.0, 842.0)
SIZES = {1: A4, 2: A4, 3: A4}
WIDTHS = (60.0, 160.0, 90.0)
ROW_H = 20.0
HEADER = ["科目编码", "科目名称", "金额"]


def fragment(rows: list[list[str]], page: int, top: float, header_rows: int = 1, title: str | None = "基本支出表",
             left: float = 40.0, widths: tuple[float, ...] = WIDTHS) -> Table:
    """One page's table as reconstruct_page returns it: rows from 0, cells with boxes in points."""
    edges = [left]
    for w in widths:
        edges.append(edges[-1] + w)
    cells = [
        Cell(row=r, col=c, text=text, page=page, bbox=(edges[c], top + r * ROW_H, edges[c + 1], top + (r + 1) * ROW_H))
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]
    bbox = (edges[0], top, edges[-1], top + len(rows) * ROW_H)
    return Table(title=title, pages=[page], n_rows=len(rows), n_cols=len(widths), header_rows=header_rows,
                 cells=cells, columns=[Column(index=i, header_path=[h]) for i, h in enumerate(HEADER)],
                 bbox=bbox, page_bboxes=[bbox])


def body(first: int, count: int) -> list[list[str]]:
    return [[f"{301 + i}", f"支出{i}", f"{i}.00"] for i in range(first, first + count)]


# Page 1: title, header and 36 rows down to near the bottom; page 2 goes on at the top.
PAGE1 = fragment([HEADER] + body(0, 36), page=1, top=80.0)
PAGE2 = fragment(body(36, 10), page=2, top=42.0, title=None)


def test_headerless_continuation_is_joined_with_rows_renumbered():
    (table,) = join_continued_tables([PAGE1, PAGE2], SIZES)
    assert table.pages == [1, 2] and table.n_rows == 47 and table.header_rows == 1
    assert table.title == "基本支出表" and table.columns == PAGE1.columns
    assert table.page_bboxes == [PAGE1.bbox, PAGE2.bbox] and table.bbox == PAGE1.bbox
    second = [c for c in table.cells if c.page == 2]
    assert len(second) == 30 and min(c.row for c in second) == 37
    assert table.cell_at(37, 0).text == "337" and table.cell_at(37, 0).bbox == PAGE2.cell_at(0, 0).bbox
    assert [r[0] for r in table.body_rows()] == [str(301 + i) for i in range(46)]


def test_repeated_header_is_dropped():
    again = fragment([HEADER] + body(36, 10), page=2, top=80.0, title="基本支出表（续）")
    (table,) = join_continued_tables([PAGE1, again], SIZES)
    assert table.n_rows == 47 and [r[0] for r in table.body_rows()][36] == "337"
    assert not any(c.text == "科目编码" and c.page == 2 for c in table.cells)


def test_three_pages_chain_into_one():
    page3 = fragment(body(46, 36), page=3, top=42.0, title=None)
    page2 = fragment(body(36, 36), page=2, top=42.0, title=None)
    (table,) = join_continued_tables([PAGE1, page2, page3], SIZES)
    assert table.pages == [1, 2, 3] and table.n_rows == 1 + 36 * 3 and len(table.page_bboxes) == 3


def test_a_new_table_with_its_own_title_is_not_joined():
    other = fragment([HEADER] + body(0, 5), page=2, top=100.0, title="项目支出表")
    assert len(join_continued_tables([PAGE1, other], SIZES)) == 2
    assert continuation(PAGE1, other, SIZES).reason == "next table has a title of its own"


def test_different_columns_are_not_joined():
    moved = fragment(body(36, 10), page=2, top=42.0, title=None, widths=(60.0, 100.0, 150.0))
    assert not continuation(PAGE1, moved, SIZES).joined
    narrower = fragment([r[:2] for r in body(36, 10)], page=2, top=42.0, title=None, widths=WIDTHS[:2])
    assert not continuation(PAGE1, narrower, SIZES).joined


def test_a_shifted_scan_still_fits():
    shifted = fragment(body(36, 10), page=2, top=42.0, title=None, left=52.0)
    assert continuation(PAGE1, shifted, SIZES).joined


def test_previous_table_ending_high_on_its_page_is_not_continued():
    short = fragment([HEADER] + body(0, 5), page=1, top=80.0)
    assert continuation(short, PAGE2, SIZES).reason == "previous table ends well above the page bottom"


def test_a_repeated_header_continues_a_table_that_stopped_mid_page():
    """Excel printouts break pages by hand: the table stops mid-page, the next page repeats its header."""
    short = fragment([HEADER] + body(0, 5), page=1, top=80.0)
    again = fragment([HEADER] + body(5, 10), page=2, top=80.0, title=None)
    (table,) = join_continued_tables([short, again], SIZES)
    assert table.pages == [1, 2] and table.n_rows == 16
    assert [r[0] for r in table.body_rows()] == [str(301 + i) for i in range(15)]


def test_a_mid_page_table_is_not_continued_by_another_header_or_a_new_title():
    short = fragment([HEADER] + body(0, 5), page=1, top=80.0)
    other_header = fragment([["功能分类科目编码", "科目名称", "合计"]] + body(5, 10), page=2, top=80.0, title=None)
    assert continuation(short, other_header, SIZES).reason == "previous table ends well above the page bottom"
    titled = fragment([HEADER] + body(0, 10), page=2, top=80.0, title="项目支出表")
    assert continuation(short, titled, SIZES).reason == "next table has a title of its own"
    continued = fragment([HEADER] + body(5, 10), page=2, top=80.0, title="基本支出表（续）")
    assert continuation(short, continued, SIZES).joined


def test_untitled_table_low_on_page_or_pages_apart_are_not_joined():
    low = fragment(body(36, 10), page=2, top=400.0, title=None)
    assert not continuation(PAGE1, low, SIZES).joined
    far = fragment(body(36, 10), page=3, top=42.0, title=None)
    assert continuation(PAGE1, far, SIZES).reason == "not on the next page"


def test_only_the_last_table_of_a_page_continues():
    above = fragment([HEADER] + body(0, 5), page=1, top=80.0)
    below = fragment([HEADER] + body(0, 2), page=1, top=700.0, title="另一张表")
    tables = join_continued_tables([above, below, PAGE2], SIZES)
    assert [t.pages for t in tables] == [[1], [1, 2]]  # the lower table of page 1 goes on, not the upper


RUNNING = "某某局2026年度部门预算公开"


def test_a_running_header_read_as_a_caption_is_no_title_of_its_own():
    """The department's line atop every page is all a headerless continuation has above it."""
    first = fragment([HEADER] + body(0, 36), page=1, top=80.0, title="支出总表")
    second = fragment(body(36, 10), page=2, top=42.0, title=RUNNING)
    third = fragment([HEADER] + body(0, 36), page=3, top=80.0, title="财政拨款支出表")
    fourth = fragment(body(36, 5), page=4, top=42.0, title=RUNNING)
    tables = join_continued_tables([first, second, third, fourth], {k: A4 for k in range(1, 5)})
    assert [(t.title, t.pages, t.n_rows) for t in tables] == [("支出总表", [1, 2], 47), ("财政拨款支出表", [3, 4], 42)]


def test_tables_titled_on_each_of_their_pages_stay_apart_even_with_the_same_header():
    """深圳 prints each table's title on every page: 按功能分类 and 按经济分类 share a header, not a table."""
    pages = [fragment([HEADER] + body(0, 36), page=k, top=80.0, title=title)
             for k, title in enumerate(["支出表（按功能分类）", "支出表（按功能分类）", "支出表（按经济分类）",
                                         "支出表（按经济分类）"], start=1)]
    tables = join_continued_tables(pages, {k: A4 for k in range(1, 5)})
    assert [(t.title, t.pages) for t in tables] == [("支出表（按功能分类）", [1, 2]), ("支出表（按经济分类）", [3, 4])]


def test_the_last_row_alone_on_the_next_page_is_joined_under_a_caption_seen_once():
    """A one-row grid atop a page is the row the table above ran over; the page's running header,
    read as its caption, comes back nowhere else, yet a piece that begins with data has no title."""
    last_row = fragment(body(36, 1), page=2, top=42.0, title=RUNNING)
    (table,) = join_continued_tables([PAGE1, last_row], SIZES)
    assert table.pages == [1, 2] and table.n_rows == 38 and table.body_rows()[-1] == ["337", "支出36", "36.00"]


def test_a_one_row_box_that_continues_nothing_is_left_out_and_parts_no_tables():
    box = fragment([["说明", "本表为空表"]], page=2, top=42.0, title=None, widths=(100.0, 300.0))
    below = fragment(body(36, 10), page=2, top=70.0, title=None)
    tables = join_continued_tables([PAGE1, box, below], SIZES)
    assert [(t.pages, t.n_rows) for t in tables] == [([1, 2], 47)]
    alone = fragment([HEADER] + body(0, 5), page=1, top=80.0)
    assert [t.n_rows for t in join_continued_tables([alone, box], SIZES)] == [6]


def test_a_piece_beginning_with_its_own_header_under_a_new_caption_stays_apart():
    titled = fragment([HEADER] + body(0, 10), page=2, top=42.0, title="项目支出表")
    assert continuation(PAGE1, titled, SIZES).reason == "next table has a title of its own"
    data_first = fragment(body(36, 10), page=2, top=42.0, title="项目支出表")
    assert continuation(PAGE1, data_first, SIZES).joined


def test_a_row_printed_over_the_page_break_is_one_row():
    """A tall row's cells wrap; the page breaks between their lines: "12,437.3" here, "6" atop the next page."""
    last = fragment([HEADER] + body(0, 35) + [["", "杭州市机动", "12,437.3"]], page=1, top=80.0)
    rest = fragment([["", "车驾驶员考试服务中心", "6"]] + body(36, 5), page=2, top=42.0, title=None)
    (table,) = join_continued_tables([last, rest], SIZES)
    assert table.n_rows == 1 + 36 + 5 and table.body_rows()[35] == ["", "杭州市机动车驾驶员考试服务中心", "12,437.36"]
    whole = fragment([HEADER] + body(0, 35) + [["", "其他", "12,437.30"]], page=1, top=80.0)
    assert not continuation(whole, rest, SIZES).broken_row  # an amount already whole: the next row is a row


def test_a_header_row_left_at_the_foot_of_a_page_goes_on_top_of_its_table():
    """收入 | 支出 printed under the title at the page's foot, the rest of the table atop the next page."""
    head = fragment([["收入", "支出"]], page=1, top=780.0, title="财政拨款收支总表", widths=(220.0, 90.0))
    rest = fragment([HEADER] + body(0, 5), page=2, top=42.0, title=None)
    (table,) = join_continued_tables([head, rest], SIZES)
    assert table.title == "财政拨款收支总表" and table.pages == [1, 2] and table.header_rows == 2
    assert [(c.text, c.col, c.colspan) for c in table.cells if c.row == 0] == [("收入", 0, 2), ("支出", 2, 1)]
    assert [c.header_path for c in table.columns] == [["收入", "科目编码"], ["收入", "科目名称"], ["支出", "金额"]]
    misplaced = fragment([["收入", "支出"]], page=1, top=780.0, title="财政拨款收支总表", widths=(100.0, 210.0))
    assert join_continued_tables([misplaced, rest], SIZES) == [rest]  # its boundary falls inside a column
