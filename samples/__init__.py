"""Bundled samples and the synthetic budget-table generator that makes them."""
