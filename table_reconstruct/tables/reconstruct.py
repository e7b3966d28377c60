"""One page in, its tables out: lines → regions → grids → cell text → tables."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ocr.engines.base import OcrEngine
from ocr.pages.rasterize import PageImage
from ocr.pages.seal_ink import reading_page

from table_reconstruct.tables.assemble import assemble_tables
from table_reconstruct.cells.cell_text import prepare_text_page, read_cells
from table_reconstruct.grid.grid import Grid, build_grid
from table_reconstruct.grid.lines import LineMasks, TableRegion, extract_lines, find_table_regions
from table_reconstruct.model import Table
from table_reconstruct.page.page_geometry import PageGeometry, correct_page, table_to_original
from table_reconstruct.cells.page_text import read_text_lines


@dataclass(frozen=True)
class PageTables:
    tables: list[Table]
    grids: list[Grid]
    # What was done to the page before reading it; ``grids`` are in that corrected frame, ``tables`` are not.
    geometry: PageGeometry = field(default_factory=PageGeometry)
    # Red seals taken out of the page's colour before it was read.
    seals: int = 0


def find_grids(page: PageImage, scanned: bool = True) -> tuple[list[Grid], list[TableRegion], LineMasks]:
    """Grids of the page's ruled tables, with the regions they came from (``scanned``: look for faint rules too)."""
    masks = extract_lines(page.image, page.dpi, faint=scanned)
    grids, regions = [], []
    for region in find_table_regions(masks, page.dpi):
        grid = build_grid(region, page.dpi)
        # One row is kept: the last row or two of a table that ran over onto this page
        # (the page join keeps such a grid only where it continues the table before it).
        if grid is not None and grid.n_rows >= 1 and grid.n_cols >= 2:
            grids.append(grid)
            regions.append(region)
    return grids, regions, masks


def reconstruct_page(page: PageImage, engine: OcrEngine) -> PageTables:
    """Every ruled table on the page, with cell text, header paths, mapping and caption.

    Red seals are taken out of a colour page first (their text must not reach
    a cell), then the page is turned upright and straightened; table bboxes
    are mapped back onto the page as stored.
    """
    page, seals = reading_page(page)
    image, geometry = correct_page(page.image, page.dpi, engine)
    page = replace(page, image=image)
    grids, regions, masks = find_grids(page)
    if not grids:
        return PageTables(tables=[], grids=[], geometry=geometry, seals=seals)
    text_page = prepare_text_page(page.image, masks.ink, regions, page.dpi)
    readings = (read_cells(text_page, grid.cells, engine) for grid in grids)
    tables = assemble_tables(page, grids, readings, lambda area: read_text_lines(text_page.gray, area, engine, dpi=page.dpi))
    tables = [table_to_original(table, geometry, page.points_per_pixel) for table in tables]
    return PageTables(tables=tables, grids=grids, geometry=geometry, seals=seals)
