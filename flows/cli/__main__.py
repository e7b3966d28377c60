"""``python -m flows.cli``: the same command line as ``disclosure-ocr``."""

from flows.cli.app import app

app()
