"""Default engine: PaddleOCR's PP-OCR models run by rapidocr on ONNX Runtime.

The rapidocr wheel ships the PP-OCRv6 detection and recognition ONNX files, so
this engine works offline. Model paths are passed explicitly, which keeps
rapidocr from ever reaching for its download code, and their sha256 is
recorded with every result.

By default the engine is tuned for reading table cells on a CPU: recognition
batches are grouped by width with no 320-px minimum (``rec_batches``), and
the detector never upscales its input (rapidocr's default brings the
*shorter* side up to 736 px, which turned a 240-px caption strip into a
736 × 5000 image). ``stock=True`` keeps rapidocr's own behaviour: that is
the naive whole-page baseline the benchmark compares against.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Sequence

import cv2
import numpy as np

from ocr.errors import ModelMissingError
from ocr.hashing import file_sha256
from ocr.engines.base import DetectedLine, EngineInfo, Recognition
from ocr.engines.ctc_recognizer import CtcRecognizer
from ocr.engines.rec_batches import SQUEEZE, batch_tensor, plan_batches, scaled_width, trim_sides

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
# PaddleOCR's 0°/180° text-line classifier, shipped in the same wheel: tells an upside-down page
# from three line crops in a few milliseconds.
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
INSTALL_HINT = "pip install 'rapidocr>=3.4,<4' onnxruntime"
# Longest side the tuned detector sees; larger inputs are scaled down, smaller ones never up.
DET_MAX_SIDE = 2048
# rapidocr's detector scales an image up until its short side is this long (Det.limit_side_len,
# limit_type "min"): a 48 px high caption strip 2400 px wide became 36000 px wide and took 4 GB.
DET_MIN_SIDE = 736


def bundled_model_dir() -> Path:
    try:
        import rapidocr
    except ImportError as exc:
        raise ModelMissingError(f"the rapidocr package is not installed: {INSTALL_HINT}", stage="ocr") from exc
    return Path(rapidocr.__file__).resolve().parent / "models"


_sha256 = lru_cache(maxsize=None)(file_sha256)


def pad_to_min_side(image: np.ndarray, side: int = DET_MIN_SIDE) -> np.ndarray:
    """White margin below and to the right up to ``side`` px, so the detector need not upscale.

    Coordinates of what is found stay those of ``image``; text keeps its own size.
    """
    height, width = image.shape[:2]
    bottom, right = max(0, side - height), max(0, side - width)
    if not bottom and not right:
        return image
    return cv2.copyMakeBorder(image, 0, bottom, 0, right, cv2.BORDER_CONSTANT, value=(255, 255, 255))


def _to_bgr(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return image


class RapidOcrEngine:
    """PP-OCRv6 detection through rapidocr's own model wrappers, tuned recognition through ``CtcRecognizer``.

    Nothing is imported or loaded until a page needs it: rapidocr on the first detection (or any
    recognition in stock mode), each model on its first use. Pages read on threads share one engine
    (ONNX Runtime sessions run concurrently); a lock makes each model load once, not once per thread.
    """

    def __init__(self, threads: int | None = None, model_dir: Path | None = None, stock: bool = False) -> None:
        model_dir = model_dir or bundled_model_dir()
        det_path, rec_path = model_dir / DET_MODEL, model_dir / REC_MODEL
        for path in (det_path, rec_path):
            if not path.is_file():
                raise ModelMissingError(
                    f"OCR model {path.name} not found in {model_dir}; reinstall the rapidocr 3.x wheel "
                    f"({INSTALL_HINT}), which ships it",
                    stage="ocr",
                )
        cls_path = model_dir / CLS_MODEL
        params = {
            "Global.log_level": "error",
            "Global.use_cls": False,
            "Det.model_path": str(det_path),
            "Rec.model_path": str(rec_path),
            "Rec.rec_batch_num": 16,
        }
        models = {det_path.name: _sha256(det_path), rec_path.name: _sha256(rec_path)}
        self._has_classifier = not stock and cls_path.is_file()
        if self._has_classifier:
            params["Cls.model_path"] = str(cls_path)
            models[cls_path.name] = _sha256(cls_path)
        if not stock:
            params["Det.limit_type"] = "max"
            params["Det.limit_side_len"] = DET_MAX_SIDE
        self._stock, self._threads, self._rec_path = stock, threads, rec_path
        if threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = int(threads)
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        self._params = params
        self._rapid = None  # rapidocr itself, imported when a page is first detected (see ctc_recognizer)
        self._detector = None
        self._recognizer = None
        self._classifier = None
        self._loading = threading.RLock()
        self.info = EngineInfo(
            name="rapidocr" if not stock else "rapidocr-stock",
            version=metadata.version("rapidocr"),
            models=models,
        )

    def _rapidocr(self):
        if self._rapid is None:
            self._rapid = self._loaded("_rapid", self._new_rapidocr)
        return self._rapid

    def _new_rapidocr(self):
        from rapidocr import RapidOCR

        return RapidOCR(params=self._params)

    def _loaded(self, attribute: str, load):
        """The model in ``attribute``, loaded by the first thread that asks; the others wait for it."""
        with self._loading:
            if getattr(self, attribute) is None:
                setattr(self, attribute, load())
            return getattr(self, attribute)

    def detect(self, image: np.ndarray) -> list[DetectedLine]:
        if self._detector is None:
            self._detector = self._loaded("_detector", lambda: self._rapidocr()._load_det_model())
        # The tuned detector never upscales (limit_type max); stock rapidocr would, so pad for it instead.
        result = self._detector(_to_bgr(pad_to_min_side(image) if self._stock else image))
        if result.boxes is None:
            return []
        lines = []
        for quad, score in zip(result.boxes, result.scores):
            xs, ys = quad[:, 0], quad[:, 1]
            lines.append(DetectedLine(int(xs.min()), int(ys.min()), int(np.ceil(xs.max())), int(np.ceil(ys.max())), float(score)))
        return lines

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognition]:
        if not crops:
            return []
        if self._stock:
            from rapidocr.ch_ppocr_rec import TextRecInput

            if self._recognizer is None:
                self._recognizer = self._loaded("_recognizer", lambda: self._rapidocr()._load_rec_model())
            result = self._recognizer(TextRecInput(img=[_to_bgr(crop) for crop in crops]))
            return [Recognition(text=text, confidence=float(score)) for text, score in zip(result.txts, result.scores)]
        return self._recognize_by_width(crops)

    def turned_probabilities(self, crops: Sequence[np.ndarray]) -> list[float] | None:
        """Probability that each line crop is upside down (PP-OCR's mobile 0/180 classifier)."""
        if not self._has_classifier:
            return None
        if not crops:
            return []
        if self._classifier is None:
            self._classifier = self._loaded("_classifier", lambda: self._rapidocr()._load_cls_model())
        result = self._classifier([_to_bgr(crop) for crop in crops])
        return [float(score) if "180" in label else 1.0 - float(score) for label, score in result.cls_res]

    def recognize_full_width(self, crops: Sequence[np.ndarray]) -> list[Recognition] | None:
        """Each crop read at its natural width (not squeezed, see ``rec_batches``); None for stock rapidocr."""
        if self._stock:
            return None
        return self._recognize_by_width(crops, squeeze=1.0) if crops else []

    def start_loading(self) -> None:
        """Build the recognizer's session on a thread of its own; the first recognition waits for it.

        Every page needs the recognizer (a trusted text layer has sampled cells read to check it),
        and building its ONNX Runtime session (about 0.15 s) runs in native code that releases the
        GIL, so it overlaps whatever the caller imports meanwhile. The detector is left to the first
        scanned page: loading it imports rapidocr, Python work that would only contend for the GIL.
        Not a daemon thread: a process exits after it, never in the middle of it.
        """
        if self._stock or self._recognizer is not None:
            return
        threading.Thread(target=self._load_recognizer_quietly, name="load-recognizer").start()

    def _load_recognizer_quietly(self) -> None:
        try:
            self._ctc_recognizer()
        except Exception:  # the first recognition loads it again and reports what is wrong
            pass

    def _ctc_recognizer(self) -> CtcRecognizer:
        if self._recognizer is None:
            self._recognizer = self._loaded("_recognizer", lambda: CtcRecognizer(self._rec_path, self._threads))
        return self._recognizer

    def _recognize_by_width(self, crops: Sequence[np.ndarray], squeeze: float = SQUEEZE) -> list[Recognition]:
        recognizer = self._ctc_recognizer()
        crops = [trim_sides(crop) for crop in crops]
        widths = [scaled_width(crop.shape[0], crop.shape[1], squeeze) for crop in crops]
        out: list[Recognition] = [Recognition("", 0.0)] * len(crops)
        for batch in plan_batches(widths):
            tensor = batch_tensor([crops[i] for i in batch], [widths[i] for i in batch])
            decoded = recognizer(tensor)
            for index, (text, score) in zip(batch, decoded):
                out[index] = Recognition(text=text, confidence=float(score))
        return out
