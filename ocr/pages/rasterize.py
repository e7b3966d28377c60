"""Stage 1: turn a PDF or image scan into page images, one page at a time.

Pages are yielded lazily so a 300-page PDF never sits in memory at once:
pdf2image is asked for a single page per call (without ``output_folder`` it
pipes every requested page through memory together).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Iterator

from PIL import Image, ImageSequence, UnidentifiedImageError

from ocr.errors import BadInputError
from ocr.pages.input_file import IMAGE_SUFFIXES, STAGE, check_readable, is_image_input, password_protected  # noqa: F401 (re-exported)
from ocr.pages.page_image import PageImage, capped_dpi, page_image  # noqa: F401 (re-exported)
from ocr.pages.page_range import parse_page_range

DEFAULT_DPI = 200
# pdf2image runs poppler's pdftoppm per page; pypdfium2 renders in-process (≈10× faster on
# vector pages, not thread-safe: one document per process). The default of every run (``Settings``), defined here only:
# ≈8 % of a scanned page's time saved against pdftoppm, same cells on the corpus.
RASTERIZERS = ("pdf2image", "pdfium")
DEFAULT_RASTERIZER = "pdfium"
# pdf2image pages are first looked at this small in colour (pdfium), and rendered in colour only if they show some.
COLOUR_PROBE_DPI = 72
# A 20000 px side at 200 DPI is a 2.5 m page: nobody scans that, but a broken
# or malicious PDF can declare it. Such pages are rendered smaller, and say so;
# image scans larger than this are shrunk to it the same way.
MAX_PAGE_SIDE_PX = 12000
# Every poppler subprocess is given up on after this long: pdfinfo answers in milliseconds,
# pdftoppm renders a page in seconds; a hostile PDF must not hang a batch.
PDFINFO_TIMEOUT_S = 60
PDFTOPPM_TIMEOUT_S = 300

# Pillow refuses to decode images of more than twice this (288 Mpx, e.g. a PNG header claiming
# 60000 × 60000): such a file is bad input. Anything smaller is decoded, then shrunk to the cap.
Image.MAX_IMAGE_PIXELS = MAX_PAGE_SIDE_PX * MAX_PAGE_SIDE_PX


def count_pages(path: Path) -> int:
    """Number of pages in a PDF or image file; raises BadInputError with a reason."""
    check_readable(path)
    if is_image_input(path):
        with _open_image(path) as image:
            return getattr(image, "n_frames", 1)
    return int(_pdf_info(path)["Pages"])


def iter_pages(
    path: Path,
    dpi: int = DEFAULT_DPI,
    pages: str | None = None,
    max_side_px: int = MAX_PAGE_SIDE_PX,
    rasterizer: str = DEFAULT_RASTERIZER,
    colour: bool = False,
) -> Iterator[PageImage]:
    """Yield the selected pages of ``path`` as grayscale images, one at a time (with their colour when asked)."""
    if rasterizer not in RASTERIZERS:
        raise ValueError(f"unknown rasterizer {rasterizer!r}; choose one of {', '.join(RASTERIZERS)}")
    if rasterizer == "pdfium" and not is_image_input(path):
        yield from _iter_pdfium_pages(path, pages, dpi, max_side_px, colour)  # counted in-process too: no pdfinfo
        return
    selected = _selected_pages(path, pages, count_pages(path))
    if is_image_input(path):
        yield from _iter_image_pages(path, selected, dpi, max_side_px, colour)
    else:
        yield from _iter_pdf_pages(path, selected, dpi, max_side_px, colour)


def _selected_pages(path: Path, pages: str | None, n_pages: int) -> list[int]:
    if n_pages == 0:
        raise BadInputError(f"{path.name}: the document has no pages", stage=STAGE)
    return parse_page_range(pages, n_pages)


def _pdf_info(path: Path, first_page: int | None = None, last_page: int | None = None) -> dict:
    from pdf2image import pdfinfo_from_path
    from pdf2image.exceptions import (
        PDFInfoNotInstalledError, PDFPageCountError, PDFPopplerTimeoutError, PDFSyntaxError,
    )  # fmt: skip

    try:
        return pdfinfo_from_path(str(path), first_page=first_page, last_page=last_page, timeout=PDFINFO_TIMEOUT_S)
    except PDFPopplerTimeoutError as exc:
        raise BadInputError(f"{path.name}: poppler's pdfinfo gave no answer in {PDFINFO_TIMEOUT_S} s", stage=STAGE) from exc
    except PDFInfoNotInstalledError as exc:
        raise BadInputError(
            "poppler's pdfinfo/pdftoppm are not installed: install Debian's poppler-utils", stage=STAGE
        ) from exc
    except (PDFPageCountError, PDFSyntaxError) as exc:
        if _is_encrypted(path):
            raise password_protected(path) from exc
        raise BadInputError(f"{path.name}: corrupt or unreadable PDF ({_first_line(exc)})", stage=STAGE) from exc


def _is_encrypted(path: Path) -> bool:
    try:
        from pypdf import PdfReader

        return bool(PdfReader(str(path)).is_encrypted)
    except Exception:  # a PDF too broken for pypdf is reported as corrupt instead
        return False


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1] if text else type(exc).__name__


_SIZE_RE = re.compile(r"([\d.]+)\s*x\s*([\d.]+)\s*pts")


def _page_size_points(path: Path, number: int) -> tuple[float, float] | None:
    info = _pdf_info(path, first_page=number, last_page=number)
    for key, value in info.items():
        if key.startswith("Page") and key.endswith("size"):
            match = _SIZE_RE.search(str(value))
            if match:
                return float(match.group(1)), float(match.group(2))
    return None


def _iter_pdf_pages(path: Path, selected: list[int], dpi: int, max_side_px: int, colour: bool) -> Iterator[PageImage]:
    from pdf2image import convert_from_path
    from pdf2image.exceptions import PDFPopplerTimeoutError

    for number in selected:
        page_dpi = capped_dpi(_page_size_points(path, number), dpi, max_side_px)
        note = None
        if page_dpi < dpi:
            note = f"page too large at {dpi} DPI: rendered at {page_dpi:.0f} DPI (longest side capped at {max_side_px}px)"
        in_colour = colour and _shows_colour(path, number)
        try:
            images = convert_from_path(
                str(path), dpi=page_dpi, first_page=number, last_page=number, grayscale=not in_colour, timeout=PDFTOPPM_TIMEOUT_S
            )
        except PDFPopplerTimeoutError as exc:
            raise BadInputError(f"{path.name}: page {number} took too long to render", stage=STAGE) from exc
        if not images:
            raise BadInputError(f"{path.name}: page {number} could not be rendered", stage=STAGE)
        yield page_image(number, images[0], page_dpi, note, in_colour)


def _shows_colour(path: Path, number: int) -> bool:
    """A quick in-process look at the page in colour: pdftoppm's colour output costs twice its gray one."""
    from ocr.pages.pdfium_doc import PdfiumDocument

    with PdfiumDocument(path) as document:
        return document.render(number, COLOUR_PROBE_DPI, colour=True).colour is not None


