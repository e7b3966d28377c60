"""The garbled-layer variant: a scanned page with a WRONG invisible text layer.

Real disclosures are often printed from Office with broken font maps: the
text layer says ⻔ (CJK radical U+2EE8) where the page shows 门, ⼈ for 人,
and digits can be off. A tool that trusts ``pdftotext`` gets those; the
pixels are right. Substitutions here are seeded, so the bytes reproduce.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image

from samples.synth.layout import PageLayout
from samples.synth.pdf import draw_layout_texts

# Look-alikes from the CJK Radicals Supplement and Kangxi Radicals blocks, as
# produced by broken ToUnicode maps in real government PDFs.
LOOKALIKES: dict[str, str] = {
    "门": "⻔", "车": "⻋", "长": "⻓", "见": "⻅", "页": "⻚", "风": "⻛", "飞": "⻜", "马": "⻢",
    "人": "⼈", "入": "⼊", "八": "⼋", "十": "⼗", "工": "⼯", "支": "⽀", "文": "⽂", "方": "⽅",
    "日": "⽇", "月": "⽉", "用": "⽤", "目": "⽬", "金": "⾦", "高": "⾼", "行": "⾏", "面": "⾯",
    "土": "⼟", "士": "⼠", "力": "⼒", "小": "⼩", "子": "⼦", "大": "⼤", "一": "⼀", "二": "⼆",
}
_DIGIT_SWAP = str.maketrans("0123456789", "8743652190")


def garble(text: str, rng: random.Random, digit_rate: float = 0.15) -> str:
    """Swap every look-alike character; scramble the digits of some numbers."""
    out = "".join(LOOKALIKES.get(ch, ch) for ch in text)
    if any(ch.isdigit() for ch in out) and rng.random() < digit_rate:
        out = out.translate(_DIGIT_SWAP)
    return out


def write_garbled_pdf(images: list[Image.Image], layouts: list[PageLayout], dpi: int, path: Path,
                      seed: int, body: str = "song", jpeg_quality: int = 75) -> None:
    """Each page: the scan as a JPEG filling the page, then the garbled text invisibly on top."""
    from reportlab import rl_config
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    saved, rl_config.useA85 = rl_config.useA85, 0  # binary streams: ASCII85 would add 25 %
    try:
        c = canvas.Canvas(str(path), invariant=1, pageCompression=1)
        for image, layout in zip(images, layouts, strict=True):
            w_pt, h_pt = image.size[0] * 72 / dpi, image.size[1] * 72 / dpi
            c.setPageSize((w_pt, h_pt))
            buf = io.BytesIO()
            image.convert("L").save(buf, format="JPEG", quality=jpeg_quality, optimize=False, progressive=False)
            buf.seek(0)
            c.drawImage(ImageReader(buf), 0, 0, w_pt, h_pt)
            draw_layout_texts(c, layout, body, invisible=True, transform=lambda t: garble(t, rng))
            c.showPage()
        c.save()
    finally:
        rl_config.useA85 = saved
