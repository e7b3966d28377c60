"""Run settings: what a user can change per run, recorded with every result."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from ocr.engines import DEFAULT_ENGINE
from ocr.pages.rasterize import DEFAULT_DPI, DEFAULT_RASTERIZER, MAX_PAGE_SIDE_PX

PIPELINE_VERSION = "0.1.0"


@dataclass(frozen=True)
class Settings:
    dpi: int = DEFAULT_DPI
    pages: str | None = None
    engine: str = DEFAULT_ENGINE
    threads: int | None = None
    # Pages of one document read at once (threads); None: one per core when ``threads`` is unset, else 1.
    page_workers: int | None = None
    max_side_px: int = MAX_PAGE_SIDE_PX
    # Cells read with less confidence than this make the document needs_review.
    review_confidence: float = 0.8
    # OCR every page even where the PDF's text layer is trustworthy (re-reading a doubtful document).
    force_ocr: bool = False
    # "pdfium" (pypdfium2, in-process) or "pdf2image" (poppler's pdftoppm, the rasterizer of earlier runs).
    rasterizer: str = DEFAULT_RASTERIZER
    # Identity fields the user sets for every document of the run (department, region, level, year, kind).
    identity: dict | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def fingerprint(self) -> str:
        """Hash of the settings that can change a result (thread count cannot), to know what is already done."""
        relevant = {key: value for key, value in self.as_dict().items()
                    if key not in RESULT_NEUTRAL and not (key in ADDED_LATER and value is None)}
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode("utf-8")).hexdigest()[:16]


# Settings that change speed only, never the result.
RESULT_NEUTRAL = frozenset({"threads", "page_workers"})
# Settings added after stores were made: unset, they leave the fingerprint as it was (nothing redone for them).
ADDED_LATER = frozenset({"identity"})
