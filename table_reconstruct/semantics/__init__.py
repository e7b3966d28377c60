"""Stage 4: what a table means: its standard form, canonical column names, row codes, levels and names."""
