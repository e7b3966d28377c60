"""The bundled end-to-end sample: a 2-page scanned 部门预算 excerpt plus its truth."""

from __future__ import annotations

import json
import random
from pathlib import Path

from table_reconstruct.model import DocumentResult

from samples.synth.budget import fixed_budget
from samples.synth.degrade import ScanNoise, degrade
from samples.synth.forms import expenditure_overview, income_expense_overview
from samples.synth.layout import layout_page
from samples.synth.pdf import pdf_measure, write_born_digital_pdf, write_image_pdf
from samples.synth.render import render_page
from samples.synth.spec import TableSpec
from samples.synth.truth import document_truth, table_truth

SAMPLE_SEED = 2026
SAMPLE_DPI = 200
SAMPLE_NAME = "scanned_budget_sample"
SAMPLE_DEPT = "新乡市红旗区某某局"
# 201 03 01..99 gives the long, wrapping 其他政府办公厅（室）及相关机构事务支出.
SAMPLE_CODES = ["2010301", "2010302", "2010350", "2010399", "2080505"]


def sample_specs(seed: int = SAMPLE_SEED) -> list[TableSpec]:
    """Page 1 收支总体情况表 and page 2 支出总体情况表 of one seeded budget."""
    budget = fixed_budget(random.Random(seed), SAMPLE_DEPT, 2026, SAMPLE_CODES)
    return [income_expense_overview(budget), expenditure_overview(budget)]


def build_sample(out_dir: Path, seed: int = SAMPLE_SEED, dpi: int = SAMPLE_DPI) -> tuple[Path, Path]:
    """Write ``<name>.pdf`` (image-only scan) and ``<name>.truth.json`` into ``out_dir``."""
    specs = sample_specs(seed)
    pages = [render_page(spec, page=i + 1, dpi=dpi) for i, spec in enumerate(specs)]
    noise = ScanNoise()
    images = [degrade(p.image, seed * 100 + i, noise) for i, p in enumerate(pages)]
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = out_dir / f"{SAMPLE_NAME}.pdf"
    write_image_pdf(images, dpi, pdf_path)
    settings = {"generator": "samples.synth", "seed": seed, "dpi": dpi, "forms": [s.form_id for s in specs],
                "noise": noise.__dict__}
    truth_path = out_dir / f"{SAMPLE_NAME}.truth.json"
    write_truth(document_truth(pdf_path, [p.table for p in pages], settings), truth_path)
    return pdf_path, truth_path


def build_born_digital(out_dir: Path, seed: int = SAMPLE_SEED, dpi: int = SAMPLE_DPI) -> tuple[Path, Path]:
    """Same document as a born-digital PDF whose text layer equals its truth.

    Laid out with reportlab metrics (uming/wqy-zenhei), so bboxes can differ
    slightly from the scanned sample's; it has its own truth file.
    """
    specs = sample_specs(seed)
    layouts = [layout_page(spec, pdf_measure, dpi) for spec in specs]
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = out_dir / f"{SAMPLE_NAME}.digital.pdf"
    write_born_digital_pdf(layouts, pdf_path)
    tables = [table_truth(spec, lay, i + 1) for i, (spec, lay) in enumerate(zip(specs, layouts))]
    settings = {"generator": "samples.synth", "seed": seed, "born_digital": True,
                "forms": [s.form_id for s in specs]}
    truth_path = out_dir / f"{SAMPLE_NAME}.digital.truth.json"
    write_truth(document_truth(pdf_path, tables, settings), truth_path)
    return pdf_path, truth_path


def write_truth(truth: DocumentResult, path: Path) -> None:
    """Stable, human-diffable JSON in the contract's field order."""
    data = truth.model_dump(mode="json")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
