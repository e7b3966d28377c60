"""Export the store's tidy values (current runs only) as one long CSV or Parquet table.

Amounts are exact decimals end to end: NUMERIC/text in the store, ``Decimal``
here, a Parquet ``decimal128`` column and plain digits in the CSV. Values are
in 元 where the table's unit is known (万元 × 10000); otherwise the printed
value is kept with its printed unit.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from .atomic import write_bytes_atomic, write_text_atomic
from .safe_cells import csv_safe
from .store import schema
from .store.store import ResultsStore
from .store.tidy import NORMALIZED_UNIT

FORMATS = ("csv", "parquet")
COLUMNS = (
    "doc_id", "source", "department", "year", "form", "table_index", "title", "row", "column_index",
    "row_code", "row_name", "is_total", "canonical_column", "value", "unit", "printed_value", "printed_unit",
    "confidence", "validation_status", "validation_rules", "run_id",
)  # fmt: skip


def current_values(store: ResultsStore) -> list[dict]:
    """Every amount of every document's current run, in document, table, row, column order."""
    v, runs, documents = schema.values.c, schema.runs.c, schema.documents.c
    query = (
        select(
            documents.doc_id, runs.source, v.department, v.year, v.form, v.table_index, v.title, v.row,
            v.column_index, v.row_code, v.row_name, v.is_total, v.canonical_column, v.value, v.unit,
            v.value_yuan, v.confidence, v.validation_status, v.validation_rules, v.run_id,
        )  # fmt: skip
        .join(schema.runs, runs.id == v.run_id)
        .join(schema.documents, documents.sha256 == v.document_sha256)
        .where(runs.is_current, v.value.is_not(None))
        .order_by(documents.doc_id, v.table_index, v.row, v.column_index)
    )
    with store.engine.connect() as conn:
        return [tidy_record(dict(row._mapping)) for row in conn.execute(query)]


def tidy_record(row: dict) -> dict:
    """One export row: the value in 元 when the unit is known, the printed one beside it."""
    in_yuan = row.pop("value_yuan")
    row["printed_value"], row["printed_unit"] = row.pop("value"), row.pop("unit")
    row["value"] = in_yuan if in_yuan is not None else row["printed_value"]
    row["unit"] = NORMALIZED_UNIT if in_yuan is not None else row["printed_unit"]
    return {name: row[name] for name in COLUMNS}


def to_csv(rows: list[dict], path: Path) -> None:
    """UTF-8 with BOM (Excel shows the Chinese); decimals as their exact digits; text inert (no formulas)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: csv_safe(value) for name, value in row.items()} for row in rows)
    write_text_atomic(path, "\ufeff" + buffer.getvalue(), encoding="utf-8")


def decimal_type(values: list[Decimal | None]):
    """decimal128 wide enough for every value without rounding."""
    import pyarrow as pa

    scale = max([0, *(-value.as_tuple().exponent for value in values if value is not None)])
    return pa.decimal128(38, min(scale, 18))


def to_parquet(rows: list[dict], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"year": pa.int32(), "table_index": pa.int32(), "row": pa.int32(), "column_index": pa.int32(),
             "is_total": pa.bool_(), "confidence": pa.float64()}  # fmt: skip
    for name in ("value", "printed_value"):
        types[name] = decimal_type([row[name] for row in rows])
    schema_ = pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])
    table = pa.Table.from_pylist(rows, schema=schema_)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    write_bytes_atomic(path, sink.getvalue().to_pybytes())


def export_values(store: ResultsStore, path: Path, fmt: str) -> int:
    """Write the tidy table to ``path``; returns the number of rows."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    rows = current_values(store)
    (to_csv if fmt == "csv" else to_parquet)(rows, Path(path))
    return len(rows)
