"""Ground truth in the pipeline's own contract (table_reconstruct.model).

Built from the spec (texts, spans, header paths) and the layout (bboxes in
points from the page's top-left), never from pixels.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from table_reconstruct.model import Cell, Column, DocumentInfo, DocumentResult, PageNote, Table

from samples.synth.layout import PageLayout
from samples.synth.spec import TableSpec


def _r(v: float) -> float:
    return round(v, 2)


def _cells(layout: PageLayout, page: int) -> list[Cell]:
    return [
        Cell(row=b.cell.row, col=b.cell.col, rowspan=b.cell.rowspan, colspan=b.cell.colspan,
             text=b.cell.text, confidence=1.0, page=page, bbox=tuple(_r(v) for v in b.rect))
        for b in layout.cells
    ]


def table_truth(spec: TableSpec, layout: PageLayout, page: int) -> Table:
    """One ``Table``: every grid position covered by exactly one cell, empty ones included."""
    return multipage_truth(spec, [layout], page)


def multipage_truth(spec: TableSpec, layouts: list[PageLayout], first_page: int) -> Table:
    """A table laid out over consecutive pages as ONE ``Table``.

    Each cell carries its own page and a bbox on that page; ``pages`` lists
    them all and ``bbox`` is the table's rectangle on its first page.
    """
    cells = [cell for i, layout in enumerate(layouts) for cell in _cells(layout, first_page + i)]
    columns = [
        Column(index=i, header_path=spec.header_path(i), canonical=c.canonical, score=1.0)
        for i, c in enumerate(spec.columns)
    ]
    return Table(title=spec.title, unit=spec.unit, pages=list(range(first_page, first_page + len(layouts))),
                 n_rows=spec.n_rows, n_cols=spec.n_cols, header_rows=spec.header_rows, cells=cells,
                 columns=columns, bbox=tuple(_r(v) for v in layouts[0].table_rect),
                 form=spec.form_id or "unknown", form_score=1.0 if spec.form_id else 0.0)


def document_truth(pdf_path: Path, tables: list[Table], settings: dict) -> DocumentResult:
    """Wrap per-page tables as the DocumentResult the pipeline should produce for ``pdf_path``."""
    data = pdf_path.read_bytes()
    pages = sorted({p for t in tables for p in t.pages})
    notes = [PageNote(page=p, tables=sum(p in t.pages for t in tables)) for p in pages]
    info = DocumentInfo(source=pdf_path.name, sha256=hashlib.sha256(data).hexdigest(), pages=len(pages),
                        page_notes=notes, settings=settings, pipeline_version="synth-truth")
    return DocumentResult(document=info, tables=tables)



def write_compact_truth(truth: DocumentResult, path: Path) -> None:
    """Corpus truth: defaults left out (they load back), one cell per line so diffs stay readable."""
    data = truth.model_dump(mode="json", exclude_defaults=True)
    cells = []
    for i, table in enumerate(data.get("tables", [])):
        cells.append(table.get("cells", []))
        table["cells"] = f"@cells{i}@"
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for i, table_cells in enumerate(cells):
        lines = ",\n".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in table_cells)
        text = text.replace(f'"@cells{i}@"', "[\n" + lines + "\n]")
    path.write_text(text + "\n", encoding="utf-8")


def spec_table(spec: TableSpec) -> Table:
    """The truth ``Table`` of a spec without laying it out: texts, spans and columns, no geometry.

    Fast enough to build every corpus table in a unit test (validation needs
    no bboxes).
    """
    cells = [Cell(row=g.row, col=g.col, rowspan=g.rowspan, colspan=g.colspan, text=g.text) for g in spec.grid_cells()]
    columns = [Column(index=i, header_path=spec.header_path(i), canonical=c.canonical, score=1.0)
               for i, c in enumerate(spec.columns)]
    return Table(title=spec.title, unit=spec.unit, department=spec.dept_name, pages=[1], n_rows=spec.n_rows,
                 n_cols=spec.n_cols, header_rows=spec.header_rows, cells=cells, columns=columns, form=spec.form_id)
