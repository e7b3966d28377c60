"""Reading a PDF's text layer with poppler's ``pdftotext``: whole pages, or words with boxes."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

Word = tuple[float, float, float, float, str]  # x0, y0, x1, y1 in points from the top-left, text

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def page_text(pdf: Path, page: int) -> str:
    """The text layer of one 1-based page."""
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout


def words_by_page(pdf: Path) -> list[list[Word]]:
    """Every word of every page with its bbox (``pdftotext -bbox``)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [[(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in _WORD.findall(page)]
            for page in out.split("<page ")[1:]]
