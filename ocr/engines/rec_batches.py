"""Recognition batches grouped by width, with no fixed minimum width.

PaddleOCR's (and rapidocr's) recognizer pads every batch to at least the
model's nominal 320 px (ratio 6.67 at height 48), whatever its crops need.
Table cells are short (ratio 1–3), so two thirds of that work was padding:
the model's cost is linear in input width (≈85 µs per column on one core),
so only the columns the crops really need are computed here. Crops of
similar width are batched together so padding inside a batch stays small,
and each crop's blank left and right margins are trimmed to a fixed share
of its height first (callers pad crops generously; the model does not need it).

Crops longer than two characters are read at ``SQUEEZE`` of their natural
width. PP-OCR's recognizer is trained with long lines squeezed into its
320-px input, so it reads characters a quarter narrower as well as at full
width: on the 1,658 cell and caption crops of the corpus's 18 scanned pages
the normalized text changed in 7, five of them full- versus half-width
colons and two doubled decimal points that the squeezed read got right, for
a quarter less recognition work. Short crops (a digit, one or two
characters) keep their width: squeezed, a lone 入 read as Y.
"""

from __future__ import annotations

import math
from typing import Sequence

import cv2
import numpy as np

REC_HEIGHT = 48
# Narrowest input column count: a few CTC time steps even for a single digit.
MIN_WIDTH = 32
# Batch widths are rounded up to a multiple of this (the model downsamples by 8 along x).
WIDTH_STEP = 8
# Padded columns per batch: large enough to amortize a session call, small enough to stay in cache.
MAX_BATCH_COLUMNS = 2048
# A crop joins a batch only while the batch's padding stays under this share of its columns.
MAX_PADDING_SHARE = 0.25
# Blank margin kept left and right of a crop's ink, as a share of the crop's height: with a tenth, PP-OCR
# dropped a short leading 一 (一、财政拨款 read 、财政拨款 on a real 200-DPI scan); a quarter reads it.
SIDE_MARGIN = 0.25
# Share of its natural width a long crop is read at, and the natural width (columns) up to which
# a crop is left alone: two CJK characters or a short number.
SQUEEZE = 0.75
SQUEEZE_FROM = 96


# Ink, for trimming, is this many grey levels darker than the crop's paper (its median): three times a
# noisy scan's grain after blur and JPEG, and well under the contrast of faint grey print.
INK_CONTRAST = 24


def trim_sides(crop: np.ndarray) -> np.ndarray:
    """The crop without blank columns beyond ``SIDE_MARGIN`` × height on either side.

    Ink is anything ``INK_CONTRAST`` darker than the paper, so faint print is
    kept: measured against the darkest pixel, one black speck on a line of
    light grey print (a noisy scan's 二十四) made its first characters paper,
    and they were cut off. A crop with no contrast is returned whole.
    """
    gray = crop if crop.ndim == 2 else crop.min(axis=2)
    paper = int(np.median(gray))
    ink = (gray < paper - INK_CONTRAST).any(axis=0)
    if not ink.any():
        return crop
    columns = np.flatnonzero(ink)
    margin = max(2, int(SIDE_MARGIN * gray.shape[0]))
    return crop[:, max(0, int(columns[0]) - margin) : int(columns[-1]) + 1 + margin]


def scaled_width(height: int, width: int, squeeze: float = SQUEEZE) -> int:
    """Input columns for a crop at the recognizer's height: aspect kept, long crops squeezed (see above)."""
    natural = max(MIN_WIDTH, math.ceil(REC_HEIGHT * width / max(1, height)))
    if natural <= SQUEEZE_FROM:
        return natural
    return max(SQUEEZE_FROM, math.ceil(natural * squeeze))


def plan_batches(widths: Sequence[int]) -> list[list[int]]:
    """Indices of ``widths`` grouped into batches of similar width, narrowest first."""
    batches: list[list[int]] = []
    current: list[int] = []
    used = 0
    for index in sorted(range(len(widths)), key=lambda i: widths[i]):
        width = widths[index]
        padded = _round_up(width) * (len(current) + 1)
        if current and (padded > MAX_BATCH_COLUMNS or 1 - (used + width) / padded > MAX_PADDING_SHARE):
            batches.append(current)
            current, used = [], 0
        current.append(index)
        used += width
    if current:
        batches.append(current)
    return batches


def batch_tensor(crops: Sequence[np.ndarray], widths: Sequence[int]) -> np.ndarray:
    """Normalized NCHW float input ([-1, 1], zero padding on the right) for one batch."""
    batch_width = _round_up(max(widths))
    tensor = np.zeros((len(crops), 3, REC_HEIGHT, batch_width), dtype=np.float32)
    for k, (crop, width) in enumerate(zip(crops, widths)):
        resized = cv2.resize(crop, (min(width, batch_width), REC_HEIGHT)).astype(np.float32) / 127.5 - 1.0
        channels = resized[None] if resized.ndim == 2 else resized.transpose(2, 0, 1)
        tensor[k, :, :, : resized.shape[1]] = channels
    return tensor


def _round_up(width: int) -> int:
    return int(math.ceil(width / WIDTH_STEP) * WIDTH_STEP)
