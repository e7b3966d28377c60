"""Page pictures for the review page: small JPEGs embedded as data: URIs, with their points-to-pixels scale.

Rendering reuses the pipeline's own rasterizer (PDF pages and image scans
alike), at a modest resolution so a review page stays a few hundred KB a page.
Cell boxes are in PDF points, so ``scale`` (pixels per point) is all the
overlay needs.
"""

from __future__ import annotations

import base64
import io
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image

from ocr.errors import PipelineError
from ocr.hashing import file_sha256
from ocr.pages.page_range import format_page_range
from ocr.pages.rasterize import DEFAULT_RASTERIZER, iter_pages

REVIEW_DPI = 100
JPEG_QUALITY = 72
# Pictures a batch worker made within its time limit, for the review page written after the run is recorded.
SAVED_VIEWS_FILE = "review_pages.json"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageView:
    """One page picture: ``scale`` pixels per PDF point maps a bbox onto it."""

    number: int
    data_uri: str
    width: int
    height: int
    scale: float


def jpeg_data_uri(image: Image.Image) -> str:
    buffer = io.BytesIO()
    mode = "RGB" if image.mode == "RGB" else "L"
    image.convert(mode).save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def render_page_views(source: Path, pages: list[int], dpi: int = REVIEW_DPI, rasterizer: str = DEFAULT_RASTERIZER) -> list[PageView]:
    """The given pages of ``source`` as pictures at about ``dpi`` (scans are shrunk to it, never enlarged).

    A page with colour (a red seal) is shown in colour, as stamped: only the reading takes the seal out.
    """
    if not pages:
        return []
    views = []
    for page in iter_pages(source, dpi=dpi, pages=format_page_range(pages), rasterizer=rasterizer, colour=True):
        image = Image.fromarray(page.colour if page.colour is not None else page.image)
        shrink = min(1.0, dpi / page.dpi)
        if shrink < 1.0:
            image = image.resize((round(image.width * shrink), round(image.height * shrink)), Image.LANCZOS)
        scale = page.dpi * shrink / 72.0
        views.append(PageView(page.number, jpeg_data_uri(image), image.width, image.height, scale))
    return views


def try_page_views(sources: list[str], sha256: str, pages: list[int]) -> tuple[list[PageView], str | None]:
    """Pictures from the first source that still holds the processed content, or none with the reason why.

    A file edited since its run would put the boxes on the wrong picture, so its hash must match.
    """
    reason = "the source file is not known"
    for source in sources:
        path = Path(source)
        if not path.is_file():
            reason = f"the source file is gone: {source}"
            continue
        if sha256 and file_sha256(path) != sha256:
            reason = f"the source file has changed since it was processed: {source}"
            continue
        try:
            return render_page_views(path, pages), None
        except (PipelineError, OSError, ValueError) as exc:
            log.warning("cannot render %s for review: %s", source, exc)
            reason = f"the pages could not be rendered: {exc}"
    return [], reason


def save_page_views(doc_dir: Path, source: Path, sha256: str, pages: list[int]) -> None:
    """Render the pictures now, in-process with pdfium (no poppler subprocess), and keep them in ``doc_dir``.

    Called by a batch worker, so a file that hangs its renderer is killed with the worker at
    ``--timeout`` instead of hanging the batch that writes the review page afterwards.
    """
    from flows.outputs.atomic import write_text_atomic

    views = render_page_views(source, pages, rasterizer="pdfium")
    saved = {"sha256": sha256, "views": [asdict(view) for view in views]}
    write_text_atomic(Path(doc_dir) / SAVED_VIEWS_FILE, json.dumps(saved))


def saved_page_views(doc_dir: Path, sha256: str, pages: list[int]) -> list[PageView] | None:
    """The pictures a worker saved for this content, when they cover ``pages``; else None."""
    try:
        saved = json.loads((Path(doc_dir) / SAVED_VIEWS_FILE).read_text(encoding="utf-8"))
        views = [PageView(**view) for view in saved["views"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    by_page = {view.number: view for view in views}
    if saved.get("sha256") != sha256 or not set(pages) <= set(by_page):
        return None
    return [by_page[number] for number in pages]
