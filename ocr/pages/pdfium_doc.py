"""One PDF opened with pypdfium2: render pages, read the text layer's characters with their boxes.

pdfium renders a page about ten times faster than a pdftoppm subprocess and
gives every character of the text layer with its box, so one open document
serves both the rasterizer and the text-layer path. pdfium is not
thread-safe: keep one ``PdfiumDocument`` per process (the pipeline reads one
document at a time in each worker process).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ocr.errors import BadInputError
from ocr.pages.input_file import STAGE, check_readable, password_protected
from ocr.pages.page_image import PageImage, capped_dpi, page_image

# Text render mode 3: glyphs neither filled nor stroked (an OCR layer over a scan).
INVISIBLE_RENDER_MODE = 3


@dataclass(frozen=True)
class LayerChar:
    """One character of the text layer; box (font height) in points from the page's top-left corner.

    ``ink`` is the glyph's tight box, for painting text out of a render.
    ``font`` names the font the character is drawn in (name and flags): a
    layer's text is only as right as that font's Unicode map.
    """

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    ink: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    font: str = ""

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class PageLayer:
    """What a page's text layer holds, and what is drawn beneath it."""

    chars: tuple[LayerChar, ...]
    width_pt: float
    height_pt: float
    text_objects: int = 0
    invisible_text_objects: int = 0
    # Share of the page area covered by raster images (1.0: a scan filling the page).
    image_cover: float = 0.0


class PdfiumDocument:
    """A PDF held open for one document's pages; use as a context manager."""

    def __init__(self, path: Path) -> None:
        import pypdfium2 as pdfium

        check_readable(path)
        try:
            self._pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            if exc.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
                raise password_protected(path) from exc
            raise BadInputError(f"{path.name}: corrupt or unreadable PDF ({exc})", stage=STAGE) from exc
        self.path = path
        # The page last asked for, kept loaded: its text layer, grid render and sampled cells come one
        # after another, and pdfium parses a page's content on every load (≈ 0.5 ms a time).
        self._page_number, self._loaded_page = 0, None

    def __enter__(self) -> "PdfiumDocument":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._release_page()
        self._pdf.close()

    def _page(self, number: int):
        """Page ``number`` (1-based), loaded once while the reader stays on it."""
        if self._page_number != number:
            self._release_page()
            self._loaded_page, self._page_number = self._pdf[number - 1], number
        return self._loaded_page

    def _release_page(self) -> None:
        if self._loaded_page is not None:
            self._loaded_page.close()
        self._page_number, self._loaded_page = 0, None

    def __len__(self) -> int:
        return len(self._pdf)

    def render(self, number: int, dpi: float, max_side_px: int | None = None, colour: bool = False) -> PageImage:
        """Page ``number`` (1-based) as a grayscale PageImage, longest side capped like pdf2image pages.

        With ``colour`` the page is rendered in RGB and keeps those pixels when it shows colour (a seal);
        on a scan that is no slower than pdfium's own grayscale render.
        """
        page = self._page(number)
        page_dpi = capped_dpi(page.get_size(), dpi, max_side_px) if max_side_px else dpi
        note = None
        if page_dpi < dpi:
            note = (f"page too large at {dpi} DPI: rendered at {page_dpi:.0f} DPI "
                    f"(longest side capped at {max_side_px}px)")
        if colour:
            bitmap = page.render(scale=page_dpi / 72.0, rev_byteorder=True)
            rgb = np.array(bitmap.to_numpy()[:, :, :3], dtype=np.uint8, copy=True)
            bitmap.close()
            return page_image(number, rgb, page_dpi, note, colour=True)
        image = _gray(page.render(scale=page_dpi / 72.0, grayscale=True))
        return PageImage(number=number, image=image, dpi=page_dpi, note=note)

    def render_region(self, number: int, box_pt: tuple[float, float, float, float], dpi: float) -> np.ndarray:
        """Grayscale pixels of one box (points, top-left origin) of a page, at ``dpi``."""
        page = self._page(number)
        width, height = page.get_size()
        x0, y0, x1, y1 = box_pt
        crop = (max(0.0, x0), max(0.0, height - y1), max(0.0, width - x1), max(0.0, y0))
        return _gray(page.render(scale=dpi / 72.0, grayscale=True, crop=crop))

    def plain_text(self, number: int) -> str:
        """Page ``number``'s text layer as pdfium orders it, lines split by newlines (titles and covers)."""
        textpage = self._page(number).get_textpage()
        try:
            return textpage.get_text_range()
        finally:
            textpage.close()

    def text_layer(self, number: int) -> PageLayer:
        """Characters of page ``number`` with loose (font-height) boxes, plus what lies under them.

        Boxes are in the page as displayed (and rendered): pdfium reports them
        in the PDF's own space, which a /Rotate page turns and a crop box moves.
        """
        page = self._page(number)
        width, height = page.get_size()
        frame = PageFrame.of(page)
        textpage = page.get_textpage()
        try:
            chars = _layer_chars(textpage, frame)
        finally:
            textpage.close()
        texts, invisible, image_area = _objects_summary(page, frame)
        return PageLayer(
            chars=tuple(chars),
            width_pt=width,
            height_pt=height,
            text_objects=texts,
            invisible_text_objects=invisible,
            image_cover=min(1.0, image_area / (width * height)) if width * height else 0.0,
        )


