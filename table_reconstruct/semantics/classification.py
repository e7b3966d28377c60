"""Budget classification codes: 功能分类 (类/款/项), 部门预算 and 政府预算 支出经济分类.

The code lists are data (``vocabulary/classification/*.csv``, see the README
there for what was verified against real disclosures). Everything here is a
pure function of a code: its scheme by the leading digit (2 = 功能分类,
3 = 部门预算支出经济分类, 5 = 政府预算支出经济分类), its level by length
(3/5/7 digits = 类/款/项), its parent by dropping the last two digits, and
its name from the lists, as printed in a given year where a name changed.

Tables print codes joined ("2011301") or split over columns ("201 | 13 | 01");
``join_code`` turns either into the joined form.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

from rapidfuzz import fuzz

from table_reconstruct.cells.text_normalize import matching_key

FUNCTION = "function"
DEPT_ECONOMIC = "dept_economic"
GOV_ECONOMIC = "gov_economic"
SCHEMES = {"2": FUNCTION, "3": DEPT_ECONOMIC, "5": GOV_ECONOMIC}
LEVELS = {3: "类", 5: "款", 7: "项"}

_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Former:
    """A name a code carried up to and including ``until`` (a year)."""

    name: str
    until: int


@dataclass(frozen=True)
class CodeEntry:
    code: str
    name: str
    level: str
    parent: Optional[str]
    scheme: str
    aliases: tuple[str, ...] = ()
    former: tuple[Former, ...] = ()
    # 部门预算支出经济分类 only: 人员经费 or 公用经费 in a 基本支出 table.
    basic_group: Optional[str] = None
    source: str = ""
    names: tuple[str, ...] = field(default=(), repr=False)

    def name_in(self, year: Optional[int]) -> str:
        """The name printed in ``year`` (the current one when the year is unknown or later)."""
        if year is not None:
            for former in sorted(self.former, key=lambda f: f.until):
                if year <= former.until:
                    return former.name
        return self.name or (self.former[-1].name if self.former else "")


def join_code(parts: str | Iterable[str]) -> Optional[str]:
    """``"201 | 13 | 01"``, ``["201", "13", "01"]`` or ``"2011301"`` → ``"2011301"``; None if not a code."""
    if isinstance(parts, str):
        parts = re.split(r"[\s|｜/]+", parts)
    text = "".join(matching_key(p) for p in parts if p and p.strip())
    if not _DIGITS.match(text) or len(text) not in LEVELS:
        return None
    return text


def code_level(code: str) -> Optional[str]:
    """类 / 款 / 项 by the code's length (3 / 5 / 7 digits), None for anything else."""
    return LEVELS.get(len(code)) if _DIGITS.match(code or "") else None


def parent_code(code: str) -> Optional[str]:
    """The code one level up (``2011301`` → ``20113`` → ``201``); None for a 类 or a non-code."""
    return code[:-2] if code_level(code) in ("款", "项") else None


def scheme_of(code: str) -> Optional[str]:
    """Which classification a code belongs to, by its leading digit."""
    return SCHEMES.get(code[:1]) if code_level(code) else None


def _former(text: str) -> tuple[Former, ...]:
    out = []
    for item in filter(None, (s.strip() for s in (text or "").split(";"))):
        name, _, until = item.partition("<=")
        out.append(Former(name.strip(), int(until)))
    return tuple(out)


def _read(scheme: str) -> dict[str, CodeEntry]:
    text = resources.files("table_reconstruct").joinpath(f"vocabulary/classification/{scheme}.csv").read_text(encoding="utf-8")
    entries = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["code"].strip()
        aliases = tuple(a for a in (row.get("aliases") or "").split("|") if a)
        former = _former(row.get("former", ""))
        entries[code] = CodeEntry(
            code=code,
            name=row["name"],
            level=code_level(code) or row.get("level", ""),
            parent=parent_code(code),
            scheme=scheme,
            aliases=aliases,
            former=former,
            basic_group=row.get("basic_expenditure_group") or None,
            source=row.get("source", ""),
            names=tuple(n for n in (row["name"], *aliases, *(f.name for f in former)) if n),
        )
    return entries


@lru_cache(maxsize=None)
def code_list(scheme: str) -> dict[str, CodeEntry]:
    """Every listed code of one scheme (``function``, ``dept_economic``, ``gov_economic``)."""
    if scheme not in SCHEMES.values():
        raise ValueError(f"unknown classification scheme {scheme!r}")
    return _read(scheme)


def lookup(code: str | Iterable[str], scheme: Optional[str] = None) -> Optional[CodeEntry]:
    """The listed entry for a code (joined or split), its scheme taken from the leading digit by default."""
    joined = join_code(code)
    if joined is None:
        return None
    scheme = scheme or scheme_of(joined)
    return code_list(scheme).get(joined) if scheme else None


def name_of(code: str | Iterable[str], year: Optional[int] = None, scheme: Optional[str] = None) -> Optional[str]:
    entry = lookup(code, scheme)
    return entry.name_in(year) if entry else None


def name_similarity(code: str | Iterable[str], text: str, scheme: Optional[str] = None) -> Optional[float]:
    """How well a printed row name fits the code (0-100, best of all its known names); None if unlisted."""
    entry = lookup(code, scheme)
    if entry is None or not entry.names:
        return None
    key = matching_key(text)
    return max(float(fuzz.ratio(key, matching_key(name))) for name in entry.names)
