"""Turn grids and their cell readings into the output model's Tables: the one spine both text sources feed.

A page's text comes from OCR of its image or from its PDF text layer (img2table's idea: the layer is one
more OCR backend). Either way the same steps follow, written once here: grid → cell readings → caption
→ table.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

from ocr.pages.page_image import PageImage

from table_reconstruct.cells.cell_text import CellReading
from table_reconstruct.grid.geometry import Rect
from table_reconstruct.grid.grid import Grid
from table_reconstruct.tables.header import count_header_rows, header_paths
from table_reconstruct.semantics.form_columns import identify_table
from table_reconstruct.model import Cell, Column, Table
from table_reconstruct.tables.title import TableCaption, TextLine, read_caption

# How far above a grid to look for its title, unit and department lines.
CAPTION_REACH_INCHES = 2.0

CaptionLines = Callable[[Rect], Sequence[TextLine]]


def assemble_tables(page: PageImage, grids: Sequence[Grid], readings: Iterable[Sequence[CellReading]],
                    caption_lines: CaptionLines) -> list[Table]:
    """Each grid's table, top to bottom: its cell readings, then its caption from the text lines of the area
    above it (up to ``CAPTION_REACH_INCHES``, never above the grid before), then the table.

    ``readings`` gives one grid's readings at a time, in the grids' order (a generator reads them only when
    their table is assembled); ``caption_lines`` reads the text lines inside an area of ``page``.
    """
    tables, previous_bottom = [], 0
    for grid, grid_readings in zip(grids, readings):
        top = max(previous_bottom, grid.rect.y0 - int(CAPTION_REACH_INCHES * page.dpi))
        area = Rect(0, top, page.image.shape[1], max(top, grid.rect.y0 - 2))
        caption = read_caption(caption_lines(area))
        tables.append(assemble_table(grid, grid_readings, caption, page.number, page.points_per_pixel))
        previous_bottom = grid.rect.y1
    return tables


def assemble_table(
    grid: Grid,
    readings: Sequence[CellReading],
    caption: TableCaption,
    page_number: int,
    points_per_pixel: float,
) -> Table:
    spans = [(r.cell.row, r.cell.col, r.cell.rowspan, r.cell.colspan) for r in readings]
    texts = {(r.cell.row, r.cell.col): r.text for r in readings}
    header_rows = count_header_rows(grid.n_rows, spans, texts)
    paths = header_paths(grid.n_cols, header_rows, spans, texts)
    identity = identify_table(caption.title, paths)
    columns = [
        Column(index=index, header_path=path, canonical=match.canonical, score=match.score)
        for index, (path, match) in enumerate(zip(paths, identity.columns))
    ]
    cells = [
        Cell(
            row=r.cell.row,
            col=r.cell.col,
            rowspan=r.cell.rowspan,
            colspan=r.cell.colspan,
            text=r.text,
            confidence=r.confidence,
            page=page_number,
            bbox=r.cell.rect.to_points(points_per_pixel),
            raw_text=r.raw_text,
            corrections=list(r.corrections),
        )
        for r in readings
    ]
    return Table(
        title=caption.title,
        unit=caption.unit,
        department=caption.department,
        pages=[page_number],
        n_rows=grid.n_rows,
        n_cols=grid.n_cols,
        header_rows=header_rows,
        cells=cells,
        columns=columns,
        bbox=grid.rect.to_points(points_per_pixel),
        form=identity.form.form,
        form_score=identity.form.score,
        page_bboxes=[grid.rect.to_points(points_per_pixel)],
    )
