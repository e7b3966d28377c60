"""Look-alike radicals in names: PDF fonts and OCR emit radical code points for whole characters.

A text layer or an OCR model can return ⻔ (U+2EC6, CJK RADICAL C-SIMPLIFIED
GATE) where the page shows 门; it looks the same but matches nothing.
Kangxi radicals (U+2F00–U+2FD5) have compatibility decompositions (NFKC);
the CJK Radicals Supplement mostly does not, so those are mapped here.
"""

from __future__ import annotations

import unicodedata

# CJK Radicals Supplement (U+2E80–U+2EFF) forms seen for whole characters.
_SUPPLEMENT = {
    "⺟": "母", "⺠": "民", "⻄": "西", "⻅": "见", "⻆": "角", "⻉": "贝", "⻋": "车", "⻓": "长", "⻔": "门",
    "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食", "⻢": "马", "⻣": "骨", "⻤": "鬼",
    "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟",
    "⺁": "厂", "⺇": "几", "⺊": "卜", "⺌": "小", "⺝": "月",
    "⺢": "水", "⺤": "爫", "⺦": "丬", "⺧": "牛", "⺫": "罒", "⺮": "竹", "⺶": "羊", "⺷": "羊", "⺻": "聿",
    "⺼": "肉", "⻊": "足", "⻍": "辶", "⻑": "長", "⻗": "雨", "⻖": "阝", "⻏": "阝", "⻈": "讠", "⻒": "镸",
}


def _is_kangxi(ch: str) -> bool:
    return "\u2f00" <= ch <= "\u2fd5"


def repair_radicals(text: str) -> str:
    """Replace radical code points by the ideographs they stand for; other characters stay."""
    return "".join(
        _SUPPLEMENT.get(ch) or (unicodedata.normalize("NFKC", ch) if _is_kangxi(ch) else ch) for ch in text
    )


def repaired(text: str) -> tuple[str, str | None]:
    """The repaired text and a note for the cell's corrections (None when nothing changed)."""
    fixed = repair_radicals(text)
    if fixed == text:
        return text, None
    return fixed, f"look-alike radicals replaced: {text!r} -> {fixed!r}"
