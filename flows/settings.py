"""Run settings: what a user can change per run, recorded with every result."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ocr.engines import DEFAULT_ENGINE
from ocr.rasterize import DEFAULT_DPI, MAX_PAGE_SIDE_PX

PIPELINE_VERSION = "0.1.0"


@dataclass(frozen=True)
class Settings:
    dpi: int = DEFAULT_DPI
    pages: str | None = None
    engine: str = DEFAULT_ENGINE
    threads: int | None = None
    max_side_px: int = MAX_PAGE_SIDE_PX
    # Cells read with less confidence than this make the document needs_review.
    review_confidence: float = 0.8

    def as_dict(self) -> dict:
        return asdict(self)
