"""Skew estimation: the small angle a scanned page was fed in at.

Projection-profile search: the page's ink is turned through candidate
angles and the angle that makes its row and column profiles sharpest wins.
Ruling lines and text lines both line up with the axes only when the page is
straight, so the sum of squared profile steps peaks there. The search runs
on an ink mask shrunk to about 100 DPI (a 0.05° step is still under one
pixel of drift across a page), coarse first, then fine around the best.
Only the ink pixels' coordinates are turned and binned (no image warps), so
a page costs a few milliseconds.
"""

from __future__ import annotations

import cv2
import numpy as np

# Pages are searched for skew up to this many degrees either way.
MAX_SKEW_DEGREES = 5.0
# Below this the page is left alone: rotating costs a resample for no gain.
MIN_SKEW_DEGREES = 0.1
SEARCH_DPI = 100.0
COARSE_STEP = 0.2
# The coarse pass looks at every COARSE_STRIDE-th ink pixel only: enough to find the peak's neighbourhood.
COARSE_STRIDE = 4
FINE_STEP = 0.05


def profile_sharpness(xs: np.ndarray, ys: np.ndarray, degrees: float) -> float:
    """Sum of squared steps of the row and column profiles of ink points turned by ``degrees``.

    Turned counter-clockwise on screen (y points down), as ``cv2.getRotationMatrix2D`` does.
    """
    a = np.radians(degrees)
    rows = np.floor(ys * np.cos(a) - xs * np.sin(a)).astype(np.int64)
    cols = np.floor(xs * np.cos(a) + ys * np.sin(a)).astype(np.int64)
    row_profile = np.bincount(rows - rows.min()).astype(np.float64)
    col_profile = np.bincount(cols - cols.min()).astype(np.float64)
    return float((np.diff(row_profile) ** 2).sum() + (np.diff(col_profile) ** 2).sum())


def _best(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray) -> float:
    scores = [profile_sharpness(xs, ys, float(a)) for a in angles]
    return float(angles[int(np.argmax(scores))])


def estimate_skew(ink: np.ndarray, dpi: float, limit: float = MAX_SKEW_DEGREES) -> float:
    """Skew of the page whose ink mask (255 = ink) is ``ink``, in degrees.

    Positive means the content is turned counter-clockwise as seen on screen
    (PIL's ``Image.rotate`` sense); rotating the page by the negative of it
    straightens it. Returns 0.0 for a blank page.
    """
    if not ink.any():
        return 0.0
    scale = min(1.0, SEARCH_DPI / dpi)
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else ink
    ys, xs = np.nonzero(small > 127)
    if xs.size == 0:
        return 0.0
    # Centred so the turn is about the page centre, like the correction that follows.
    xs = xs - small.shape[1] / 2.0
    ys = ys - small.shape[0] / 2.0
    coarse = _best(xs[::COARSE_STRIDE], ys[::COARSE_STRIDE], np.arange(-limit, limit + COARSE_STEP / 2, COARSE_STEP))
    fine = _best(xs, ys, np.arange(coarse - COARSE_STEP, coarse + COARSE_STEP + FINE_STEP / 2, FINE_STEP))
    # The search rotates the ink back into place, so the page's own skew is the opposite.
    return round(-fine, 2)
