"""The real track's pages: which table pages are read, and their scanned renderings.

Table pages are those whose text layer holds ruled cells with numbers (see
``real_truth``). The born-digital path reads every table page of every
document; the OCR variants read a seeded sample per city, small enough for
a shared 2-core machine, rendered from the original PDF like a scan:

* scanned-clean  200 DPI, mild noise, JPEG q60, skew in ±0.8°
* scanned-noisy  150 DPI, blur, strong noise and specks, uneven light, JPEG q45, skew in ±0.8°
* scanned-seal   200 DPI colour, a red 公章 stamped over the table, mild noise, JPEG q60, skew in ±0.8°
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from samples.synth.degrade import ScanNoise, degrade, degrade_rgb
from samples.synth.pdf import write_image_pdf
from samples.synth.real import rasterize
from samples.synth.seal import stamp_seal
from samples.synth.variants import CLEAN, NOISY, ScanProfile

from samples.bench.real_truth import TruthCell

SHARED = Path(__file__).resolve().parents[3] / "shared" / "real"
SKEW_DEG = 0.8
# A table page: at least this many ruled number cells in its text layer.
MIN_NUMBERS = 4

SCANS: dict[str, ScanProfile] = {
    "scanned-clean": ScanProfile(CLEAN.dpi, CLEAN.noise, CLEAN.jpeg_quality, SKEW_DEG),
    "scanned-noisy": ScanProfile(NOISY.dpi, NOISY.noise, NOISY.jpeg_quality, SKEW_DEG),
    "scanned-seal": ScanProfile(CLEAN.dpi, CLEAN.noise, CLEAN.jpeg_quality, SKEW_DEG),
}
VARIANTS = ("born-digital", *SCANS)


@dataclass
class RealDoc:
    """One real PDF: its city (or 江苏), its table pages and the sampled ones."""

    doc_id: str
    city: str
    source: Path
    table_pages: list[int]
    sample: list[int] = field(default_factory=list)


def real_documents(shared: Path = SHARED) -> list[RealDoc]:
    """Every PDF of cities/ (city from MANIFEST.tsv) and jiangsu/ (as 江苏, ids js-00…), table pages unknown yet."""
    docs = []
    with (shared / "cities" / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            docs.append(RealDoc(Path(row["file"]).stem, row["city"], shared / "cities" / row["file"], []))
    for index, path in enumerate(sorted((shared / "jiangsu").glob("*.pdf"))):
        docs.append(RealDoc(f"js-{index:02d}", "江苏", path, []))
    return docs


def is_table_page(cells: list[TruthCell]) -> bool:
    return sum(cell.kind == "number" for cell in cells) >= MIN_NUMBERS


def sample_pages(docs: list[RealDoc], per_city: int, jiangsu: int, seed: int) -> None:
    """Set each document's ``sample``: ``per_city`` table pages of each city (``jiangsu`` for 江苏), seeded."""
    by_city: dict[str, list[tuple[str, int]]] = {}
    for doc in docs:
        by_city.setdefault(doc.city, []).extend((doc.doc_id, page) for page in doc.table_pages)
    chosen: set[tuple[str, int]] = set()
    for city, pages in sorted(by_city.items()):
        count = jiangsu if city == "江苏" else per_city
        order = sorted(pages)
        random.Random(f"{seed}:{city}").shuffle(order)
        chosen.update(order[:count])  # a prefix: a larger sample keeps the smaller one's pages
    for doc in docs:
        doc.sample = sorted(page for doc_id, page in chosen if doc_id == doc.doc_id)


def skew_angles(doc: RealDoc, seed: int) -> list[float]:
    """One seeded angle per sampled page, shared by every scanned variant (the same sheet scanned thrice)."""
    rng = random.Random(f"{seed}:{doc.doc_id}:skew")
    return [round(rng.uniform(-SKEW_DEG, SKEW_DEG), 2) for _ in doc.sample]


def _scan(doc: RealDoc, variant: str, seed: int) -> list:
    profile = SCANS[variant]
    colour = variant == "scanned-seal"
    images = []
    for index, (page, angle) in enumerate(zip(doc.sample, skew_angles(doc, seed))):
        page_seed = seed * 100_000 + int(doc.doc_id.encode().hex(), 16) % 10_000 * 10 + index
        image = rasterize(doc.source, page, profile.dpi, colour=colour)
        noise = ScanNoise(**{**asdict(profile.noise), "skew_deg": angle})
        if colour:
            image = degrade_rgb(stamp_seal(image, random.Random(page_seed)), page_seed, noise)
        else:
            image = degrade(image, page_seed, noise)
        images.append(image)
    return images


def build_variant(doc: RealDoc, variant: str, out_dir: Path, seed: int) -> str:
    """Write the sampled pages of ``doc`` as ``<doc_id>.<variant>.pdf``; returns the file name."""
    name = f"{doc.doc_id}.{variant}.pdf"
    path = out_dir / name
    if variant == "born-digital":
        reader, writer = PdfReader(str(doc.source)), PdfWriter()
        for page in doc.sample:
            writer.add_page(reader.pages[page - 1])
        with path.open("wb") as handle:
            writer.write(handle)
    else:
        write_image_pdf(_scan(doc, variant, seed), SCANS[variant].dpi, path, SCANS[variant].jpeg_quality)
    return name


def build_corpus(docs: list[RealDoc], variants: list[str], out_dir: Path, seed: int) -> dict[str, dict]:
    """Every sampled document in every variant, with a manifest; files already built for the same sample are kept."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / "manifest.json"
    old = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    # Files of variants not asked for this time stay listed (a run of one variant keeps the others' files).
    manifest = {name: entry for name, entry in old.items() if entry["variant"] not in variants}
    for doc in docs:
        if not doc.sample:
            continue
        angles = skew_angles(doc, seed)
        for variant in variants:
            entry = {"doc_id": doc.doc_id, "city": doc.city, "variant": variant, "source": str(doc.source),
                     "pages": doc.sample, "skew": [0.0] * len(angles) if variant == "born-digital" else angles,
                     "seed": seed}
            name = f"{doc.doc_id}.{variant}.pdf"
            if old.get(name) != entry or not (out_dir / name).exists():
                build_variant(doc, variant, out_dir, seed)
            manifest[name] = entry
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest
