"""The tidy values table and its CSV/Parquet export, on the sample's real ground-truth tables (no OCR)."""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from decimal import Decimal

import pyarrow.parquet as pq
import pytest
from sqlalchemy import create_engine, inspect, text

from flows.outputs.panel_export import export_values
from flows.outputs.result_files import write_run_copy
from flows.core.settings import Settings
from flows.store import ResultsStore, RunRecord, default_store_url
from flows.store.connect import make_engine
from flows.store.tidy import flagged_cells, tidy_rows, to_yuan
from table_reconstruct.document.identity import read_identity
from table_reconstruct.model import Finding


def by_position(rows: list[dict]) -> dict[tuple[int, int], dict]:
    return {(row["row"], row["column_index"]): row for row in rows}


def test_codes_are_joined_and_names_come_from_the_label_column(sample_truth):
    rows = by_position(tidy_rows(sample_truth, 1, 2026, {}))
    operations = rows[(6, 4)]  # 201 | 03 | 01 行政运行, 合计
    assert (operations["row_code"], operations["row_name"], operations["canonical_column"]) == ("2010301", "行政运行", "合计")
    assert operations["value"] == Decimal("143.56") and operations["value_yuan"] == Decimal("1435600.00")
    assert rows[(3, 4)]["row_name"] == "合计" and rows[(3, 4)]["is_total"] and rows[(3, 4)]["row_code"] is None
    assert rows[(6, 3)]["value"] is None and rows[(6, 0)]["value"] is None  # labels and codes are not amounts
    assert rows[(6, 10)]["value"] is None  # a blank amount cell


def test_two_sided_tables_name_each_amount_by_its_own_side(sample_truth):
    rows = by_position(tidy_rows(sample_truth, 0, 2026, {}))
    assert (rows[(2, 1)]["row_name"], rows[(2, 1)]["value"]) == ("一、一般公共预算", Decimal("563.16"))
    assert (rows[(2, 3)]["row_name"], rows[(2, 3)]["value"]) == ("一、一般公共服务", Decimal("533.59"))
    assert rows[(16, 3)]["row_name"] == "支出总计" and rows[(16, 3)]["is_total"]


def test_cells_in_a_finding_are_marked(sample_truth):
    result = sample_truth.model_copy(deep=True)
    result.tables[1].validation.append(
        Finding(rule="row_sum", cells=[(4, 4), (5, 4)], expected=Decimal("533.59"), found=Decimal("533.58"), difference=Decimal("0.01"))
    )
    rows = by_position(tidy_rows(result, 1, 2026, flagged_cells(result)))
    assert (rows[(4, 4)]["validation_status"], rows[(4, 4)]["validation_rules"]) == ("violation", "row_sum")
    assert rows[(6, 4)]["validation_status"] == "ok"


def test_unit():
    assert to_yuan(Decimal("1.23"), "万元") == Decimal("12300.00")
    assert to_yuan(Decimal("7"), "元") == Decimal("7") and to_yuan(Decimal("7"), None) is None


@pytest.fixture()
def stored(tmp_path, sample_truth):
    """The truth result recorded in a SQLite store twice: an old run and the current one."""
    store = ResultsStore(make_engine(default_store_url(tmp_path)))
    # The truth file carries tables only: its identity is read from them as the pipeline would (titles say 2026年).
    sample_truth = sample_truth.model_copy(update={"identity": read_identity([], sample_truth.tables)})
    for n, run_id in enumerate(("old", "new")):
        started = datetime(2026, 1, 1, n, tzinfo=timezone.utc)
        path = write_run_copy(sample_truth, tmp_path, run_id)
        store.record_run(sample_truth, RunRecord(run_id, "budget_2026.pdf", 1, Settings().fingerprint(), "batch", started, started, 1, str(path)))
    return store


def test_csv_export_holds_current_amounts_in_yuan(stored, tmp_path, sample_truth):
    count = export_values(stored, tmp_path / "values.csv", "csv")
    with (tmp_path / "values.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    printed = [c.text for t in sample_truth.tables for c in t.cells if c.row >= t.header_rows and "." in c.text]
    assert count == len(rows) == len(printed) == 58  # every printed amount once; the old run's are not exported
    assert {row["run_id"] for row in rows} == {"new"}
    total = next(r for r in rows if r["row_name"] == "合计" and r["canonical_column"] == "合计")
    assert (total["value"], total["unit"], total["printed_value"], total["printed_unit"]) == ("5631600.00", "元", "563.16", "万元")
    assert total["year"] == "2026" and total["validation_status"] == "ok"


def test_parquet_export_keeps_exact_decimals(stored, tmp_path):
    export_values(stored, tmp_path / "values.parquet", "parquet")
    table = pq.read_table(tmp_path / "values.parquet")
    assert str(table.schema.field("value").type).startswith("decimal128(38, 2)")
    values = table.column("value").to_pylist()
    assert Decimal("5631600.00") in values and all(isinstance(v, Decimal) for v in values)


def test_an_older_store_gains_the_new_columns(tmp_path, sample_truth):
    url = default_store_url(tmp_path)
    old = create_engine(url)
    with old.begin() as conn:  # the values table as the previous version created it
        conn.execute(text('CREATE TABLE "values" (run_id VARCHAR(32), table_index INTEGER, "row" INTEGER, column_index INTEGER, '
                          'document_sha256 VARCHAR(64), title TEXT, canonical_column TEXT, text TEXT NOT NULL, confidence FLOAT NOT NULL, '
                          'PRIMARY KEY (run_id, table_index, "row", column_index))'))
    old.dispose()
    store = ResultsStore(make_engine(url))
    assert {"value", "value_yuan", "row_code", "validation_status"} <= {c["name"] for c in inspect(store.engine).get_columns("values")}


def test_the_export_streams_in_chunks_and_marks_rows_without_code_or_column(stored, tmp_path, monkeypatch):
    """Small chunks: the Parquet file is several row groups, every row still there exactly once, marks set."""
    import flows.outputs.panel_export as export

    monkeypatch.setattr(export, "CHUNK_ROWS", 7)
    count = export_values(stored, tmp_path / "panel.parquet", "parquet")
    parquet = pq.ParquetFile(tmp_path / "panel.parquet")
    assert parquet.metadata.num_row_groups == -(-count // 7) > 1
    rows = parquet.read().to_pylist()
    assert count == len(rows) == 58 and len({(r["table_index"], r["row"], r["column_index"]) for r in rows}) == 58
    assert all(r["has_row_code"] == bool(r["row_code"]) for r in rows)
    assert {r["has_row_code"] for r in rows} == {True, False}  # the 合计 rows print no code and are kept
    assert all(r["has_canonical_column"] == bool(r["canonical_column"]) for r in rows)
    assert {(r["year"], r["department"]) for r in rows} == {(2026, None)}  # the truth's titles say 2026; no caption
    assert export.current_values(stored) == sorted(export.current_values(stored), key=lambda r: (r["table_index"], r["row"], r["column_index"]))
