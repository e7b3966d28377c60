"""OCR engines behind one interface; ``create_engine`` picks one by name."""

from __future__ import annotations

from ocr.engines.base import DetectedLine, EngineInfo, OcrEngine, Recognition

ENGINE_NAMES = ("rapidocr", "paddleocr")
DEFAULT_ENGINE = "rapidocr"


def create_engine(name: str = DEFAULT_ENGINE, *, threads: int | None = None, stock: bool = False) -> OcrEngine:
    """Build an engine by name; raises ModelMissingError naming what to install.

    ``stock`` asks for the engine's out-of-the-box behaviour (the benchmark's naive baseline).
    """
    if name == "rapidocr":
        from ocr.engines.rapid import RapidOcrEngine

        return RapidOcrEngine(threads=threads, stock=stock)
    if name == "paddleocr":
        from ocr.engines.paddle import PaddleOcrEngine

        return PaddleOcrEngine()
    raise ValueError(f"unknown OCR engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}")


__all__ = ["DetectedLine", "EngineInfo", "OcrEngine", "Recognition", "create_engine", "ENGINE_NAMES", "DEFAULT_ENGINE"]
