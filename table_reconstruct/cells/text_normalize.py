"""Text clean-up shared by cells, headers and titles.

Disclosures space header words out character by character ("工 资 福 利 支 出")
and OCR reads those spaces back; Chinese has no word spaces, so whitespace is
dropped unless it separates two Latin words.
"""

from __future__ import annotations

import re
import unicodedata

_LATIN = r"[A-Za-z]"
_SPACE_RUN = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese character (CJK unified ideographs)."""
    return bool(_CJK.search(text))

# Chinese names print full-width brackets (办公厅（室）); OCR cannot tell "(" from "（" reliably,
# so in Chinese text both read as full-width, and the same name comes out the same everywhere.
_HALF_WIDTH_PARENS = str.maketrans("()", "（）")


def normalize_cell_text(text: str) -> str:
    """Remove OCR'd spacing inside Chinese text and numbers, keeping spaces between Latin words."""
    text = text.strip()
    if not text:
        return ""

    def keep_or_drop(match: re.Match) -> str:
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return " " if re.match(_LATIN, before) and re.match(_LATIN, after) else ""

    text = _SPACE_RUN.sub(keep_or_drop, text)
    return text.translate(_HALF_WIDTH_PARENS) if has_cjk(text) else text


def matching_key(text: str) -> str:
    """A comparison form: NFKC (full-width to half-width), no spaces, no trailing colon."""
    text = unicodedata.normalize("NFKC", normalize_cell_text(text))
    return text.replace(" ", "").rstrip(":").replace("“", '"').replace("”", '"')
