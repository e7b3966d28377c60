"""Geometry-free description of one table, the single source of its ground truth.

Forms build a ``TableSpec``; layout/render only decide where things go, so the
truth (texts, spans, header paths) can never disagree with what was drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Literal

Align = Literal["left", "center", "right"]
Orientation = Literal["portrait", "landscape"]


def spaced(text: str, gap: str = "  ") -> str:
    """Spread characters out (``工  资``) as real headers do; truth keeps ``text``."""
    return gap.join(text)


@dataclass(frozen=True)
class HeaderCell:
    """A header cell at its top-left grid position; ``display`` is what gets drawn."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    display: str | None = None

    @property
    def drawn(self) -> str:
        return self.text if self.display is None else self.display


@dataclass(frozen=True)
class LeafColumn:
    """One leaf column: canonical name, body alignment and relative width."""

    canonical: str
    align: Align = "right"
    weight: float = 1.0


@dataclass(frozen=True)
class GridCell:
    """Any cell of the full grid (header or body) as the truth will list it."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    drawn: str
    align: Align
    is_header: bool


@dataclass
class TableSpec:
    """Everything about a table except geometry: header, columns, body texts."""

    title: str
    unit: str
    dept_name: str
    header_rows: int
    header_cells: list[HeaderCell]
    columns: list[LeafColumn]
    body: list[list[str]]
    orientation: Orientation = "portrait"
    form_id: str = ""
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def n_cols(self) -> int:
        return len(self.columns)

    @property
    def n_rows(self) -> int:
        return self.header_rows + len(self.body)

    def header_path(self, col: int) -> list[str]:
        """Distinct header texts covering leaf column ``col``, top to bottom."""
        path: list[str] = []
        covering = sorted(
            (c for c in self.header_cells if c.col <= col < c.col + c.colspan), key=lambda c: c.row
        )
        for cell in covering:
            if cell.text and (not path or path[-1] != cell.text):
                path.append(cell.text)
        return path

    def grid_cells(self) -> Iterator[GridCell]:
        """Header cells then every body cell (empty ones included), row-major."""
        for h in sorted(self.header_cells, key=lambda c: (c.row, c.col)):
            yield GridCell(h.row, h.col, h.rowspan, h.colspan, h.text, h.drawn, "center", True)
        for r, values in enumerate(self.body):
            if len(values) != self.n_cols:
                raise ValueError(f"body row {r} has {len(values)} values, expected {self.n_cols}")
            for c, text in enumerate(values):
                align = self.columns[c].align
                yield GridCell(self.header_rows + r, c, 1, 1, text, text, align, False)
