"""The benchmark corpus: N synthetic documents × 4 variants + scanned real pages.

One seed decides everything (forms per document, department, look, numbers,
noise), so ``python -m samples.synth corpus --seed 0`` rebuilds the same
bytes. The smoke subset is a few files of the full corpus, byte-identical
to their full-corpus twins, small enough to commit.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from samples.synth.catalog import CATALOG
from samples.synth.codes import DEPT_NAMES
from samples.synth.document import RULES, DocPlan, Look
from samples.synth.real import REAL_PICKS, build_real
from samples.synth.variants import VARIANTS, build_variant

DEFAULT_DOCS = 4
# Forms placed first so the smoke documents always carry the hardest cases:
# doc00 the two-page 基本支出表, doc01 the 决算 form with 栏次/行次.
LEAD_FORMS = ("basic_expenditure", "final_income_expense")
# (document index or real doc_id, variant) of the smoke subset.
SMOKE: list[tuple[int | str, str]] = [(0, "scanned-noisy"), (1, "garbled-layer"), (2, "born-digital"),
                                      ("real-zx2019", "real-scanned")]


@dataclass(frozen=True)
class Entry:
    """One corpus file as the manifest lists it."""

    file: str
    truth: str
    variant: str
    doc: str
    truth_kind: str  # "tables" (a DocumentResult) or "amount_tokens"
    forms: tuple[str, ...] = ()


def plan_corpus(seed: int, n_docs: int = DEFAULT_DOCS) -> list[DocPlan]:
    """Spread every catalog form over ``n_docs`` documents (at least two forms each)."""
    rng = random.Random(seed)
    rest = [f for f in CATALOG if f not in LEAD_FORMS]
    rng.shuffle(rest)
    order = list(LEAD_FORMS) + rest
    hard = [r for r in RULES if r != "normal"]
    rng.shuffle(hard)
    rules = hard + ["normal"]  # the first documents get every hard grid look
    first_body = rng.choice(["song", "hei"])
    plans = []
    for i in range(n_docs):
        forms = order[i::n_docs]
        while len(forms) < 2:
            forms.append(rng.choice([f for f in order if f not in forms]))
        body = first_body if i % 2 == 0 else ({"song", "hei"} - {first_body}).pop()  # alternate faces
        look = Look(body=body, rules=rules[i % len(rules)])
        plans.append(DocPlan(doc_id=f"doc{i:02d}", seed=seed * 1000 + i, dept_name=rng.choice(DEPT_NAMES),
                             year=rng.choice([2024, 2025, 2026]), n_items=rng.randint(4, 7), forms=tuple(forms),
                             look=look, split_gov="basic_expenditure" in forms))
    return plans


def build_corpus(out_dir: Path, seed: int = 0, n_docs: int = DEFAULT_DOCS, smoke: bool = False,
                 real_dir: Path | None = None) -> Path:
    """Generate the corpus (or its smoke subset) into ``out_dir``; returns the manifest path."""
    plans = plan_corpus(seed, n_docs)
    wanted = SMOKE if smoke else [(i, v) for i in range(n_docs) for v in VARIANTS] + \
        [(p.doc_id, "real-scanned") for p in REAL_PICKS]
    entries: list[Entry] = []
    skipped: list[str] = []
    for key, variant in wanted:
        if variant == "real-scanned":
            pick = next(p for p in REAL_PICKS if p.doc_id == key)
            if real_dir is None or not (real_dir / pick.source).is_file():
                skipped.append(f"{pick.doc_id}: {pick.source} not found under {real_dir}")
                continue
            pdf, truth = build_real(pick, real_dir, out_dir, seed)
            entries.append(Entry(pdf.name, truth.name, variant, pick.doc_id, "amount_tokens"))
        else:
            plan = plans[int(key)]
            pdf, truth = build_variant(plan, variant, out_dir)
            entries.append(Entry(pdf.name, truth.name, variant, plan.doc_id, "tables", plan.forms))
    manifest = out_dir / "manifest.json"
    data = {"generator": "python -m samples.synth corpus", "seed": seed, "docs": n_docs, "smoke": smoke,
            "skipped": skipped, "entries": [e.__dict__ | {"forms": list(e.forms)} for e in entries]}
    manifest.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def read_manifest(corpus_dir: Path) -> list[Entry]:
    data = json.loads((corpus_dir / "manifest.json").read_text(encoding="utf-8"))
    return [Entry(**{**e, "forms": tuple(e.get("forms", ()))}) for e in data["entries"]]
