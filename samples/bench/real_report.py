"""Write the real track's figures: real.json, real.md (per city and variant) and the wrong cells (wrong.tsv)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Optional

from samples.bench.real_score import KINDS, Outcome, rate, tally

Results = dict[tuple[str, str], list[tuple[str, list[Outcome]]]]


def _pct(value: Optional[float]) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"


def speed(pred_dirs: list[Path]) -> dict[str, float]:
    """Pages, wall and CPU seconds over every run.*.json of one system's variant folder(s)."""
    pages = seconds = cpu = 0.0
    for run_file in (f for d in pred_dirs for f in d.glob("run.*.json")):
        run = json.loads(run_file.read_text(encoding="utf-8"))
        for entry in run["files"].values():
            pages += entry["pages"]
            seconds += entry["seconds"]
            cpu += entry["cpu_seconds"]
    return {"pages": pages, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "pages_per_s": round(pages / seconds, 3) if seconds else None,
            "pages_per_cpu_s": round(pages / cpu, 3) if cpu else None}


def _by_city(per_doc: list[tuple[str, list[Outcome]]], city_of: dict[str, str]) -> dict[str, list[Outcome]]:
    cities: dict[str, list[Outcome]] = {}
    for doc_id, outcomes in per_doc:
        cities.setdefault(city_of[doc_id], []).extend(outcomes)
        cities.setdefault("all", []).extend(outcomes)
    return cities


BOTH = "all, documents both systems read"


def summarize(results: Results, city_of: dict[str, str]) -> dict:
    """{variant: {city: {system: tally}}} plus page counts, and a row over the documents both systems read."""
    summary: dict = {}
    for (system, variant), per_doc in results.items():
        other = results.get(("baseline" if system == "pipeline" else "pipeline", variant))
        cities = _by_city(per_doc, city_of)
        if other is not None:
            shared = {doc for doc, _ in other}
            cities[BOTH] = [o for doc, outs in per_doc if doc in shared for o in outs]
        for city, outcomes in cities.items():
            row = summary.setdefault(variant, {}).setdefault(city, {})
            row[system] = tally(outcomes)
            if system == "baseline" and "pages" in row:
                continue  # the pipeline reads every sampled page: its count stands
            row["pages"] = len({(o.page, doc) for doc, outs in per_doc if city in ("all", city_of[doc]) for o in outs}) \
                if city != BOTH else len({(o.page, doc) for doc, outs in per_doc if doc in shared for o in outs})
    return summary


def _markdown(summary: dict, speeds: dict, settings: dict) -> str:
    lines = [f"Real track, {settings['started']}: `{settings['command']}` (seed {settings['seed']}, "
             f"{settings['per_city']} table pages per city, {settings['jiangsu']} Jiangsu pages for the OCR variants).", ""]
    for variant, cities in summary.items():
        lines += [f"### {variant}", "",
                  "| city | pages | numbers | pipeline | baseline | names | pipeline | baseline |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for city in sorted(cities, key=lambda c: (c == BOTH, c == "all", c)):
            row = cities[city]
            cells = []
            for kind in KINDS:
                n = (row.get("pipeline") or row.get("baseline"))[kind]["cells"]
                cells += [str(n), *(_pct(rate(row[s][kind])) if s in row else "—" for s in ("pipeline", "baseline"))]
            name = f"**{city}**" if city in ("all", BOTH) else city
            lines.append(f"| {name} | {row['pages']} | " + " | ".join(cells) + " |")
        sp = speeds.get(variant, {})
        pipe, base = sp.get("pipeline", {}), sp.get("baseline", {})
        ratio = (pipe["pages_per_cpu_s"] / base["pages_per_cpu_s"]
                 if pipe.get("pages_per_cpu_s") and base.get("pages_per_cpu_s") else None)
        lines += ["", f"Pages/s (wall; CPU): pipeline {pipe.get('pages_per_s')}; {pipe.get('pages_per_cpu_s')}, "
                      f"baseline {base.get('pages_per_s')}; {base.get('pages_per_cpu_s')}"
                      + (f", ratio ×{ratio:.2f} (CPU)" if ratio else ""), ""]
    return "\n".join(lines) + "\n"


def write_report(results: Results, city_of: dict[str, str], out: Path, settings: dict, manifest: dict) -> dict:
    summary = summarize(results, city_of)
    speeds = {variant: {system: speed([d for d in (out / "pred" / system).glob(f"{variant}*")
                                       if d.name == variant or d.name.startswith(f"{variant}-") and "all" in variant])
                        for system in ("pipeline", "baseline")}
              for variant in summary}
    causes: dict = {}
    with (out / "wrong.tsv").open("w", encoding="utf-8") as handle:
        handle.write("system\tvariant\tdoc\tpage\tkind\tflagged\ttruth\tpredicted\tbbox\n")
        for (system, variant), per_doc in sorted(results.items()):
            for doc_id, outcomes in per_doc:
                for o in outcomes:
                    if not o.right:
                        handle.write(f"{system}\t{variant}\t{doc_id}\t{o.page}\t{o.kind}\t{int(o.flagged)}\t"
                                     f"{o.truth}\t{o.predicted}\t{','.join(f'{v:.1f}' for v in o.bbox)}\n")
                        causes.setdefault(f"{system}/{variant}", Counter())["missing" if o.predicted is None else o.kind] += 1
    report = {"settings": settings, "summary": summary, "speed": speeds,
              "wrong": {k: dict(v) for k, v in causes.items()}}
    (out / "real.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "real.md").write_text(_markdown(summary, speeds, settings), encoding="utf-8")
    print((out / "real.md").read_text(encoding="utf-8"))
    return report
