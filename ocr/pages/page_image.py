"""A rendered page: its pixels (gray, and colour when it shows some) and the DPI that maps them back to points.

What both renderers (``rasterize``'s pdf2image, ``pdfium_doc``'s pypdfium2) produce, kept apart from them
so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class PageImage:
    """One rasterized page: grayscale pixels plus the DPI that maps them back to points.

    ``colour`` holds the RGB pixels when colour was asked for and the page
    shows some (a red seal, say); ``image`` is always the plain gray.
    """

    number: int
    image: np.ndarray
    dpi: float
    note: str | None = None
    colour: np.ndarray | None = None

    @property
    def points_per_pixel(self) -> float:
        return 72.0 / self.dpi


def capped_dpi(size_points: tuple[float, float] | None, dpi: float, max_side_px: int) -> float:
    """The DPI to render a page at so neither side exceeds ``max_side_px``."""
    if size_points is None:
        return dpi
    longest = max(size_points) / 72.0 * dpi
    if longest <= max_side_px:
        return dpi
    return dpi * max_side_px / longest


def page_image(number: int, image: Image.Image | np.ndarray, dpi: float, note: str | None = None,
               colour: bool = False) -> PageImage:
    """A PageImage from rendered pixels: plain gray, plus the RGB pixels when asked for and the page shows colour."""
    if isinstance(image, Image.Image):
        if not colour or image.mode in ("1", "L", "LA", "I", "I;16", "F"):
            return PageImage(number=number, image=np.asarray(image.convert("L")), dpi=dpi, note=note)
        image = np.asarray(image.convert("RGB"))
    if image.ndim == 2:
        return PageImage(number=number, image=image, dpi=dpi, note=note)
    from ocr.pages.seal_ink import has_colour, to_gray

    return PageImage(number=number, image=to_gray(image), dpi=dpi, note=note,
                     colour=image if has_colour(image) else None)
