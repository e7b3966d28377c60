"""Write a document's result.json, one CSV per table and a workbook, in the output contract's layout.

``DIR/<doc_id>/result.json``, ``DIR/<doc_id>/tables/NN_<slug>.csv`` and
``DIR/<doc_id>/tables.xlsx`` (see ``xlsx_export``); CSVs are
UTF-8 with a BOM so Excel shows the Chinese, headed by canonical column names
(the raw header path where a column is unmapped). Text that a spreadsheet would
run as a formula is written inert (see ``safe_cells``).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from table_reconstruct.semantics.header_mapping import PATH_SEPARATOR
from table_reconstruct.model import DocumentResult, Table

from flows.outputs.atomic import write_bytes_atomic, write_text_atomic
from flows.core.identify import document_key
from flows.outputs.safe_cells import csv_safe_row
from flows.outputs.xlsx_export import WORKBOOK_FILE, cut_cells, workbook_bytes

RESULT_FILE = "result.json"
TABLES_DIR = "tables"


def slugify(title: str | None, fallback: str = "table") -> str:
    """File-name-safe form of a table title that keeps its Chinese characters."""
    slug = re.sub(r"[^\w\u4e00-\u9fff]+", "_", title or "").strip("_")
    return slug[:60] or fallback


def column_names(table: Table) -> list[str]:
    """CSV header: canonical names, raw header paths where unmapped, made unique."""
    names, seen = [], {}
    for column in table.columns:
        name = column.canonical or PATH_SEPARATOR.join(column.header_path) or f"列{column.index + 1}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_safe_row(column_names(table)))
    writer.writerows(csv_safe_row(row) for row in table.body_rows())
    return "\ufeff" + buffer.getvalue()


def table_file_name(index: int, table: Table) -> str:
    return f"{index + 1:02d}_{slugify(table.title)}.csv"


def write_outputs(result: DocumentResult, out_dir: Path) -> Path:
    """Write (atomically) the document's folder and return it; stale CSVs of older runs are removed.

    A cell the workbook has to cut (Excel's 32,767 characters) is added to ``result.review_cells``.
    """
    doc_dir = Path(out_dir) / document_key(result.document)
    tables_dir = doc_dir / TABLES_DIR
    written = set()
    for index, table in enumerate(result.tables):
        name = table_file_name(index, table)
        write_text_atomic(tables_dir / name, table_csv(table), encoding="utf-8")
        written.add(name)
    if tables_dir.is_dir():
        for old in tables_dir.glob("*.csv"):
            if old.name not in written:
                old.unlink()
    write_bytes_atomic(doc_dir / WORKBOOK_FILE, workbook_bytes(result))
    known = {(cell.table, cell.row, cell.col, cell.reason) for cell in result.review_cells}
    result.review_cells += [cell for cell in cut_cells(result) if (cell.table, cell.row, cell.col, cell.reason) not in known]
    write_text_atomic(doc_dir / RESULT_FILE, result.model_dump_json(indent=2))
    return doc_dir


RUNS_DIR = "runs"


def write_run_copy(result: DocumentResult, out_dir: Path, run_id: str) -> Path:
    """Keep each run's result.json under ``runs/`` too, so history never points at an overwritten file."""
    path = Path(out_dir) / document_key(result.document) / RUNS_DIR / f"{run_id}.json"
    write_text_atomic(path, result.model_dump_json(indent=2))
    return path
