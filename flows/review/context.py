"""Everything the review template shows, computed from one result: the view model of review.html.

The template only loops and prints; every decision (which cells to mark,
where boxes go, which command to suggest) is made here or in the small
modules it calls, so it can be tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from table_reconstruct.semantics.header_mapping import PATH_SEPARATOR
from table_reconstruct.model import Cell, DocumentResult, DocumentStatus, Table

from flows.outputs.xlsx_export import cell_amount
from flows.review.history import RunView
from flows.review.marks import LEGEND, all_findings, cell_key, cell_marks, finding_keys, table_slots
from flows.review.page_images import PageView
from flows.review.suggest import Suggestion, unmapped_columns

DEFAULT_REVIEW_CONFIDENCE = 0.8
# A failed document has no table pages; show its first pages so a person sees what it is,
# but only after failures that rendered fine: a page that hung or crashed the worker could
# hang the review step too.
PREVIEW_PAGES = 3
PREVIEW_KINDS = frozenset({"no_tables_found", "ocr_failed"})


@dataclass(frozen=True)
class SlotView:
    key: str
    text: str
    rowspan: int
    colspan: int
    header: bool
    marks: list[str]
    tip: str
    numeric: bool = False


@dataclass(frozen=True)
class ColumnView:
    name: str
    path: str
    mapped: bool


@dataclass(frozen=True)
class TableView:
    index: int
    title: str
    unit: str
    pages: str
    form: str
    header_rows: list[list[SlotView]]
    body_rows: list[list[SlotView]]
    columns: list[ColumnView]
    failed_checks: int


@dataclass(frozen=True)
class FindingView:
    id: str
    where: str
    rule: str
    message: str
    expected: str
    found: str
    difference: str
    keys: list[str]


@dataclass(frozen=True)
class BoxView:
    """A cell's box on a page picture, in percent of the picture so it scales with it."""

    key: str
    left: float
    top: float
    width: float
    height: float
    marks: list[str]
    tip: str


@dataclass(frozen=True)
class PageFigure:
    page: PageView
    boxes: list[BoxView]


@dataclass
class ReviewContext:
    doc_id: str
    result: DocumentResult
    source_name: str
    threshold: float
    legend: tuple = LEGEND
    tables: list[TableView] = field(default_factory=list)
    findings: list[FindingView] = field(default_factory=list)
    figures: list[PageFigure] = field(default_factory=list)
    images_note: str | None = None
    history: list[RunView] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    skipped_pages: list[tuple[int, str]] = field(default_factory=list)

    @property
    def finding_groups(self) -> list[tuple[str, list[FindingView]]]:
        return finding_groups(self.findings)


def review_threshold(result: DocumentResult) -> float:
    return float(result.document.settings.get("review_confidence", DEFAULT_REVIEW_CONFIDENCE))


def amount_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,}"


def cell_tip(cell: Cell, marks: list[str]) -> str:
    """Hover text: what was read, how sure, what was changed."""
    parts = [f"r{cell.row} c{cell.col}", f"“{cell.text}”" if cell.text else "empty", f"confidence {cell.confidence:.2f}"]
    if cell.raw_text is not None and cell.raw_text != cell.text:
        parts.append(f"read as “{cell.raw_text}”")
    parts += cell.corrections
    if marks:
        parts.append("marked: " + ", ".join(marks))
    return " · ".join(parts)


def slot_views(index: int, table: Table, marks: dict[str, list[str]]) -> list[list[SlotView]]:
    rows = []
    for row_index, row in enumerate(table_slots(table)):
        views = []
        for col_index, slot in enumerate(row):
            if slot is None:
                continue
            key = cell_key(index, row_index, col_index)
            if slot == "gap":
                views.append(SlotView(key, "", 1, 1, row_index < table.header_rows, [], "no cell here"))
                continue
            mine = marks.get(key, [])
            numeric = cell_amount(slot) is not None
            views.append(SlotView(key, slot.text, slot.rowspan, slot.colspan, row_index < table.header_rows, mine,
                                  cell_tip(slot, mine), numeric))
        rows.append(views)
    return rows


