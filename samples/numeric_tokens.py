"""Amount tokens: the numbers with a decimal point, the money in every budget table.

Shared by the corpus generator (truth for the real PDFs, read from their
text layer) and the benchmark (what the systems read), so both sides cut
numbers the same way. Integers are left out on purpose: on real pages they
are mostly page numbers, years and codes outside the tables.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_AMOUNT = re.compile(r"-?\d[\d,]*\.\d+")


def amount_tokens(text: str) -> list[str]:
    """Every ``1,234.56``-style number in ``text``, thousands separators dropped."""
    text = unicodedata.normalize("NFKC", text)
    return [token.replace(",", "") for token in _AMOUNT.findall(text)]


def multiset_overlap(truth: list[str], predicted: list[str]) -> int:
    """How many predicted tokens can be paired with an equal truth token (each used once)."""
    return sum((Counter(truth) & Counter(predicted)).values())
