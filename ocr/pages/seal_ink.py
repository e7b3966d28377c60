"""Red seal ink (公章) taken out of a colour page before its lines and text are read.

A seal stamped over a table puts its own text into cells (``附保专用章`` in an
amount cell), its ring into the rule masks, and darkens the characters under
it in the gray image. Red ink is light in the red channel while black ink is
dark in every channel; inside a seal each pixel's colour is unmixed into the
seal's ink and the print under it (the ink's colour is read off the page, from
orange-red to magenta), so black and light grey print stays and the seal goes.

Only sizeable red shapes are treated (a seal is 30-45 mm across): a line of
red text elsewhere on the page keeps its plain gray reading. Pages without
colour never reach this module (``has_colour`` decides, cheaply, at
rasterizing).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:  # page_image calls has_colour/to_gray: a runtime import back would be a cycle
    from ocr.pages.page_image import PageImage

MM_PER_INCH = 25.4
# Red ink: red channel above the larger of green and blue by this much (0-255).
RED_EXCESS = 25
# Darker than this in the red channel is not ink a seal leaves on paper.
MIN_RED = 90
# A red shape this wide and tall (mm), after closing its gaps, is a seal; a text line is not.
SEAL_MIN_MM, SEAL_MAX_MM = 12.0, 90.0
# Gaps between a seal's characters, ring and star are closed over this reach (mm).
CLOSE_MM = 1.5
# Colour check: sample every STRIDE-th pixel; a page shows colour when enough samples are chromatic.
STRIDE = 4
CHROMA = 40
MIN_CHROMATIC_SAMPLES = 40
# The ink's colour is measured where it takes at least this share of the paper's green/blue light.
MIN_TAKEN = 0.25
# An ink taking more of the red than this share of what it takes of green/blue is no red seal ink.
MAX_INK_RATIO = 0.6
# JPEG keeps colour at half the resolution of lightness, so a stroke's edge shows less of its ink's colour
# than its darkness asks and leaves a grey outline: what the colour gives back to the lightness is taken as
# its maximum over this square (px), lifting a pixel at most EDGE_LIFT (share of the paper) above its own
# reading, so that print beside a stroke stays dark.
CHROMA_REACH = 5
EDGE_LIFT = 0.10


def has_colour(rgb: np.ndarray) -> bool:
    """Whether an RGB page shows colour beyond scanner/JPEG noise (a few ms on a 200-DPI page)."""
    sample = np.ascontiguousarray(rgb[::STRIDE, ::STRIDE])
    chroma = cv2.subtract(cv2.max(cv2.max(sample[..., 0], sample[..., 1]), sample[..., 2]),
                          cv2.min(cv2.min(sample[..., 0], sample[..., 1]), sample[..., 2]))
    return cv2.countNonZero(cv2.threshold(chroma, CHROMA, 255, cv2.THRESH_BINARY)[1]) >= MIN_CHROMATIC_SAMPLES


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """Plain luminance, what a grayscale render would give."""
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def red_ink(rgb: np.ndarray) -> np.ndarray:
    """Mask (uint8 0/255) of red, orange-red and pink ink, faded or not."""
    red, green, blue = cv2.split(rgb)
    excess = cv2.subtract(red, cv2.max(green, blue))
    mask = cv2.threshold(excess, RED_EXCESS, 255, cv2.THRESH_BINARY)[1]
    return cv2.bitwise_and(mask, cv2.threshold(red, MIN_RED, 255, cv2.THRESH_BINARY)[1])


def seal_regions(rgb: np.ndarray, dpi: float, ink: np.ndarray | None = None) -> np.ndarray:
    """Mask (uint8 0/255) of the areas seals cover: each sizeable red shape's filled hull.

    Shapes are found on a 4× smaller copy of the ink mask (a seal is hundreds of pixels wide), so a
    sealed page costs tens of milliseconds.
    """
    ink = red_ink(rgb) if ink is None else ink
    px = dpi / MM_PER_INCH
    step = max(1, int(dpi // 50))
    small = cv2.resize(ink, (ink.shape[1] // step, ink.shape[0] // step), interpolation=cv2.INTER_AREA)
    reach = max(3, int(round(CLOSE_MM * px / step)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach))
    closed = cv2.morphologyEx((small > 0).astype(np.uint8), cv2.MORPH_CLOSE, kernel)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    regions = np.zeros_like(ink)
    lo, hi = SEAL_MIN_MM * px / step, SEAL_MAX_MM * px / step
    for label in range(1, count):
        x, y, w, h = stats[label, :4]
        if not (lo <= w <= hi and lo <= h <= hi):
            continue
        points = cv2.findNonZero((labels[y:y + h, x:x + w] == label).astype(np.uint8))
        hull = cv2.convexHull(points + np.array([x, y], dtype=np.int32))
        cv2.fillConvexPoly(regions, (hull * step + step // 2).astype(np.int32), 255)
    if cv2.countNonZero(regions):
        margin = max(3, int(round(CLOSE_MM * px)) | 1)
        x, y, w, h = cv2.boundingRect(regions)
        box = (slice(max(0, y - margin), y + h + margin), slice(max(0, x - margin), x + w + margin))
        regions[box] = cv2.dilate(regions[box], cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (margin, margin)))
    return regions


def ink_ratio(red: np.ndarray, other: np.ndarray, paper_red: float, paper_other: float) -> float:
    """How much of the paper the seal ink takes from the red channel per unit it takes from the others.

    Multiplied ink of one colour takes the same share of every channel's light wherever it lies, however
    thick, so the median over the seal's strongly inked pixels is the ink's own colour: orange-red inks
    take little red, magenta more. Print under the ink is a minority of those pixels.
    """
    taken_red = 1.0 - red / paper_red
    taken_other = 1.0 - other / paper_other
    strong = taken_other > MIN_TAKEN
    if not strong.any():
        return 0.0
    return float(np.clip(np.median(taken_red[strong] / taken_other[strong]), 0.0, MAX_INK_RATIO))


def remove_seals(rgb: np.ndarray, gray: np.ndarray, dpi: float) -> tuple[np.ndarray, int]:
    """``gray`` with the seals of ``rgb`` taken out, and how many seals there were.

    Inside a seal each pixel is unmixed: with the red channel ``r`` and the mean of green and blue
    ``o`` (each over its paper level), ink of ratio ``q`` leaves ``r = b (1 - a q k)`` and
    ``o = b (1 - a k)`` over print of darkness ``b``, so ``b = r + q / (1 - q) (r - o)`` whatever the
    ink's thickness ``a k``. The seal's strokes come back as paper, and the print under them, light
    grey rules included, keeps its own darkness (never darker than the plain gray). The outlines JPEG's
    half-resolution colour leaves along strokes are lifted by the colour of their neighbours.
    """
    ink = red_ink(rgb)
    regions = seal_regions(rgb, dpi, ink)
    seals = cv2.connectedComponents(regions)[0] - 1
    if not seals:
        return gray, 0
    x, y, w, h = cv2.boundingRect(regions)
    box = (slice(y, y + h), slice(x, x + w))
    inside = regions[box] > 0
    window_rgb = rgb[box].astype(np.float32)
    red, other = window_rgb[..., 0], (window_rgb[..., 1] + window_rgb[..., 2]) / 2.0
    sample = rgb[::STRIDE, ::STRIDE].astype(np.float32)
    paper_red = max(float(np.median(sample[..., 0])), 1.0)
    paper_other = max(float(np.median((sample[..., 1] + sample[..., 2]) / 2.0)), 1.0)
    paper = float(np.median(gray[::STRIDE, ::STRIDE]))
    seal_ink = inside & (ink[box] > 0)
    ratio = ink_ratio(red[seal_ink], other[seal_ink], paper_red, paper_other)
    r, o = red / paper_red, other / paper_other
    lightness = gray[box].astype(np.float32) / max(paper, 1.0)
    own = r + ratio / (1.0 - ratio) * (r - o)
    kernel = np.ones((CHROMA_REACH, CHROMA_REACH), np.uint8)
    spread = lightness + cv2.dilate(own - lightness, kernel)
    print_level = np.clip(np.maximum(own, np.minimum(spread, own + EDGE_LIFT)) * paper, 0.0, paper)
    cleaned = gray.copy()
    window = cleaned[box]
    window[inside] = np.maximum(window[inside], np.rint(print_level[inside]).astype(np.uint8))
    return cleaned, seals


def reading_page(page: PageImage) -> tuple[PageImage, int]:
    """The page as it should be read (seals taken out of its gray), and how many seals were taken out."""
    if page.colour is None:
        return page, 0
    gray, seals = remove_seals(page.colour, page.image, page.dpi)
    return (replace(page, image=gray) if seals else page), seals
