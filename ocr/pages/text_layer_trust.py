"""Whether a page's text layer can be used instead of OCR, and why (per page).

Prior art: MinerU's ``pdf_classify.py`` (too few characters, invalid
characters, page images) and OCRmyPDF's corrupt-text check (replacement and
private-use characters). Government PDFs printed from Office with broken
font maps add look-alike CJK radicals: the layer says ⻔ (U+2EE8) or ⼀
(U+2F00) where the page shows 门 or 一. A layer can also be plausible and
still wrong (scrambled digits), so the caller compares a few sampled cells
with a cheap OCR of the same cells (``agreement_verdict``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from rapidfuzz.distance import Levenshtein

from ocr.pages.pdfium_doc import PageLayer

# A table page carries far more; fewer means the layer is missing or partial.
MIN_CHARS = 20
# Suspicious characters tolerated per page (one odd glyph from a symbol font is not a broken layer).
MAX_SUSPICIOUS_SHARE = 0.01
MAX_SUSPICIOUS_COUNT = 3
# Share of text objects in render mode 3 that makes a layer an OCR layer.
INVISIBLE_SHARE = 0.5
# A page this covered by images is a scan.
SCAN_IMAGE_COVER = 0.8
# Normalized edit similarity below which a sampled cell disagrees with its OCR reading.
MIN_SAMPLE_SIMILARITY = 0.8

_KANGXI = range(0x2F00, 0x2FE0)
_RADICALS_SUPPLEMENT = range(0x2E80, 0x2F00)
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class Verdict:
    trusted: bool
    reason: str


def char_kind(ch: str) -> str | None:
    """Why a character marks a broken layer, or None for an ordinary character."""
    code = ord(ch)
    if code in _KANGXI or code in _RADICALS_SUPPLEMENT:
        return "look-alike CJK radical"
    if ch in "\ufffd\ufffe\uffff" or code == 0:
        return "replacement character (glyph without Unicode mapping)"
    category = unicodedata.category(ch)
    if category == "Co":
        return "private-use character"
    if category == "Cc":
        return "control character"
    return None


def layer_verdict(layer: PageLayer) -> Verdict:
    """The checks that need no pixels: is there a layer at all, is it the page's own text, is it well-formed."""
    count = len(layer.chars)
    if count == 0:
        return Verdict(False, "no text layer")
    if count < MIN_CHARS:
        return Verdict(False, f"too few characters in the text layer ({count} < {MIN_CHARS})")
    if layer.text_objects and layer.invisible_text_objects >= INVISIBLE_SHARE * layer.text_objects \
            and layer.image_cover >= SCAN_IMAGE_COVER:
        return Verdict(False, "invisible text over a page-size image: an earlier OCR layer, not the page's own text")
    kinds: dict[str, int] = {}
    for ch in layer.chars:
        kind = char_kind(ch.text)
        if kind:
            kinds[kind] = kinds.get(kind, 0) + 1
    suspicious = sum(kinds.values())
    if suspicious > MAX_SUSPICIOUS_COUNT or suspicious > MAX_SUSPICIOUS_SHARE * count:
        detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda item: -item[1]))
        return Verdict(False, f"garbled text layer: {detail} among {count} characters")
    return Verdict(True, f"text layer looks well-formed ({count} characters)")


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace(",", "")


def cells_agree(layer_text: str, ocr_text: str) -> bool:
    """Same digits and nearly the same text (OCR may differ in a punctuation mark, not in a number)."""
    a, b = _key(layer_text), _key(ocr_text)
    if a == b:
        return True
    if _DIGITS.findall(a) != _DIGITS.findall(b):
        return False
    return Levenshtein.normalized_similarity(a, b) >= MIN_SAMPLE_SIMILARITY


def agreement_verdict(pairs: Sequence[tuple[str, str]]) -> Verdict:
    """Trusted when every sampled cell's layer text agrees with its OCR reading."""
    if not pairs:
        return Verdict(True, "text layer trusted (no filled cell to sample)")
    wrong = [(a, b) for a, b in pairs if not cells_agree(a, b)]
    if wrong:
        layer_text, ocr_text = wrong[0]
        return Verdict(False, f"text layer disagrees with the page image in {len(wrong)} of {len(pairs)} "
                              f"sampled cells (layer {layer_text!r}, image {ocr_text!r})")
    return Verdict(True, f"text layer trusted: well-formed and {len(pairs)} of {len(pairs)} sampled cells "
                         "agree with OCR of the page image")
