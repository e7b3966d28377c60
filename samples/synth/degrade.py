"""Seeded scan degradations applied to a clean page image.

Kept separate from rendering so the same clean page can be degraded many
ways. Geometric options (skew) move pixels but NOT the truth bboxes: callers
that enable them must transform the truth themselves (see ``skew_deg``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter


@dataclass(frozen=True)
class ScanNoise:
    """Knobs of a simulated scan; defaults are the mild look of the bundled sample."""

    paper: int = 246          # background gray level
    ink: int = 22             # darkest ink level
    blur_radius: float = 0.45  # gaussian blur in px (optics)
    noise_sigma: float = 5.0   # additive gaussian noise (sensor)
    speckles: int = 15         # dark dust specks
    skew_deg: float = 0.0      # rotation; truth bboxes are NOT rotated
    illumination: float = 0.0  # 0..1 strength of a left-to-right brightness falloff


def degrade(image: Image.Image, seed: int, noise: ScanNoise = ScanNoise()) -> Image.Image:
    """Return a scanned-looking grayscale copy of ``image`` (same size), deterministic in ``seed``."""
    rng = np.random.default_rng(seed)
    img = image.convert("L")
    if noise.skew_deg:
        img = img.rotate(noise.skew_deg, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if noise.blur_radius > 0:
        img = img.filter(ImageFilter.GaussianBlur(noise.blur_radius))
    a = np.asarray(img, dtype=np.float32) / 255.0
    a = noise.ink + (noise.paper - noise.ink) * a
    if noise.illumination:
        ramp = np.linspace(1.0, 1.0 - 0.25 * noise.illumination, a.shape[1], dtype=np.float32)
        a = a * ramp[None, :]
    if noise.noise_sigma:
        a = a + rng.normal(0.0, noise.noise_sigma, a.shape).astype(np.float32)
    _speckle(a, rng, noise.speckles)
    return Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), mode="L")


def degrade_rgb(image: Image.Image, seed: int, noise: ScanNoise = ScanNoise()) -> Image.Image:
    """A colour scan (red seals stay red): each band degraded alike, the same seed giving the same geometry and specks."""
    bands = [degrade(band, seed, noise) for band in image.convert("RGB").split()]
    return Image.merge("RGB", bands)


def _speckle(a: np.ndarray, rng: np.random.Generator, count: int) -> None:
    """Paint ``count`` small dark dots (1-2 px radius) in place."""
    h, w = a.shape
    yy, xx = np.mgrid[-3:4, -3:4]
    for _ in range(count):
        cy, cx = int(rng.integers(3, h - 3)), int(rng.integers(3, w - 3))
        radius = float(rng.uniform(0.7, 2.0))
        level = float(rng.uniform(30, 130))
        mask = (yy ** 2 + xx ** 2) <= radius ** 2
        patch = a[cy - 3:cy + 4, cx - 3:cx + 4]
        patch[mask] = np.minimum(patch[mask], level)
