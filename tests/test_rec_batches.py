"""Width-grouped recognition batches: the plan, and the real model reading the same text as rapidocr's own batching."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocr.engines.rec_batches import (
    MAX_BATCH_COLUMNS,
    MAX_PADDING_SHARE,
    MIN_WIDTH,
    SQUEEZE,
    SQUEEZE_FROM,
    batch_tensor,
    plan_batches,
    scaled_width,
)


def test_every_crop_is_planned_once_and_batches_stay_narrow_and_tight():
    widths = [40, 400, 41, 900, 120, 118, 32, 2600, 119, 45] * 7
    batches = plan_batches(widths)
    assert sorted(i for batch in batches for i in batch) == list(range(len(widths)))
    for batch in batches:
        padded = max(widths[i] for i in batch) * len(batch)
        if len(batch) > 1:
            assert padded <= MAX_BATCH_COLUMNS + 8 * len(batch)
            assert 1 - sum(widths[i] for i in batch) / padded <= MAX_PADDING_SHARE
    # A crop wider than a whole batch still gets read, in a batch of its own.
    assert all(len(batch) == 1 for batch in batches if any(widths[i] == 2600 for i in batch))


def test_scaled_width_keeps_aspect_with_a_floor_and_squeezes_long_crops():
    assert scaled_width(24, 96, squeeze=1.0) == 192
    assert scaled_width(48, 90) == 90  # two characters: natural width
    assert scaled_width(24, 96) == int(192 * SQUEEZE)
    assert scaled_width(48, 100) == SQUEEZE_FROM  # never squeezed below the short-crop limit
    assert scaled_width(100, 10) == MIN_WIDTH


def test_batch_tensor_is_normalized_and_right_padded():
    crop = np.full((24, 48), 255, np.uint8)
    tensor = batch_tensor([crop, crop[:, :24]], [96, 48])
    assert tensor.shape == (2, 3, 48, 96)
    assert np.allclose(tensor[0], 1.0)
    assert np.allclose(tensor[1, :, :, :48], 1.0) and np.allclose(tensor[1, :, :, 48:], 0.0)


def _line(text: str, font) -> np.ndarray:
    width = int(font.getlength(text)) + 24
    image = Image.new("L", (width, 44), 255)
    ImageDraw.Draw(image).text((12, 6), text, font=font, fill=0)
    return np.asarray(image)


@pytest.mark.slow
def test_tuned_recognition_reads_what_stock_rapidocr_reads():
    from ocr.engines.rapid import RapidOcrEngine
    from samples.synth.fonts import body_fonts

    font = body_fonts("song").pil(28)
    texts = ["2024", "301", "0.00", "1,234.56", "基本支出", "一般公共预算财政拨款收入", "合计", "5"]
    crops = [_line(text, font) for text in texts]
    tuned = RapidOcrEngine(threads=1).recognize(crops)
    stock = RapidOcrEngine(threads=1, stock=True).recognize(crops)
    assert [r.text for r in tuned] == [r.text for r in stock]
    assert sum(r.text.replace(",", "") == t.replace(",", "") for r, t in zip(tuned, texts)) >= len(texts) - 1


def test_trim_sides_keeps_the_ink_and_a_small_margin():
    from ocr.engines.rec_batches import trim_sides

    crop = np.full((40, 200), 255, np.uint8)
    crop[10:30, 50:90] = 170  # faint print is ink too
    trimmed = trim_sides(crop)
    assert trimmed.shape == (40, 40 + 2 * 10)  # a quarter of the height on each side
    assert (trimmed[:, :10] == 255).all() and (trimmed[10:30, 10:50] == 170).all()
    blank = np.full((40, 200), 250, np.uint8)
    assert trim_sides(blank).shape == blank.shape


@pytest.mark.slow
def test_onnx_runtime_recognizer_decodes_exactly_as_rapidocr_does():
    """The recognizer that spares rapidocr's import gives rapidocr's own text and confidence, crop for crop."""
    from rapidocr import RapidOCR

    from ocr.engines.ctc_recognizer import CtcRecognizer
    from ocr.engines.rapid import REC_MODEL, bundled_model_dir
    from samples.synth.fonts import body_fonts

    font = body_fonts("song").pil(28)
    crops = [_line(text, font) for text in ["2024", "0.00", "1,234.56", "一般公共预算财政拨款收入", "合计"]]
    crops.append(np.full((44, 60), 255, np.uint8))  # a blank crop: no text, confidence 0
    widths = [scaled_width(crop.shape[0], crop.shape[1]) for crop in crops]
    tensor = batch_tensor(crops, [max(widths)] * len(crops))
    model = bundled_model_dir() / REC_MODEL
    recognizer = RapidOCR(params={"Rec.model_path": str(model), "Global.log_level": "error"})._load_rec_model()
    theirs, _ = recognizer.postprocess_op(recognizer.session(tensor))
    ours = CtcRecognizer(model, threads=1)(tensor)
    assert ours == [(text, float(score)) for text, score in theirs]
    assert ours[1][0] == "0.00" and ours[-1] == ("", 0.0)
