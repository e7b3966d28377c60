"""Export the archive's panel: every amount of every document's current run, one long CSV or Parquet table.

Each row is keyed by region × department × year × kind (the document's
identity, ``runs``) × form × row code × canonical column. Rows without a
code and columns without a canonical name are kept and marked
(``has_row_code``, ``has_canonical_column``), never dropped.

Amounts are exact decimals end to end: NUMERIC/text in the store, ``Decimal``
here, a Parquet ``decimal128`` column and plain digits in the CSV. Values are
in 元 where the table's unit is known (万元 × 10000); otherwise the printed
value is kept with its printed unit.

The export streams: the store is read in chunks (``yield_per``), the CSV is
written row by row and the Parquet file one row group per chunk, so memory
stays flat whatever the archive's size. Parquet's decimal scale is found by
a first streamed pass, so no value is rounded.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterator

from sqlalchemy import select

from flows.outputs.atomic import replaced_on_success
from flows.outputs.safe_cells import csv_safe
from flows.store import schema
from flows.store.store import ResultsStore
from flows.store.tidy import NORMALIZED_UNIT

FORMATS = ("csv", "parquet")
COLUMNS = (
    "doc_id", "source", "region", "level", "department", "year", "kind", "form", "table_index", "title",
    "table_department", "row", "column_index", "row_code", "row_name", "has_row_code", "is_total",
    "canonical_column", "has_canonical_column", "value", "unit", "printed_value", "printed_unit", "confidence",
    "validation_status", "validation_rules", "identity_set_by", "run_id",
)  # fmt: skip
# Rows read from the store per round trip (and per Parquet row group).
CHUNK_ROWS = 5000
_INTEGERS = ("year", "table_index", "row", "column_index")
_BOOLEANS = ("is_total", "has_row_code", "has_canonical_column")
_DECIMALS = ("value", "printed_value")
# Scale used when the archive has no amount at all (the column still needs a type).
DEFAULT_SCALE = 2


def panel_query():
    """The current runs' amounts joined with their document and its identity, in a stable order."""
    v, runs, documents = schema.values.c, schema.runs.c, schema.documents.c
    return (
        select(
            documents.doc_id, runs.source, runs.region, runs.level, runs.department, runs.year, runs.kind,
            runs.identity_json, v.form, v.table_index, v.title, v.department.label("table_department"), v.row,
            v.column_index, v.row_code, v.row_name, v.is_total, v.canonical_column, v.value, v.unit, v.value_yuan,
            v.confidence, v.validation_status, v.validation_rules, v.run_id,
        )  # fmt: skip
        .join(schema.runs, runs.id == v.run_id)
        .join(schema.documents, documents.sha256 == v.document_sha256)
        .where(runs.is_current, v.value.is_not(None))
        .order_by(documents.doc_id, v.table_index, v.row, v.column_index)
    )


def panel_rows(store: ResultsStore) -> Iterator[dict]:
    """Export rows one at a time, read from the store ``CHUNK_ROWS`` at a time."""
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=CHUNK_ROWS).execute(panel_query())
        for row in result:
            yield tidy_record(dict(row._mapping))


def current_values(store: ResultsStore) -> list[dict]:
    """Every export row in a list: for small stores and tests (``export_values`` streams)."""
    return list(panel_rows(store))


def identity_set_by(identity_json: str | None) -> str | None:
    """Who set the identity fields that a user set ("department=user:option;year=user:csv:…"), None when all were read."""
    if not identity_json:
        return None
    fields = json.loads(identity_json)
    users = [f"{name}={field['set_by']}" for name, field in fields.items() if field.get("set_by", "document") != "document"]
    return ";".join(users) or None


def tidy_record(row: dict) -> dict:
    """One export row: the value in 元 when the unit is known, the printed one beside it, and its marks."""
    in_yuan = row.pop("value_yuan")
    row["printed_value"], row["printed_unit"] = row.pop("value"), row.pop("unit")
    row["value"] = in_yuan if in_yuan is not None else row["printed_value"]
    row["unit"] = NORMALIZED_UNIT if in_yuan is not None else row["printed_unit"]
    row["has_row_code"] = bool(row["row_code"])
    row["has_canonical_column"] = bool(row["canonical_column"])
    row["identity_set_by"] = identity_set_by(row.pop("identity_json"))
    return {name: row[name] for name in COLUMNS}




def to_csv(rows: Iterator[dict], path: Path) -> int:
    """UTF-8 with BOM (Excel shows the Chinese); decimals as their exact digits; text inert (no formulas);
    written row by row."""
    count = 0
    with replaced_on_success(path) as temp, temp.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: csv_safe(value) for name, value in row.items()})
            count += 1
    return count


def decimal_scale(rows: Iterator[dict]) -> int:
    """The most decimal places any amount has (first pass), so decimal128 holds every value exactly."""
    scale = 0
    for row in rows:
        for name in _DECIMALS:
            value = row[name]
            if value is not None:
                scale = max(scale, -value.as_tuple().exponent)
    return min(scale, 18)


def arrow_schema(scale: int):
    import pyarrow as pa

    types = {name: pa.int32() for name in _INTEGERS} | {name: pa.bool_() for name in _BOOLEANS}
    types |= {"confidence": pa.float64()} | {name: pa.decimal128(38, scale) for name in _DECIMALS}
    return pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])


def to_parquet(rows: Iterator[dict], path: Path, scale: int) -> int:
    """One row group per ``CHUNK_ROWS`` rows, written as they come."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema_, count, chunk = arrow_schema(scale), 0, []
    with replaced_on_success(path) as temp:
        with pq.ParquetWriter(str(temp), schema_) as writer:
            for row in rows:
                chunk.append(row)
                if len(chunk) == CHUNK_ROWS:
                    writer.write_table(pa.Table.from_pylist(chunk, schema=schema_))
                    count, chunk = count + len(chunk), []
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema_))
            count += len(chunk)
    return count


def export_values(store: ResultsStore, path: Path, fmt: str) -> int:
    """Write the panel to ``path``; returns the number of rows."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "csv":
        return to_csv(panel_rows(store), Path(path))
    scale = decimal_scale(panel_rows(store))
    return to_parquet(panel_rows(store), Path(path), scale if scale else DEFAULT_SCALE)
