"""A run's result as database rows: pure functions from the output model to dicts."""

from __future__ import annotations

import json

from table_reconstruct.model import DocumentResult, Table

from flows.store.tidy import flagged_cells, tidy_rows


def table_row(run_id: str, index: int, table: Table) -> dict:
    columns = [column.model_dump() for column in table.columns]
    return {
        "run_id": run_id,
        "table_index": index,
        "title": table.title,
        "unit": table.unit,
        "department": table.department,
        "pages_json": json.dumps(table.pages),
        "n_rows": table.n_rows,
        "n_cols": table.n_cols,
        "header_rows": table.header_rows,
        "columns_json": json.dumps(columns, ensure_ascii=False),
    }


def cell_rows(run_id: str, index: int, table: Table) -> list[dict]:
    return [
        {
            "run_id": run_id,
            "table_index": index,
            "row": cell.row,
            "col": cell.col,
            "rowspan": cell.rowspan,
            "colspan": cell.colspan,
            "text": cell.text,
            "raw_text": cell.raw_text,
            "confidence": cell.confidence,
            "page": cell.page,
            "x0": cell.bbox[0],
            "y0": cell.bbox[1],
            "x1": cell.bbox[2],
            "y1": cell.bbox[3],
        }
        for cell in table.cells
    ]


def value_rows(run_id: str, result: DocumentResult, index: int, year: int | None, flagged: dict) -> list[dict]:
    """Body cells only (header rows are column names, not values), one per grid position."""
    sha256 = result.document.sha256
    return [
        {"run_id": run_id, "table_index": index, "document_sha256": sha256} | row
        for row in tidy_rows(result, index, year, flagged)
    ]


def identity_columns(result: DocumentResult) -> dict:
    """The run's identity columns: each field's value, and all of it with provenance as JSON."""
    identity = result.identity
    return {
        "region": identity.value("region"),
        "level": identity.value("level"),
        "department": identity.value("department"),
        "year": identity.fiscal_year(),
        "kind": identity.value("kind"),
        "identity_json": identity.model_dump_json(exclude_none=True),
    }


def finding_rows(run_id: str, result: DocumentResult) -> list[dict]:
    """Every finding of the run: each table's own, then the document's cross-table ones."""
    located = [(index, finding) for index, table in enumerate(result.tables) for finding in table.validation]
    located += [(None, finding) for finding in result.validation]
    rows = []
    for number, (index, finding) in enumerate(located):
        cells = [[index, row, col] for row, col in finding.cells] + [[ref.table, ref.row, ref.col] for ref in finding.refs]
        rows.append(
            {
                "run_id": run_id,
                "finding_index": number,
                "table_index": index,
                "rule": finding.rule,
                "cells_json": json.dumps(cells),
                "expected": finding.expected,
                "found": finding.found,
                "difference": finding.difference,
                "message": finding.message,
                "severity": finding.severity,
            }
        )
    return rows


def result_rows(run_id: str, result: DocumentResult) -> tuple[list[dict], list[dict], list[dict]]:
    """(tables, cells, values) rows of one run."""
    tables, cells, values = [], [], []
    year = result.identity.fiscal_year()  # as the document prints it: never guessed from the file name
    flagged = flagged_cells(result)
    for index, table in enumerate(result.tables):
        tables.append(table_row(run_id, index, table))
        cells.extend(cell_rows(run_id, index, table))
        values.extend(value_rows(run_id, result, index, year, flagged))
    return tables, cells, values
