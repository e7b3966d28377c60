"""The README's panel example runs as printed, over the bundled scanned sample put through the real pipeline."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from flows.outputs.panel_export import export_values
from flows.outputs.result_files import RESULT_FILE, write_outputs
from flows.core.settings import Settings
from flows.store import RunRecord, default_store_url, open_store

README = Path(__file__).resolve().parents[1] / "README.md"
MARKER = "<!-- panel-example"


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    after = text[text.index(MARKER):]
    return re.search(r"```python\n(.*?)```", after, re.S).group(1)


def test_readme_example_gives_basic_expenditure_by_department_and_year(sample_result, tmp_path, monkeypatch, capsys):
    out = tmp_path / "results"
    doc_dir = write_outputs(sample_result, out)
    now = datetime.now(timezone.utc)
    store = open_store(default_store_url(out))
    store.record_run(sample_result, RunRecord(uuid.uuid4().hex, "scanned_budget_sample.pdf", 1, Settings().fingerprint(),
                                              "batch", now, now, 1, str(doc_dir / RESULT_FILE)))
    export_values(store, out / "values.parquet", "parquet")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(readme_example(), "README.md", "exec"), namespace)
    basic = namespace["basic"].to_pylist()
    # The expenditure table's 合计 row, 基本支出 column, as the pipeline read it, in 元.
    table = next(t for t in sample_result.tables if t.form == "expenditure_overview")
    column = next(c.index for c in table.columns if c.canonical == "基本支出")
    total_row = next(r.row for r in table.rows if r.is_total)
    printed = table.cell_at(total_row, column).value
    assert basic == [{"department": sample_result.identity.value("department"), "year": 2026,
                      "value_sum": printed * Decimal(10000)}]
    assert basic[0]["department"]  # the scan's 部门名称 caption
    assert "value_sum" in capsys.readouterr().out
