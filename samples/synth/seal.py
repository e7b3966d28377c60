"""A red official seal (公章) stamped over a page, as on real scanned disclosures.

Real scans of 部门预算 carry the department's seal over the lower part of a
table: a red ring, a five-pointed star, the department's name around the
arc and a line such as 财务专用章 across the bottom. The ink is translucent
and multiplies with the page, so black strokes under it stay dark (red-black)
and the paper turns red; stamping pressure leaves it uneven. The reader must
neither read the seal's text into cells nor lose the characters under it.
"""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from samples.synth.fonts import FontSet

_DEPARTMENTS = (
    "市财政局", "市教育局", "市卫生健康委员会", "区人力资源和社会保障局", "市自然资源和规划局",
    "县农业农村局", "市交通运输局", "区民政局", "市住房和城乡建设局", "县水利局", "市生态环境局",
)
_CITIES = ("江城", "南平", "东阳", "青山", "云州", "临河", "安宁", "长乐")
_BOTTOM = ("财务专用章", "附保专用章", "预算专用章", "行政专用章", "")
_FONTS = FontSet()        # serif (宋体-like) or bold sans, as on real seals
_SEAL_MM = (38.0, 42.0)   # diameter of a real official seal
_SUPER = 2                # supersampling of the drawn seal


def stamp_seal(page: Image.Image, rng: random.Random) -> Image.Image:
    """Return ``page`` (RGB) with one seeded red seal over the lower right of its content."""
    base = page.convert("RGB")
    w, h = base.size
    px_per_mm = min(w, h) / 210.0  # A4 short side, portrait or landscape
    diameter = int(round(rng.uniform(*_SEAL_MM) * px_per_mm))
    density = _seal_density(diameter, rng)
    cx, cy = _centre(base, diameter, rng)
    return _blend(base, density, cx - diameter // 2, cy - diameter // 2, rng)


def _seal_density(diameter: int, rng: random.Random) -> np.ndarray:
    """Ink density in [0, 1] of a ``diameter``-pixel square seal, uneven like a hand stamp."""
    size = diameter * _SUPER
    img = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(img)
    r = size / 2
    ring = max(2, int(size * rng.uniform(0.028, 0.04)))
    draw.ellipse((ring / 2, ring / 2, size - ring / 2, size - ring / 2), outline=255, width=ring)
    if rng.random() < 0.35:  # a thin inner ring
        gap = ring * 1.8
        draw.ellipse((gap, gap, size - gap, size - gap), outline=255, width=max(1, ring // 3))
    _star(draw, r, r, r * rng.uniform(0.26, 0.32))
    bold = rng.random() < 0.5
    name = rng.choice(_CITIES) + rng.choice(_DEPARTMENTS)
    _arc_text(img, name, r, bold, rng)
    bottom = rng.choice(_BOTTOM)
    if bottom:
        _bottom_text(draw, bottom, r, bold)
    img = img.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
    img = img.resize((diameter, diameter), Image.Resampling.LANCZOS).filter(ImageFilter.GaussianBlur(0.6))
    ink = np.asarray(img, dtype=np.float32) / 255.0
    return ink * _unevenness(diameter, rng)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    """A filled five-pointed star, point up."""
    points = []
    for k in range(10):
        rad = radius if k % 2 == 0 else radius * 0.382
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((cx + rad * math.cos(angle), cy + rad * math.sin(angle)))
    draw.polygon(points, fill=255)


def _arc_text(img: Image.Image, text: str, r: float, bold: bool, rng: random.Random) -> None:
    """Characters upright toward the centre along the upper arc, spread over 200-250 degrees."""
    n = len(text)
    char_px = int(r * min(0.3, rng.uniform(2.6, 3.2) / max(n, 5)))
    font = _FONTS.pil(char_px, bold)
    radius = r * 0.86 - char_px * 0.5
    span = math.radians(min(250.0, 22.0 * n + 40.0))
    for i, ch in enumerate(text):
        theta = -math.pi / 2 - span / 2 + span * (i + 0.5) / n  # 0 = right, clockwise in image space
        glyph = Image.new("L", (char_px * 2, char_px * 2), 0)
        ImageDraw.Draw(glyph).text((char_px, char_px), ch, fill=255, font=font, anchor="mm",
                                   stroke_width=max(1, char_px // 30), stroke_fill=255)
        glyph = glyph.rotate(-math.degrees(theta) - 90, resample=Image.Resampling.BICUBIC)
        x, y = r + radius * math.cos(theta), r + radius * math.sin(theta)
        img.paste(255, (int(x - char_px), int(y - char_px)), glyph)


def _bottom_text(draw: ImageDraw.ImageDraw, text: str, r: float, bold: bool) -> None:
    """The horizontal line below the star (e.g. 财务专用章)."""
    char_px = int(r * 0.19)
    font = _FONTS.pil(char_px, bold)
    draw.text((r, r * 1.5), text, fill=255, font=font, anchor="mm", stroke_width=max(1, char_px // 30),
              stroke_fill=255)


def _unevenness(size: int, rng: random.Random) -> np.ndarray:
    """Smooth pressure variation (0.5..1) with small dry patches, seeded."""
    nrng = np.random.default_rng(rng.getrandbits(32))
    field = 0.5 + 0.5 * np.clip(_smooth_noise(nrng, 6, size), 0.0, 1.0)
    dry = _smooth_noise(nrng, max(8, size // 6), size) < 0.15
    field[dry] *= 0.45
    return field


def _smooth_noise(nrng: np.random.Generator, cells: int, size: int) -> np.ndarray:
    """Uniform noise on a ``cells`` grid, bicubically upsampled to ``size`` square."""
    coarse = nrng.uniform(0.0, 1.0, (cells, cells)).astype(np.float32)
    return np.asarray(Image.fromarray(coarse).resize((size, size), Image.Resampling.BICUBIC), dtype=np.float32)


def _centre(page: Image.Image, diameter: int, rng: random.Random) -> tuple[int, int]:
    """A seal centre in the lower right part of the page's content (its dark pixels)."""
    gray = np.asarray(page.convert("L"))
    ys, xs = np.nonzero(gray < 128)
    w, h = page.size
    if xs.size:
        x0, x1 = np.percentile(xs, [1, 99])
        y0, y1 = np.percentile(ys, [1, 99])
    else:
        x0, x1, y0, y1 = 0, w, 0, h
    cx = x0 + (x1 - x0) * rng.uniform(0.55, 0.85)
    cy = y0 + (y1 - y0) * rng.uniform(0.55, 0.9)
    half = diameter // 2
    return int(np.clip(cx, half, w - half)), int(np.clip(cy, half, h - half))


def _blend(page: Image.Image, density: np.ndarray, left: int, top: int, rng: random.Random) -> Image.Image:
    """Multiply translucent red ink onto the page at (left, top): dark strokes stay dark."""
    ink = np.array([rng.uniform(195, 235), rng.uniform(20, 70), rng.uniform(30, 80)], dtype=np.float32) / 255.0
    opacity = rng.uniform(0.6, 0.95)
    out = np.asarray(page, dtype=np.float32).copy()
    h, w = density.shape
    ph, pw = out.shape[:2]
    y0, x0 = max(top, 0), max(left, 0)
    y1, x1 = min(top + h, ph), min(left + w, pw)
    a = density[y0 - top:y1 - top, x0 - left:x1 - left, None] * opacity
    region = out[y0:y1, x0:x1]
    out[y0:y1, x0:x1] = region * (1.0 - a * (1.0 - ink))
    return Image.fromarray(np.clip(np.rint(out), 0, 255).astype(np.uint8), mode="RGB")
