"""``python -m flows.cli``: the same command line as ``disclosure-ocr``."""

from flows.cli.app import app

if __name__ == "__main__":
    app()
