"""Stage 3b: ruling lines, table regions and grids with merged cells; geometry objects and pure functions on them."""
