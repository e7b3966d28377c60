"""Cell text that spreadsheets show as text, never run as a formula (CSV and formula injection).

Cells come from documents anyone can publish: a cell printed as ``=HYPERLINK(...)`` or
``=cmd|'/C calc'!A0`` must reach a reviewer's Excel as the characters printed. Following
OWASP's CSV-injection advice, CSV text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with a single quote, unless it is a number (``-12.50`` stays a
number) or a bare dash (the printed zero ``-``). In workbooks, text cells are typed as strings.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")
_DASHES = re.compile(r"-+")


def is_inert(text: str) -> bool:
    """Whether a spreadsheet reads ``text`` as plain data: no formula start, or a number or dash."""
    return not text.startswith(FORMULA_STARTS) or bool(_NUMBER.fullmatch(text) or _DASHES.fullmatch(text))


def csv_safe(value):
    """``value`` for a CSV cell: text that could start a formula gets a leading ``'``; other values as they are."""
    if isinstance(value, str) and not is_inert(value):
        return "'" + value
    return value


def csv_safe_row(values) -> list:
    return [csv_safe(value) for value in values]