def table_view(index: int, table: Table, marks: dict[str, list[str]]) -> TableView:
    rows = slot_views(index, table, marks)
    columns = [
        ColumnView(column.canonical or PATH_SEPARATOR.join(column.header_path) or f"列{column.index + 1}",
                   PATH_SEPARATOR.join(column.header_path), column.canonical is not None)
        for column in table.columns
    ]
    return TableView(index, table.title or f"Table {index + 1}", table.unit or "", ", ".join(map(str, table.pages)),
                     table.form, rows[: table.header_rows], rows[table.header_rows :], columns, len(table.validation))


def finding_where(result: DocumentResult, index: int | None) -> str:
    """The table and its pages a finding belongs to: findings are grouped under it on the page."""
    if index is None:
        return "across tables"
    table = result.tables[index]
    pages = ", ".join(map(str, table.pages))
    return f"{table.title or f'Table {index + 1}'} (table {index + 1}, page{'s' if len(table.pages) > 1 else ''} {pages})"


def finding_groups(findings: list[FindingView]) -> list[tuple[str, list[FindingView]]]:
    """Findings by table (and its pages), in document order: one heading per table, not per finding."""
    groups: dict[str, list[FindingView]] = {}
    for view in findings:
        groups.setdefault(view.where, []).append(view)
    return list(groups.items())


def finding_views(result: DocumentResult) -> list[FindingView]:
    views = []
    for number, (index, finding) in enumerate(all_findings(result)):
        where = finding_where(result, index)
        views.append(FindingView(f"finding-{number}", where, finding.rule, finding.message, amount_text(finding.expected),
                                 amount_text(finding.found), amount_text(finding.difference), finding_keys(result, finding, index)))
    return views


def page_figures(result: DocumentResult, pages: list[PageView], marks: dict[str, list[str]]) -> list[PageFigure]:
    """One figure per picture, with a box for every cell read on that page."""
    figures = []
    for page in pages:
        boxes = []
        for index, table in enumerate(result.tables):
            for cell in table.cells:
                x0, y0, x1, y1 = cell.bbox
                if cell.page != page.number or x1 <= x0 or y1 <= y0:
                    continue
                key = cell_key(index, cell.row, cell.col)
                mine = marks.get(key, [])
                boxes.append(BoxView(key, 100 * x0 * page.scale / page.width, 100 * y0 * page.scale / page.height,
                                     100 * (x1 - x0) * page.scale / page.width, 100 * (y1 - y0) * page.scale / page.height,
                                     mine, cell_tip(cell, mine)))
        figures.append(PageFigure(page, boxes))
    return figures


def pages_to_show(result: DocumentResult) -> tuple[list[int], str | None]:
    """Pages holding cells; for a document without tables, its first few pages or why there are none."""
    pages = sorted({cell.page for table in result.tables for cell in table.cells} | {p for t in result.tables for p in t.pages})
    info = result.document
    if pages or info.status != DocumentStatus.FAILED:
        return pages, None
    if info.error_kind not in PREVIEW_KINDS:
        return [], f"not rendered after a {info.error_kind or 'failed'} failure (the file may not render at all)"
    return list(range(1, min(PREVIEW_PAGES, info.pages or PREVIEW_PAGES) + 1)), None


def build_context(
    doc_id: str,
    result: DocumentResult,
    pages: list[PageView],
    images_note: str | None,
    history: list[RunView],
    suggestions: list[Suggestion],
) -> ReviewContext:
    threshold = review_threshold(result)
    marks = cell_marks(result, threshold)
    return ReviewContext(
        doc_id=doc_id,
        result=result,
        source_name=Path(result.document.source).name,
        threshold=threshold,
        tables=[table_view(index, table, marks) for index, table in enumerate(result.tables)],
        findings=finding_views(result),
        figures=page_figures(result, pages, marks),
        images_note=images_note,
        history=history,
        suggestions=suggestions,
        unmapped=unmapped_columns(result),
        skipped_pages=[(note.page, note.skipped) for note in result.document.page_notes if note.skipped],
    )
