"""The form number a disclosure prints by a table ("预算01表", "公开 02 表", "财决A03表"), recognized in one place.

A title's number helps tell forms apart (``form_classifier``); a line holding only the number is not the
title (``title``). One pattern serves both, so a number that one of them reads the other does not miss.
"""

from __future__ import annotations

import re

# An optional letter series (财决A03表) and one leading zero (预算01表); the number is group 1.
FORM_NUMBER = re.compile(r"(?:部门)?(?:预算|公开|决算|财决)\s*(?:[A-Za-z]+)?0?(\d{1,2})\s*表")


def form_number(text: str) -> int | None:
    """The first form number printed in ``text``, if any."""
    found = FORM_NUMBER.search(text)
    return int(found.group(1)) if found else None


def without_form_number(text: str) -> str:
    return FORM_NUMBER.sub("", text)


def is_form_number_only(text: str) -> bool:
    """A line that holds a form number and nothing else (spaces around it aside)."""
    return FORM_NUMBER.fullmatch(text.strip()) is not None
