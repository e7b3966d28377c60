"""Write one ``DocPlan`` as a PDF in one variant, with its truth beside it.

born-digital   vector grid + real text layer (reportlab), text layer == truth
scanned-clean  200 DPI, mild noise, JPEG q60
scanned-noisy  150 DPI, per-page skew up to ±2° (truth bboxes rotated to follow),
               blur, JPEG q45, speckle, uneven illumination
garbled-layer  the scanned-clean page plus a wrong invisible text layer
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image

from table_reconstruct.model import Table

from samples.synth.degrade import ScanNoise, degrade
from samples.synth.document import DocPlan, doc_specs
from samples.synth.fonts import body_fonts
from samples.synth.garbled import write_garbled_pdf
from samples.synth.layout import Measure, PageLayout, layout_pages
from samples.synth.pdf import pdf_measure_for, write_born_digital_pdf, write_image_pdf
from samples.synth.render import draw_page
from samples.synth.skew import skew_table
from samples.synth.spec import TableSpec
from samples.synth.truth import document_truth, multipage_truth, write_compact_truth

VARIANTS = ("born-digital", "scanned-clean", "scanned-noisy", "garbled-layer")


@dataclass(frozen=True)
class ScanProfile:
    dpi: int
    noise: ScanNoise
    jpeg_quality: int
    max_skew_deg: float = 0.0


CLEAN = ScanProfile(200, ScanNoise(noise_sigma=2.5, speckles=10), 60)
NOISY = ScanProfile(150, ScanNoise(paper=236, ink=40, blur_radius=0.8, noise_sigma=8.0, speckles=160,
                                   illumination=0.7), 45, max_skew_deg=2.0)


@dataclass
class Laid:
    """A document laid out for one variant: pages, and each table's truth."""

    layouts: list[PageLayout]
    tables: list[Table]


def lay_out(specs: list[TableSpec], measure: Measure, dpi: int) -> Laid:
    """Consecutive pages for the specs (a long table takes several), truth per table."""
    laid = Laid([], [])
    for spec in specs:
        pages = layout_pages(spec, measure, dpi)
        laid.tables.append(multipage_truth(spec, pages, first_page=len(laid.layouts) + 1))
        laid.layouts.extend(pages)
    return laid


def _scan_pages(laid: Laid, plan: DocPlan, profile: ScanProfile) -> tuple[list[Image.Image], dict[int, float]]:
    """Render, then degrade each page with its own seed and skew angle."""
    fonts = body_fonts(plan.look.body)
    rng = random.Random(plan.seed * 7919 + profile.dpi)
    images, angles = [], {}
    for number, layout in enumerate(laid.layouts, start=1):
        clean = draw_page(layout, profile.dpi, fonts, rules=plan.look.grid(plan.seed + number))
        angle = round(rng.uniform(-profile.max_skew_deg, profile.max_skew_deg), 2) if profile.max_skew_deg else 0.0
        noise = ScanNoise(**{**asdict(profile.noise), "skew_deg": angle})
        images.append(degrade(clean, plan.seed * 1000 + number, noise))
        angles[number] = angle
    return images, angles


def build_variant(plan: DocPlan, variant: str, out_dir: Path) -> tuple[Path, Path]:
    """Write ``<doc_id>.<variant>.pdf`` and ``.truth.json`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{plan.doc_id}.{variant}.pdf"
    specs = doc_specs(plan)
    settings: dict = {"generator": "samples.synth corpus", "variant": variant, "plan": plan.as_dict()}
    if variant == "born-digital":
        laid = lay_out(specs, pdf_measure_for(plan.look.body), CLEAN.dpi)
        grid = plan.look.grid(plan.seed)
        write_born_digital_pdf(laid.layouts, pdf, line_pt=grid.width_px * 72 / 200, body=plan.look.body,
                               line_gray=grid.gray / 255)
        tables = laid.tables
    elif variant in ("scanned-clean", "scanned-noisy", "garbled-layer"):
        profile = NOISY if variant == "scanned-noisy" else CLEAN
        laid = lay_out(specs, body_fonts(plan.look.body).measure, profile.dpi)
        images, angles = _scan_pages(laid, plan, profile)
        if variant == "garbled-layer":
            write_garbled_pdf(images, laid.layouts, profile.dpi, pdf, plan.seed, plan.look.body,
                              profile.jpeg_quality)
        else:
            write_image_pdf(images, profile.dpi, pdf, profile.jpeg_quality)
        tables = [skew_table(t, angles, _page_size(laid, t)) for t in laid.tables]
        settings.update(dpi=profile.dpi, jpeg_quality=profile.jpeg_quality, noise=asdict(profile.noise),
                        skew_deg_by_page=angles, bbox_note="bboxes follow the skew (axis-aligned envelopes)")
    else:
        raise ValueError(f"unknown variant {variant!r}; one of {', '.join(VARIANTS)}")
    truth = out_dir / f"{plan.doc_id}.{variant}.truth.json"
    write_compact_truth(document_truth(pdf, tables, settings), truth)
    return pdf, truth


def _page_size(laid: Laid, table: Table) -> tuple[float, float]:
    layout = laid.layouts[table.pages[0] - 1]
    return layout.width, layout.height
