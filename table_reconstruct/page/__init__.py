"""Stage 3a: a page image made upright and straight before any line is looked for."""
