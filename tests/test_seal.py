"""The red seal synthesizer: seeded, red, translucent (black under it stays dark), over the content."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw

from samples.synth.fonts import FontSet
from samples.synth.seal import stamp_seal


def _page() -> Image.Image:
    """A gray A4-landscape page at 100 DPI with a ruled block of text, like a table page."""
    img = Image.new("L", (1169, 827), 250)
    draw = ImageDraw.Draw(img)
    font = FontSet().pil(22)
    for row in range(12):
        y = 150 + row * 45
        draw.line((100, y, 1070, y), fill=20, width=2)
        draw.text((120, y + 10), "一般公共预算拨款收入 1234.56", fill=20, font=font)
    return img


def _red(a: np.ndarray) -> np.ndarray:
    return (a[..., 0] - np.minimum(a[..., 1], a[..., 2])) > 40


def test_seal_is_seeded_rgb_and_same_size():
    page = _page()
    one = stamp_seal(page, random.Random(3))
    again = stamp_seal(page, random.Random(3))
    other = stamp_seal(page, random.Random(4))
    assert one.mode == "RGB" and one.size == page.size
    assert np.array_equal(np.asarray(one), np.asarray(again))
    assert not np.array_equal(np.asarray(one), np.asarray(other))


def test_seal_is_red_round_and_over_the_lower_right_of_the_content():
    for seed in range(6):
        out = np.asarray(stamp_seal(_page(), random.Random(seed)), dtype=np.int32)
        ys, xs = np.nonzero(_red(out))
        assert xs.size > 3000, seed
        width, height = xs.max() - xs.min(), ys.max() - ys.min()
        assert 0.8 < width / height < 1.25, seed          # round (rotation keeps it round)
        assert 120 < width < 190, seed                    # 38-42 mm at 100 DPI is 150-165 px
        cx, cy = xs.mean(), ys.mean()
        assert 100 + 0.5 * 970 < cx < 1070 and 150 + 0.45 * 540 < cy < 800, seed


def test_black_strokes_under_the_seal_stay_dark_and_the_rest_is_untouched():
    page = _page()
    gray = np.asarray(page, dtype=np.int32)
    out = np.asarray(stamp_seal(page, random.Random(1)), dtype=np.int32)
    inked = np.abs(out - gray[..., None]).max(axis=2) > 0
    assert inked.sum() > 3000
    ys, xs = np.nonzero(inked)
    under = np.zeros_like(inked)
    under[ys.min():ys.max() + 1, xs.min():xs.max() + 1] = True
    strokes = (gray < 60) & under
    assert strokes.sum() > 300
    assert out[strokes].max(axis=1).max() < 60              # multiplied, never painted over
    assert np.abs(out[~under] - gray[~under][:, None]).max() <= 1


def test_stamped_page_written_as_a_colour_scan(tmp_path):
    """write_image_pdf keeps an RGB page in colour, so a reader sees the red seal."""
    import pypdfium2 as pdfium

    from samples.synth.pdf import write_image_pdf

    stamped = stamp_seal(_page(), random.Random(2))
    path = tmp_path / "sealed.pdf"
    write_image_pdf([stamped], 100, path, jpeg_quality=90)
    back = np.asarray(pdfium.PdfDocument(str(path))[0].render(scale=100 / 72).to_pil().convert("RGB"), dtype=np.int32)
    assert abs(back.shape[0] - 827) <= 1 and abs(back.shape[1] - 1169) <= 1
    assert _red(back).sum() > 0.8 * _red(np.asarray(stamped, dtype=np.int32)).sum()
