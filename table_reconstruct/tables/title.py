"""Table title, unit and department from the text lines printed above a grid."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from table_reconstruct.semantics.form_number import is_form_number_only
from table_reconstruct.cells.text_normalize import has_cjk, normalize_cell_text

_UNIT = re.compile(r"单\s*位\s*[:：]\s*(万\s*元|千\s*元|元)")
# 江苏's 公开表 print a bare "部门：…" before "单位：万元" on the same line.
_DEPARTMENT = re.compile(r"(?:部门名称|单位名称|编制单位|预算单位|编报单位|部门)\s*[:：]\s*(.+?)(?:单\s*位\s*[:：]|$)")
_TITLE_WORDS = re.compile(r"表|情况|预算|决算|总体|明细")
# A line that ends as a table's name ends ("收支总表", "…预算表（续）"); a section heading above
# it may name tables too ("二、表格部分") but does not end so.
_TABLE_NAME_END = re.compile(r"表\s*(?:[（(][^（()）]*[）)])?$")
_UNIT_ONLY = re.compile(r"^(金额)?单\s*位")


@dataclass(frozen=True)
class TextLine:
    """A recognized line outside the grid, in page pixels."""

    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    confidence: float = 1.0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


@dataclass(frozen=True)
class TableCaption:
    title: str | None
    unit: str | None
    department: str | None


def find_unit(lines: Sequence[TextLine]) -> str | None:
    for line in lines:
        match = _UNIT.search(normalize_cell_text(line.text))
        if match:
            return match.group(1).replace(" ", "")
    return None


def find_department(lines: Sequence[TextLine]) -> str | None:
    """The 部门/单位 named in a caption; a label and its name OCR'd as two pieces of one line are read joined."""
    for line in [*lines, *join_same_row(lines)]:
        match = _DEPARTMENT.search(normalize_cell_text(line.text))
        if match and match.group(1).strip():
            return match.group(1).strip()
    return None


def join_same_row(lines: Sequence[TextLine]) -> list[TextLine]:
    """Join pieces of one printed line that the detector split (e.g. at “三公” quotes), left to right."""
    joined: list[TextLine] = []
    for line in sorted(lines, key=lambda l: (l.y0, l.x0)):
        last = joined[-1] if joined else None
        if last and min(last.y1, line.y1) - max(last.y0, line.y0) > 0.6 * min(last.height, line.height) \
                and 0 <= line.x0 - last.x1 < 1.5 * max(last.height, line.height):
            joined[-1] = TextLine(last.text + line.text, last.x0, min(last.y0, line.y0), line.x1,
                                  max(last.y1, line.y1), min(last.confidence, line.confidence))
        else:
            joined.append(line)
    return joined


def find_title(lines: Sequence[TextLine]) -> str | None:
    """The tallest line that reads like a table title (the title is set larger than body text).

    Lines that end as a table's name come first: a section heading printed above the first
    table of a section ("二、表格部分") is often set larger still.
    """
    lines = join_same_row(lines)
    candidates = [
        line
        for line in lines
        if normalize_cell_text(line.text)
        and not _UNIT_ONLY.match(normalize_cell_text(line.text))
        and not _DEPARTMENT.search(normalize_cell_text(line.text))
        and not is_form_number_only(normalize_cell_text(line.text))  # printed above the title, not the title
        and has_cjk(line.text)
    ]
    if not candidates:
        return None
    titled = ([line for line in candidates if _TABLE_NAME_END.search(normalize_cell_text(line.text))]
              or [line for line in candidates if _TITLE_WORDS.search(line.text)] or candidates)
    best = max(titled, key=lambda line: (line.height, line.y1))
    return normalize_cell_text(best.text)


def read_caption(lines: Sequence[TextLine]) -> TableCaption:
    return TableCaption(title=find_title(lines), unit=find_unit(lines), department=find_department(lines))
