"""Stage 1 and 2: turn an input file into page images, and page images into text."""
