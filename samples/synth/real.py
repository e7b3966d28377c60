"""Scanned variants of real born-digital disclosures (shared/real/jiangsu).

A page is rasterized with ``pdftoppm`` and degraded like a scan. No cell
grid truth exists for these, so the truth is the page's amount tokens as
read from the original text layer (``pdftotext``); the benchmark scores
them by token recall/precision per page.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image

from samples.numeric_tokens import amount_tokens
from samples.synth.degrade import ScanNoise, degrade
from samples.synth.pdf import write_image_pdf
from samples.synth.pdftext import page_text

REAL_DPI = 150
REAL_NOISE = ScanNoise(paper=238, ink=35, blur_radius=0.7, noise_sigma=6.0, speckles=80, illumination=0.4)
REAL_JPEG_QUALITY = 50


@dataclass(frozen=True)
class RealPick:
    doc_id: str
    source: str           # file name under the real/jiangsu folder
    pages: tuple[int, ...]  # 1-based pages of the source
    skew_deg: float = 0.0


REAL_PICKS: list[RealPick] = [
    RealPick("real-zx2019", "江苏省政协办公厅__江苏省政协办公厅2019年预算公开表.pdf", (6,), 0.6),
    RealPick("real-sw2018", "江苏省委办公厅__江苏省委办公厅2018年度部门预算公开表.pdf", (3, 8), -0.8),
    RealPick("real-rd2019", "江苏省人大办公厅__江苏省人大常委会办公厅2019年部门预算公开表.pdf", (5,), 0.0),
]


def rasterize(pdf: Path, page: int, dpi: int, colour: bool = False) -> Image.Image:
    """One page as a grayscale (or RGB) PIL image through poppler (what a print-and-scan would see)."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-r", str(dpi), *([] if colour else ["-gray"]), "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(prefix)], check=True, capture_output=True)
        with Image.open(prefix.with_suffix(".ppm" if colour else ".pgm")) as image:
            return image.convert("RGB" if colour else "L").copy()


def build_real(pick: RealPick, real_dir: Path, out_dir: Path, seed: int) -> tuple[Path, Path]:
    """Write ``<doc_id>.real-scanned.pdf`` and its token truth."""
    source = real_dir / pick.source
    images, pages = [], []
    for number, src_page in enumerate(pick.pages, start=1):
        noise = ScanNoise(**{**asdict(REAL_NOISE), "skew_deg": pick.skew_deg})
        images.append(degrade(rasterize(source, src_page, REAL_DPI), seed * 1000 + number, noise))
        pages.append({"page": number, "source_page": src_page, "tokens": amount_tokens(page_text(source, src_page))})
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{pick.doc_id}.real-scanned.pdf"
    write_image_pdf(images, REAL_DPI, pdf, REAL_JPEG_QUALITY)
    truth = {
        "kind": "amount_tokens",
        "source": pick.source,
        "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(),
        "note": "no cell grid truth: amounts (numbers with a decimal point) from the original text layer",
        "settings": {"dpi": REAL_DPI, "jpeg_quality": REAL_JPEG_QUALITY, "noise": asdict(REAL_NOISE),
                     "skew_deg": pick.skew_deg},
        "pages": pages,
    }
    truth_path = out_dir / f"{pick.doc_id}.real-scanned.truth.json"
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return pdf, truth_path
