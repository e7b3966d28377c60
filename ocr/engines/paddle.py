"""Optional engine: native PaddleOCR, for users with its model directories or a GPU.

Install with ``pip install 'disclosure-ocr[paddle]'`` and point
``DISCLOSURE_OCR_PADDLE_DET_DIR`` / ``DISCLOSURE_OCR_PADDLE_REC_DIR`` at local
model directories; this engine never downloads weights.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

from ocr.errors import ModelMissingError
from ocr.engines.base import DetectedLine, EngineInfo, Recognition

DET_ENV, REC_ENV = "DISCLOSURE_OCR_PADDLE_DET_DIR", "DISCLOSURE_OCR_PADDLE_REC_DIR"


def _model_dir(variable: str) -> Path:
    value = os.environ.get(variable)
    if not value or not Path(value).is_dir():
        raise ModelMissingError(
            f"the paddleocr engine needs local model directories: set {DET_ENV} and {REC_ENV} "
            "to PaddleOCR inference model folders (no weights are downloaded)",
            stage="ocr",
        )
    return Path(value)


class PaddleOcrEngine:
    """PaddleOCR's own detector and recognizer behind the common interface."""

    def __init__(self) -> None:
        try:
            import paddleocr
            from paddleocr import TextDetection, TextRecognition
        except ImportError as exc:
            raise ModelMissingError(
                "the paddleocr engine is not installed: pip install 'disclosure-ocr[paddle]'", stage="ocr"
            ) from exc
        det_dir, rec_dir = _model_dir(DET_ENV), _model_dir(REC_ENV)
        self._detector = TextDetection(model_dir=str(det_dir))
        self._recognizer = TextRecognition(model_dir=str(rec_dir))
        self.info = EngineInfo(
            name="paddleocr",
            version=getattr(paddleocr, "__version__", "unknown"),
            models={"det": str(det_dir), "rec": str(rec_dir)},
        )

    def detect(self, image: np.ndarray) -> list[DetectedLine]:
        lines = []
        for result in self._detector.predict(image):
            for quad, score in zip(result["dt_polys"], result["dt_scores"]):
                quad = np.asarray(quad)
                lines.append(
                    DetectedLine(int(quad[:, 0].min()), int(quad[:, 1].min()), int(quad[:, 0].max()), int(quad[:, 1].max()), float(score))
                )
        return lines

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognition]:
        return [Recognition(text=r["rec_text"], confidence=float(r["rec_score"])) for r in self._recognizer.predict(list(crops))]
