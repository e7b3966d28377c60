"""The input file itself, before any PDF or image library reads it: what kind it is, and whether it can be read.

Shared by both renderers (pdf2image in ``rasterize``, pypdfium2 in ``pdfium_doc``), so neither imports the other.
"""

from __future__ import annotations

from pathlib import Path

from ocr.errors import BadInputError

STAGE = "rasterize"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}


def is_image_input(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def check_readable(path: Path) -> None:
    """Missing, empty or non-PDF files fail here with a reason, before any PDF library sees them."""
    if not path.exists():
        raise BadInputError(f"{path}: no such file", stage=STAGE)
    if not path.is_file():
        raise BadInputError(f"{path}: not a regular file", stage=STAGE)
    if path.stat().st_size == 0:
        raise BadInputError(f"{path.name}: the file is empty (0 bytes)", stage=STAGE)
    if not is_image_input(path):
        with path.open("rb") as handle:
            head = handle.read(1024)
        if b"%PDF-" not in head:
            raise BadInputError(
                f"{path.name}: not a PDF (no %PDF- header) and not a known image type", stage=STAGE
            )


def password_protected(path: Path) -> BadInputError:
    return BadInputError(f"{path.name}: the PDF is password-protected", stage=STAGE)
