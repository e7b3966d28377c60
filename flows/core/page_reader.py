"""Read one page by the cheapest path that is right: its text layer when trusted, else OCR.

Per page, the PDF's text layer is checked (``ocr.pages.text_layer_trust``); a
trusted page is read from the layer without any OCR pass, anything else is
rasterized and OCR'd. The page note records which path was taken and why.
"""

from __future__ import annotations

from pathlib import Path

from ocr.engines import OcrEngine
from ocr.pages.pdfium_doc import PdfiumDocument
from ocr.pages.rasterize import PageImage, count_pages, is_image_input, iter_pages
from table_reconstruct.grid.geometry import Rect
from table_reconstruct.document.identity import PageText
from table_reconstruct.model import PageNote, Table
from table_reconstruct.cells.page_text import read_text_lines
from table_reconstruct.tables.reconstruct import reconstruct_page
from table_reconstruct.tables.reconstruct_layer import reconstruct_from_layer

from flows.core.settings import Settings

TEXT_LAYER, OCR = "text_layer", "ocr"


class PageReader:
    """One document's pages: each started in turn (``start``), OCR'd pages then reconstructed (``reconstruct``).

    Holds the PDF open (pdfium) for the document's duration.
    """

    def __init__(self, path: Path, settings: Settings, engine: OcrEngine | None) -> None:
        """``engine`` may be set later, once the page count says how many pages are read at once."""
        self.path, self.settings, self.engine = path, settings, engine
        # Fonts whose text sampled cells confirmed against the image, for this document's later pages.
        self.checked_fonts: set[str] = set()
        wants_pdfium = not settings.force_ocr or settings.rasterizer == "pdfium"
        self.document = PdfiumDocument(path) if wants_pdfium and not is_image_input(path) else None

    def __enter__(self) -> "PageReader":
        return self

    def __exit__(self, *exc_info) -> None:
        if self.document is not None:
            self.document.close()

    def page_count(self) -> int:
        """From the open document when there is one: poppler's pdfinfo is a subprocess (≈ 9 ms a document)."""
        return len(self.document) if self.document is not None else count_pages(self.path)

    def start(self, number: int, note: PageNote) -> list[Table] | PageImage:
        """The page's tables when its text layer is trusted, else its image for ``reconstruct``.

        Everything that touches the PDF (pdfium is not thread-safe) happens here, so
        ``reconstruct`` can run on another thread while the next page is started.
        """
        if is_image_input(self.path):
            note.text_source_reason = "image input: no text layer"
        elif self.settings.force_ocr:
            note.text_source_reason = "force_ocr: text layer not consulted"
        else:
            layer = reconstruct_from_layer(self.document, number, self.engine, self.settings.dpi,
                                           checked_fonts=self.checked_fonts)
            note.text_source_reason = layer.verdict.reason
            if layer.verdict.trusted:
                note.text_source = TEXT_LAYER
                note.width, note.height = layer.size_pt
                return layer.tables
        note.text_source = OCR
        page = self.rasterize(number)
        note.skipped = page.note
        height, width = page.image.shape[:2]
        note.width, note.height = round(width * page.points_per_pixel, 2), round(height * page.points_per_pixel, 2)
        return page

    def reconstruct(self, page: PageImage, note: PageNote) -> list[Table]:
        """An OCR'd page's tables: OpenCV and the engine only, safe on a page thread of its own."""
        reconstructed = reconstruct_page(page, self.engine)
        note.rotation, note.skew_degrees = reconstructed.geometry.rotation, reconstructed.geometry.skew_degrees
        note.seals = reconstructed.seals
        return reconstructed.tables

    def page_text(self, number: int, note: PageNote, ocr_allowed: bool,
                  image: PageImage | None = None) -> PageText | None:
        """The page's text lines for reading the document's identity (publisher, year, kind).

        A page read from its trusted text layer gives its layer text (no cost);
        an OCR'd page is read in full only when ``ocr_allowed`` (the cover),
        since its tables' captions already carry their titles. ``image`` is the page's
        image when it was OCR'd, so the cover is not rendered again.
        """
        if note.text_source == TEXT_LAYER and self.document is not None:
            return PageText(number, tuple(self.document.plain_text(number).splitlines()))
        if not ocr_allowed:
            return None
        page = image if image is not None and image.number == number else self.rasterize(number)
        height, width = page.image.shape[:2]
        lines = read_text_lines(page.image, Rect(0, 0, width, height), self.engine, dpi=page.dpi)
        return PageText(number, tuple(line.text for line in lines))

    def rasterize(self, number: int) -> PageImage:
        """In colour where the page has some, so seals can be taken out before reading."""
        settings = self.settings
        if settings.rasterizer == "pdfium" and self.document is not None:
            return self.document.render(number, settings.dpi, settings.max_side_px, colour=True)
        return next(iter_pages(self.path, settings.dpi, str(number), settings.max_side_px, settings.rasterizer,
                               colour=True))
