"""Stage 3d: a page's grids and cell readings assembled into tables with header rows, titles and units; tables continued over pages joined."""