@dataclass(frozen=True)
class PageFrame:
    """How a page's PDF space (origin bottom-left, unturned) maps onto the page as displayed (points from its top-left)."""

    left: float
    bottom: float
    right: float
    top: float
    # Clockwise quarter turns of /Rotate: 0, 1, 2 or 3.
    turns: int = 0

    @classmethod
    def of(cls, page) -> "PageFrame":
        import pypdfium2.raw as pdfium_c

        box = pdfium_c.FS_RECTF()
        pdfium_c.FPDF_GetPageBoundingBox(page, box)
        return cls(box.left, box.bottom, box.right, box.top, pdfium_c.FPDFPage_GetRotation(page) % 4)

    def to_display(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A box given by its PDF-space edges, as (x0, y0, x1, y1) on the displayed page."""
        width, height = self.right - self.left, self.top - self.bottom
        x0, x1, y0, y1 = left - self.left, right - self.left, bottom - self.bottom, top - self.bottom
        if self.turns == 1:
            return y0, x0, y1, x1
        if self.turns == 2:
            return width - x1, y0, width - x0, y1
        if self.turns == 3:
            return height - y1, width - x1, height - y0, width - x0
        return x0, height - y1, x1, height - y0


def _gray(bitmap) -> np.ndarray:
    """A grayscale render as its own uint8 array (the bitmap's buffer is freed)."""
    image = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
    bitmap.close()
    return image[:, :, 0] if image.ndim == 3 else image


def _layer_chars(textpage, frame: PageFrame) -> list[LayerChar]:
    """Every non-space character with loose and tight boxes (raw pdfium calls, buffers reused: ~1k chars a page)."""
    from ctypes import c_double, c_int, create_string_buffer

    import pypdfium2.raw as pdfium_c

    loose = pdfium_c.FS_RECTF()
    left, right, bottom, top = c_double(), c_double(), c_double(), c_double()
    name, flags = create_string_buffer(256), c_int()
    chars = []
    for index, text in _code_points(textpage):
        if text.isspace():
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(textpage, index, loose) or \
                not pdfium_c.FPDFText_GetCharBox(textpage, index, left, right, bottom, top):
            continue
        ink = frame.to_display(left.value, bottom.value, right.value, top.value)
        size = pdfium_c.FPDFText_GetFontInfo(textpage, index, name, len(name), flags)
        font = f"{name.value.decode('utf-8', 'replace')}#{flags.value}" if 0 < size <= len(name) else ""
        chars.append(LayerChar(text, *frame.to_display(loose.left, loose.bottom, loose.right, loose.top), ink, font))
    return chars



def _code_points(textpage) -> list[tuple[int, str]]:
    """The text page's characters with their first index: pdfium counts UTF-16 code units, so a
    character beyond the BMP (𠮷 U+20BB7 in a name) arrives as two surrogate halves, joined here.
    A lone half cannot be encoded anywhere (JSON, CSV, the store) and becomes U+FFFD."""
    import pypdfium2.raw as pdfium_c

    units = [pdfium_c.FPDFText_GetUnicode(textpage, i) for i in range(pdfium_c.FPDFText_CountChars(textpage))]
    return join_surrogates(units)


def join_surrogates(units: list[int]) -> list[tuple[int, str]]:
    """(index of its first unit, character) for UTF-16 code units; unpaired surrogates become U+FFFD."""
    points, index = [], 0
    while index < len(units):
        unit = units[index]
        following = units[index + 1] if index + 1 < len(units) else 0
        if 0xD800 <= unit < 0xDC00 and 0xDC00 <= following < 0xE000:
            points.append((index, chr(0x10000 + ((unit - 0xD800) << 10) + (following - 0xDC00))))
            index += 2
            continue
        points.append((index, "\ufffd" if 0xD800 <= unit < 0xE000 else chr(unit)))
        index += 1
    return points


def _objects_summary(page, frame: PageFrame) -> tuple[int, int, float]:
    """Text objects, those drawn invisible, and the page area images cover (raw calls; one level into forms)."""
    from ctypes import c_float

    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = c_float(), c_float(), c_float(), c_float()
    texts = invisible = 0
    image_area = 0.0
    objects = [pdfium_c.FPDFPage_GetObject(page, i) for i in range(pdfium_c.FPDFPage_CountObjects(page))]
    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            texts += 1
            invisible += pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == INVISIBLE_RENDER_MODE
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            image_area += max(0.0, min(right.value, frame.right) - max(left.value, frame.left)) * \
                max(0.0, min(top.value, frame.top) - max(bottom.value, frame.bottom))
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and len(objects) < 100_000:
            objects.extend(pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)))
    return texts, invisible, image_area
