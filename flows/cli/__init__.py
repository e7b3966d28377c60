"""The ``disclosure-ocr`` command line: one module per group of commands, and the exit codes they share."""