def _iter_pdfium_pages(path: Path, pages: str | None, dpi: int, max_side_px: int, colour: bool) -> Iterator[PageImage]:
    from ocr.pages.pdfium_doc import PdfiumDocument

    with PdfiumDocument(path) as document:
        for number in _selected_pages(path, pages, len(document)):
            yield document.render(number, dpi, max_side_px, colour)


def _open_image(path: Path) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # shrunk to the cap when read
            return Image.open(path)
    except (UnidentifiedImageError, OSError) as exc:
        raise BadInputError(f"{path.name}: not a readable image ({exc})", stage=STAGE) from exc
    except Image.DecompressionBombError as exc:
        raise BadInputError(f"{path.name}: image too large ({exc})", stage=STAGE) from exc


def _iter_image_pages(path: Path, selected: list[int], default_dpi: int, max_side_px: int, colour: bool) -> Iterator[PageImage]:
    wanted = set(selected)
    with _open_image(path) as image:
        for index, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if index not in wanted:
                continue
            yield _image_page(path, index, frame, _image_dpi(frame, default_dpi), max_side_px, colour)


def _image_page(path: Path, number: int, frame: Image.Image, dpi: float, max_side_px: int, colour: bool) -> PageImage:
    """One frame as pixels (gray, plus colour when asked), shrunk with a note when its longest side passes
    ``max_side_px``. A file cut short or otherwise undecodable is bad input, not a page without tables."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the cap below handles it
            frame.load()
            pixels = frame.convert("RGB" if colour and frame.mode not in ("1", "L", "LA", "I", "I;16", "F") else "L")
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadInputError(f"{path.name}: the image is truncated or unreadable ({exc})", stage=STAGE) from exc
    note = None
    longest = max(pixels.size)
    if longest > max_side_px:
        scale = max_side_px / longest
        size = (max(1, round(pixels.width * scale)), max(1, round(pixels.height * scale)))
        note = (f"image too large: {pixels.width}×{pixels.height} px shrunk to {size[0]}×{size[1]} px "
                f"(longest side capped at {max_side_px}px)")
        pixels, dpi = pixels.resize(size, Image.Resampling.BOX), dpi * scale
    return page_image(number, pixels, dpi, note, colour)


def _image_dpi(frame: Image.Image, default_dpi: int) -> float:
    """A scan's own DPI when it records a plausible one, else the configured DPI."""
    recorded = frame.info.get("dpi")
    if recorded and 50 <= float(recorded[0]) <= 1200:
        return float(recorded[0])
    return float(default_dpi)
