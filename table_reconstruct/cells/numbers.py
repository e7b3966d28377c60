"""Amount text: tell numbers apart from blanks and dashes, and strip scan debris around them.

Only unambiguous repairs happen here (a speck read as a trailing "." after a
complete amount); each one is returned so the cell can record it. Repairs
that need the table's arithmetic to be trusted live in ``corrections``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache

from table_reconstruct.cells.text_normalize import has_cjk

_AMOUNT = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
_STRAY_EDGES = re.compile(r"^[.,·'`˙:;]+|[.,·'`˙:;]+$")
_DASHES = {"-", "—", "–", "－", "——", "−", "―", "─"}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．－−", "0123456789,.--")


class AmountKind(str, Enum):
    """What an amount cell holds: a number, a printed dash (nil), nothing, or other text."""

    NUMBER = "number"
    DASH = "dash"
    BLANK = "blank"
    TEXT = "text"


@dataclass(frozen=True)
class Amount:
    kind: AmountKind
    value: Decimal | None = None
    decimals: int = 0

    @property
    def as_sum_term(self) -> Decimal | None:
        """Value in a sum: blanks and dashes count as zero, other text is unknown."""
        if self.kind is AmountKind.NUMBER:
            return self.value
        return Decimal(0) if self.kind in (AmountKind.DASH, AmountKind.BLANK) else None


# Marks that mean nothing standing alone in a cell: what OCR makes of dust in an empty cell.
_DUST_ONLY = re.compile(r"^[.,·•。:;'`˙、，：；°*\"“”‘’]+$")
# Marks a speck beside a word is read as; stripped from the ends of text cells (colons stay: 其中：).
_STRAY_TEXT_EDGES = re.compile(r"^[.,·•'`˙，]+|[.,·•'`˙，]+$")
# A dot read right after a Chinese punctuation mark (一、.一般): no text prints two marks in a row, the dot is a speck.
_MARK_AFTER_MARK = re.compile(r"(?<=[、，。；：])[.·˙'`]+")
# 1.015.15, 1.803.849103: an amount has one decimal point, so every dot before the last is a thousands
# comma (the last group is no thousands group: not three digits).
_DOTTED_THOUSANDS = re.compile(r"^-?\d{1,3}(?:\.\d{3})+\.(?:\d{1,2}|\d{4,})$")
# 2,280000, 6,700,00: a thousands comma is followed by exactly three digits, so a last comma followed by
# another count of digits, with no point anywhere, is the decimal point read as a comma.
_COMMA_POINT = re.compile(r"^-?\d{1,3}(?:,\d{3})*,(?:\d{1,2}|\d{4,})$|^-?\d+,(?:\d{1,2}|\d{4,})$")


def is_amount(text: str) -> bool:
    return bool(_AMOUNT.match(text))


def is_dash(text: str) -> bool:
    return text.strip() in _DASHES


def canonical_digits(text: str) -> str:
    """Full-width digits, commas, points and minus signs as ASCII, spaces removed."""
    return re.sub(r"\s+", "", text.translate(_FULL_WIDTH))


@lru_cache(maxsize=16384)
def read_amount(text: str | None) -> Amount:
    """Classify and parse one cell's text (thousands separators and full-width digits accepted).

    Memoized: a table's cells are read again by every rule that needs amounts, and tables
    repeat their texts (blanks, 0.00, the same totals); ``Amount`` is frozen.
    """
    stripped = (text or "").strip()
    if not stripped:
        return Amount(AmountKind.BLANK)
    if is_dash(stripped):
        return Amount(AmountKind.DASH)
    value = parse_amount(stripped)
    if value is None:
        return Amount(AmountKind.TEXT)
    return Amount(AmountKind.NUMBER, value, max(0, -value.as_tuple().exponent))


def parse_amount(text: str) -> Decimal | None:
    """The amount's value, or None for blanks, dashes and non-numbers."""
    text = canonical_digits(text.strip())
    if not is_amount(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def strip_stray_marks(text: str) -> tuple[str, str | None]:
    """Remove specks read as punctuation at the ends of an otherwise valid amount, or of a text.

    Returns the text to keep and a note of the correction (None if unchanged).
    """
    if is_amount(text) or not text:
        return text, None
    stripped = _STRAY_EDGES.sub("", text)
    if stripped != text and is_amount(stripped):
        return stripped, f"stray marks removed around amount: {text!r} -> {stripped!r}"
    stripped = _STRAY_TEXT_EDGES.sub("", text)
    if stripped != text and has_cjk(stripped):
        return stripped, f"stray marks removed around text: {text!r} -> {stripped!r}"
    stripped = _MARK_AFTER_MARK.sub("", text)
    if stripped != text and has_cjk(stripped):
        return stripped, f"speck read as a mark after punctuation removed: {text!r} -> {stripped!r}"
    return text, None


def strip_dust(text: str) -> tuple[str, str | None]:
    """An empty cell whose specks were read as dots stays empty (with a note of what was dropped)."""
    if _DUST_ONLY.match(text.replace(" ", "")):
        return "", f"specks read as {text!r} dropped"
    return text, None


def repair_thousands_dots(text: str) -> tuple[str, str | None]:
    """Thousands commas read as dots (``2.928.98``, small commas at low resolution) become commas again."""
    return _last_mark_apart(text, _DOTTED_THOUSANDS, ".", ",", "thousands separators read as dots")


def repair_comma_point(text: str) -> tuple[str, str | None]:
    """A decimal point read as a comma (``2,280000``: no thousands group has six digits) becomes a point."""
    return _last_mark_apart(text, _COMMA_POINT, ",", ",", "decimal point read as a comma")


def _last_mark_apart(text: str, pattern: re.Pattern, mark: str, before: str, why: str) -> tuple[str, str | None]:
    """When ``pattern`` matches: the last ``mark`` made the decimal point, the ones before it ``before``."""
    if not pattern.match(text):
        return text, None
    head, _, tail = text.rpartition(mark)
    repaired = f"{head.replace(mark, before)}.{tail}"
    return repaired, f"{why}: {text!r} -> {repaired!r}"
