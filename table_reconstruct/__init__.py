"""Stages 3-5: ruled-table grids, cell text, header paths, canonical columns, titles."""
