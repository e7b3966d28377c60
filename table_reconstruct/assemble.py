"""Turn a grid and its cell readings into the output model's Table."""

from __future__ import annotations

from typing import Sequence

from .cell_text import CellReading
from .grid import Grid
from .header import count_header_rows, header_paths
from .form_columns import identify_table
from .model import Cell, Column, Table
from .title import TableCaption


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
