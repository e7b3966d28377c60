"""Font files for rendering and a resolution-independent text measurer.

Noto Serif CJK SC (宋体-like) for body text and Noto Sans CJK SC Bold (黑体-like)
for titles, the look of typical 部门预算 PDFs. Measuring at a fixed large size
and scaling keeps layout independent of DPI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from PIL import ImageFont

NOTO_SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
NOTO_SANS_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
NOTO_SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_SC_INDEX = 2  # SC face inside the Noto CJK collections

_REF_SIZE = 200


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int = 0


@dataclass(frozen=True)
class FontSet:
    """Regular face for cells/dept line, bold face for the title."""

    regular: FontFace = field(default_factory=lambda: FontFace(NOTO_SERIF, NOTO_SC_INDEX))
    bold: FontFace = field(default_factory=lambda: FontFace(NOTO_SANS_BOLD, NOTO_SC_INDEX))

    def face(self, bold: bool) -> FontFace:
        return self.bold if bold else self.regular

    def pil(self, size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        face = self.face(bold)
        return _load(face.path, face.index, size_px)

    def measure(self, text: str, size_pt: float, bold: bool = False) -> float:
        """Advance width of ``text`` in points at ``size_pt``."""
        return self.pil(_REF_SIZE, bold).getlength(text) * size_pt / _REF_SIZE


def body_fonts(body: str) -> FontSet:
    """``"song"`` (serif body, the default look) or ``"hei"`` (sans body), bold sans titles either way."""
    if body == "song":
        return FontSet()
    if body == "hei":
        return FontSet(regular=FontFace(NOTO_SANS, NOTO_SC_INDEX))
    raise ValueError(f"unknown body font {body!r}: song or hei")


@lru_cache(maxsize=64)
def _load(path: str, index: int, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size_px, index=index)
