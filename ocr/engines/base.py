"""The OCR engine interface: detect text lines, recognize a batch of line crops.

Kept this small (as OCRmyPDF does with its OCR plugins) so that another engine,
such as native PaddleOCR on a GPU, plugs in without touching the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence, runtime_checkable

import numpy as np


@dataclass(frozen=True)
class DetectedLine:
    """A text line found on an image: axis-aligned box in that image's pixels."""

    x0: int
    y0: int
    x1: int
    y1: int
    score: float = 1.0


@dataclass(frozen=True)
class Recognition:
    """Text read from one line crop with the engine's confidence in [0, 1]."""

    text: str
    confidence: float


@dataclass(frozen=True)
class EngineInfo:
    """What produced a result, recorded with it for reproducibility."""

    name: str
    version: str
    models: dict[str, str] = field(default_factory=dict)


@runtime_checkable
class OcrEngine(Protocol):
    info: EngineInfo

    def detect(self, image: np.ndarray) -> list[DetectedLine]:
        """Find text lines in a grayscale or BGR image."""

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognition]:
        """Read each single-line crop; returns one Recognition per crop, in order."""


@runtime_checkable
class TextOrientationClassifier(Protocol):
    """An engine that can also tell upright text lines from ones turned 180° with a small model.

    Optional: without it, orientation is decided by reading lines both ways,
    which costs two recognitions per probe line instead of one tiny classification.
    """

    def turned_probabilities(self, crops: Sequence[np.ndarray]) -> list[float] | None:
        """For each line crop, the probability that it is upside down; None when the model is unavailable."""


@runtime_checkable
class FullWidthRecognizer(Protocol):
    """An engine that squeezes long crops for speed (``rec_batches.SQUEEZE``) and can also read them unsqueezed.

    Optional: used for a second look at doubtful amounts only.
    """

    def recognize_full_width(self, crops: Sequence[np.ndarray]) -> list[Recognition] | None:
        """Read each crop at its natural width; None when the engine never squeezes."""


@runtime_checkable
class BackgroundLoader(Protocol):
    """An engine that can begin loading its models before the first page asks for them.

    Optional: a command that knows it will read a page starts this first, so that building the
    models' sessions (native code, off the GIL) overlaps the rest of its start-up.
    """

    def start_loading(self) -> None:
        """Begin loading, off the calling thread; the first use of a model waits for it."""
