"""A one-page scanned sample whose sums do not hold: material for checks and the review page.

The bundled sample's 支出总体情况表 with one 合计 misprinted (digits swapped),
so its row (合计 = 基本支出 + 项目支出) and its parent 款 (the sum of its 项
rows) both fail, the way a real disclosure's typo or a misread digit would.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from samples.synth.degrade import ScanNoise, degrade
from samples.synth.pdf import write_image_pdf
from samples.synth.render import render_page
from samples.synth.sample import SAMPLE_DPI, SAMPLE_SEED, sample_specs

BROKEN_NAME = "broken_sums_sample"
TOTAL_COL = 4
# Body row 事业运行 (grid row 8): 合计 317.15 printed as 371.15.
BROKEN_ROW = 8
PRINTED_TOTAL = "371.15"


@dataclass(frozen=True)
class BrokenSample:
    pdf: Path
    row: int
    col: int
    true_text: str
    printed_text: str


def build_broken_sample(out_dir: Path, seed: int = SAMPLE_SEED, dpi: int = SAMPLE_DPI) -> BrokenSample:
    """Write ``broken_sums_sample.pdf`` (one image-only page) into ``out_dir``."""
    spec = sample_specs(seed)[1]
    body_row = BROKEN_ROW - spec.header_rows
    true_text = spec.body[body_row][TOTAL_COL]
    spec.body[body_row][TOTAL_COL] = PRINTED_TOTAL
    page = render_page(spec, page=1, dpi=dpi)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{BROKEN_NAME}.pdf"
    write_image_pdf([degrade(page.image, seed, ScanNoise())], dpi, pdf)
    return BrokenSample(pdf, BROKEN_ROW, TOTAL_COL, true_text, PRINTED_TOTAL)
