"""Stage 5b: steps over a whole document after its pages: annotation, identity, cells and reasons to review."""
