"""The naive baseline's clustering, fed known text boxes through a scripted engine.

The engine is scripted (it is not what is tested): it returns fixed boxes
and, for the crops it is then handed, their texts in the same order.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ocr.engines.base import DetectedLine, EngineInfo, Recognition
from ocr.pages.rasterize import PageImage
from samples.bench.baseline import TextBox, baseline_page, column_bands, group_rows, table_rows


class ScriptedEngine:
    info = EngineInfo("scripted", "0")

    def __init__(self, boxes: Sequence[TextBox]) -> None:
        self.boxes = list(boxes)

    def detect(self, image: np.ndarray) -> list[DetectedLine]:
        return [DetectedLine(int(b.x0), int(b.y0), int(b.x1), int(b.y1)) for b in self.boxes]

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognition]:
        expected = [(int(b.y1) - int(b.y0), int(b.x1) - int(b.x0)) for b in self.boxes]
        assert [c.shape[:2] for c in crops] == expected  # crops cut where detected
        return [Recognition(b.text, 0.9) for b in self.boxes]


def box(x0: float, y0: float, text: str, w: float = 60, h: float = 20) -> TextBox:
    return TextBox(text, x0, y0, x0 + w, y0 + h)


PAGE = [
    box(200, 20, "2026年三公经费表", w=300, h=40),   # title: tallest line above the table
    box(20, 80, "部门名称：某局", w=150), box(600, 80, "单位：万元", w=100),  # caption, two boxes
    box(40, 120, "项目"), box(200, 120, "合计"), box(400, 120, "金额"),
    box(20, 160, "办公费", w=100), box(230, 160, "1.50", w=30), box(420, 160, "1.50", w=40),
    box(20, 200, "差旅费", w=100), box(420, 200, "2.00", w=40),
    box(300, 400, "注：本表无数据", w=200),
]


def test_baseline_page_builds_a_grid_from_boxes():
    image = np.full((600, 800), 255, np.uint8)
    (table,) = baseline_page(PageImage(1, image, 72.0), ScriptedEngine(PAGE))
    assert (table.n_rows, table.n_cols, table.header_rows) == (3, 3, 1)
    assert table.body_rows() == [["办公费", "1.50", "1.50"], ["差旅费", "", "2.00"]]
    assert table.title == "2026年三公经费表" and table.unit == "万元"
    assert [c.canonical for c in table.columns][1] == "合计"
    # bands meet halfway between columns and rows; at 72 DPI pixels are points
    cell = next(c for c in table.cells if (c.row, c.col) == (1, 1))
    assert cell.bbox == (175.0, 150.0, 340.0, 190.0)


def test_rows_group_by_vertical_overlap_and_wrapped_names_split():
    rows = group_rows([box(0, 100, "a"), box(100, 108, "b"), box(0, 125, "c")])
    assert [[b.text for b in r] for r in rows] == [["a", "b"], ["c"]]


def test_table_is_the_longest_run_of_multi_box_rows_without_captions():
    rows = group_rows(PAGE)
    assert [[b.text for b in r][0] for r in table_rows(rows)] == ["项目", "办公费", "差旅费"]


def test_columns_come_from_body_rows_so_wide_headers_do_not_merge_them():
    header = [box(0, 0, "基本支出", w=300)]
    body = [[box(0, 30, "1.00"), box(120, 30, "2.00"), box(240, 30, "3.00")]]
    assert column_bands([header, *body]) == [(0, 60), (120, 180), (240, 300)]
