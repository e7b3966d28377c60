"""PDF writers: image-only (a scan) and born-digital (text layer equals truth).

The image-only writer is hand-rolled (a few objects, no dates or IDs) so the
same pixels always give the same bytes, and page size = pixels * 72 / dpi so
``pdftoppm -r dpi`` reproduces the image size exactly.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

from PIL import Image

from samples.synth.layout import PageLayout


def _num(v: float) -> str:
    s = f"{v:.4f}".rstrip("0").rstrip(".")
    return s or "0"


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    mode = "RGB" if image.mode == "RGB" else "L"
    image.convert(mode).save(buf, format="JPEG", quality=quality, optimize=False, progressive=False)
    return buf.getvalue()


def write_image_pdf(images: list[Image.Image], dpi: int, path: Path, jpeg_quality: int = 85) -> None:
    """Write pages as DCT (JPEG) images, one per page, no text layer; RGB pages stay colour (seals)."""
    objects: list[bytes] = []  # object i+1

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages = add(b"")
    kids = []
    for image in images:
        w_px, h_px = image.size
        w_pt, h_pt = w_px * 72 / dpi, h_px * 72 / dpi
        data = _jpeg(image, jpeg_quality)
        space = b"DeviceRGB" if image.mode == "RGB" else b"DeviceGray"
        img = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s "
                  b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (w_px, h_px, space, len(data))
                  + data + b"\nendstream")
        content = f"q {_num(w_pt)} 0 0 {_num(h_pt)} 0 0 cm /Im0 Do Q".encode()
        cont = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {_num(w_pt)} {_num(h_pt)}] "
                        f"/Resources << /XObject << /Im0 {img} 0 R >> >> /Contents {cont} 0 R >>".encode()))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages} 0 R >>".encode()
    objects[pages - 1] = (f"<< /Type /Pages /Count {len(kids)} /Kids [" + " ".join(f"{k} 0 R" for k in kids)
                          + "] >>").encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    path.write_bytes(bytes(out))


# --- born-digital ---------------------------------------------------------

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"        # 宋/明 body
WQY_ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # 黑 title (and 黑 body)
_REGULAR, _BOLD = "SynthUMing", "SynthZenHei"
BODY_FONTS = {"song": _REGULAR, "hei": _BOLD}


def register_pdf_fonts() -> None:
    """Register the TrueType CJK faces with reportlab (CFF Noto fonts are unusable there)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if _REGULAR not in registered:
        pdfmetrics.registerFont(TTFont(_REGULAR, UMING, subfontIndex=0))
    if _BOLD not in registered:
        pdfmetrics.registerFont(TTFont(_BOLD, WQY_ZENHEI, subfontIndex=0))


def pdf_measure(text: str, size_pt: float, bold: bool = False, body: str = "song") -> float:
    """``layout.Measure`` for the born-digital fonts, so wrapping matches what is drawn."""
    from reportlab.pdfbase import pdfmetrics

    register_pdf_fonts()
    return pdfmetrics.stringWidth(text, _BOLD if bold else BODY_FONTS[body], size_pt)


def pdf_measure_for(body: str) -> Callable[[str, float, bool], float]:
    """A ``layout.Measure`` for the given body face (``song`` or ``hei``)."""
    return lambda text, size_pt, bold=False: pdf_measure(text, size_pt, bold, body)


def draw_layout_texts(c, layout: PageLayout, body: str = "song", invisible: bool = False,
                      transform: Callable[[str], str] | None = None) -> None:
    """Draw every text of ``layout`` on reportlab canvas ``c`` at its place.

    ``invisible`` uses text render mode 3 (a hidden OCR-style layer);
    ``transform`` rewrites each string first (the garbled-layer variant).
    """
    from reportlab.pdfbase import pdfmetrics

    register_pdf_fonts()
    h = layout.height
    for item in list(layout.texts) + [line for box in layout.cells for line in box.lines]:
        font = _BOLD if item.bold else BODY_FONTS[body]
        text = transform(item.text) if transform else item.text
        ascent, descent = pdfmetrics.getAscentDescent(font, item.size)
        baseline = h - (item.y + (ascent + descent) / 2)
        width = pdfmetrics.stringWidth(text, font, item.size)
        x = {"left": item.x, "center": item.x - width / 2, "right": item.x - width}[item.align]
        obj = c.beginText(x, baseline)
        obj.setFont(font, item.size)
        if invisible:
            obj.setTextRenderMode(3)
        obj.textOut(text)
        c.drawText(obj)


def write_born_digital_pdf(layouts: list[PageLayout], path: Path, line_pt: float = 0.72, body: str = "song",
                           line_gray: float = 0.0) -> None:
    """Draw the same grid lines and texts as vectors + real text, one layout per page.

    Lay the pages out with ``pdf_measure_for(body)`` so the text layer wraps
    exactly as the truth says. ``invariant=1`` keeps the bytes reproducible.
    """
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), invariant=1, pageCompression=1)
    for layout in layouts:
        h = layout.height
        c.setPageSize((layout.width, h))
        c.setLineWidth(line_pt)
        c.setStrokeGray(line_gray)
        for box in layout.cells:
            x0, y0, x1, y1 = box.rect
            c.rect(x0, h - y1, x1 - x0, y1 - y0, stroke=1, fill=0)
        draw_layout_texts(c, layout, body)
        c.showPage()
    c.save()
