"""The batch flow run in-process under Prefect's test harness: against a real PostgreSQL store,
and on a Dask LocalCluster. Real OCR on page 1 of the scanned sample in each."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from flows.orchestration.archive_flow import process_archive
from flows.orchestration.dask_preload import TASK_MODULES, preloaded
from flows.orchestration.runners import DASK_PRELOAD
from flows.outputs.panel_export import export_values
from flows.core.settings import Settings
from flows.store import open_store, schema
from tests.conftest import SAMPLE_PDF, distinct_copy, make_pdf_page

pytestmark = pytest.mark.slow
ONE_PAGE = Settings(pages="1", max_side_px=3000)


def small_archive(root: Path, poster: bool = False) -> Path:
    archive = root / "archive"
    archive.mkdir()
    shutil.copy(SAMPLE_PDF, archive / "budget_2026.pdf")
    (archive / "empty.pdf").write_bytes(b"")
    if poster:  # 20000 px square at 200 DPI, more than the 3000 px cap of ONE_PAGE
        make_pdf_page(archive / "poster.pdf", size=(7200, 7200), text="A poster, not a table.")
    return archive


def by_name(store) -> dict[str, dict]:
    return {Path(run["first_source"]).name: run for run in store.current_runs()}


def test_a_batch_into_postgresql(pg_url, prefect_harness, tmp_path):
    archive, out = small_archive(tmp_path, poster=True), tmp_path / "out"
    summary = process_archive(str(archive), str(out), ONE_PAGE, workers=2, timeout_s=600, store_url=pg_url)
    assert summary.found == 3 and len(summary.processed) == 3
    store = open_store(pg_url)
    runs = by_name(store)
    assert runs["budget_2026.pdf"]["status"] in ("ok", "needs_review")
    assert (runs["empty.pdf"]["error_kind"], runs["empty.pdf"]["attempts"]) == ("bad_input", 1)  # not retried
    assert runs["poster.pdf"]["error_kind"] == "no_tables_found"
    notes = json.loads(Path(runs["poster.pdf"]["result_path"]).read_text(encoding="utf-8"))["document"]["page_notes"]
    assert "page too large at 200 DPI" in notes[0]["skipped"] and "capped at 3000px" in notes[0]["skipped"]

    with store.engine.connect() as conn:
        stored = conn.execute(
            select(schema.values.c.value, schema.values.c.value_yuan).where(
                schema.values.c.run_id == runs["budget_2026.pdf"]["id"], schema.values.c.row_name == "收入总计"
            )
        ).all()
    assert (Decimal("563.16"), Decimal("5631600.00")) in stored  # NUMERIC on PostgreSQL, exact both ways
    assert export_values(store, tmp_path / "values.parquet", "parquet") > 0
    exported = pq.read_table(tmp_path / "values.parquet").to_pylist()
    assert {row["year"] for row in exported} == {2026} and {row["unit"] for row in exported} == {"元"}

    again = process_archive(str(archive), str(out), ONE_PAGE, workers=2, timeout_s=600, store_url=pg_url)
    assert (again.skipped, again.processed) == (3, [])


def test_a_batch_on_a_dask_local_cluster(prefect_harness, tmp_path):
    archive, out = small_archive(tmp_path), tmp_path / "out"
    url = f"sqlite:///{out / 'results.sqlite'}"
    summary = process_archive(str(archive), str(out), ONE_PAGE, workers=2, timeout_s=600, store_url=url, runner="dask")
    assert summary.statuses["failed"] == 1
    runs = by_name(open_store(url))
    assert runs["budget_2026.pdf"]["status"] in ("ok", "needs_review") and runs["budget_2026.pdf"]["pages"] == 2
    assert runs["empty.pdf"]["error_kind"] == "bad_input"
    assert {item.pages for item in summary.processed} == {0, 1}  # pages reported back from the workers


def test_a_batch_on_a_dask_cluster_reached_by_its_address(prefect_harness, pg_url, tmp_path):
    """A real distributed cluster with worker processes of its own (processes=True), reached the way a
    cluster on other machines is (--dask-address), recording into PostgreSQL: every worker reaches it."""
    import dask
    from distributed import Client, LocalCluster, get_task_stream

    # Documents of their own: the PostgreSQL test above recorded the small archive's in the same database.
    archive, out = tmp_path / "archive", tmp_path / "out"
    distinct_copy(SAMPLE_PDF, archive / "budget_2026.pdf", tag="dask-address")
    (archive / "empty.pdf").write_text(f"not a PDF {tmp_path}", encoding="utf-8")
    dask.config.set({"distributed.worker.daemon": False})  # each document's OCR runs in a child of the Dask worker
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, preload=[DASK_PRELOAD]) as cluster, \
            Client(cluster) as client, get_task_stream(client) as stream:  # fmt: skip
        # Started as the README starts workers (--preload): the task's modules are in before any task.
        # (preloaded: a function of a module that imports nothing of the task's, so the call adds none)
        assert list(client.run(preloaded).values()) == [list(TASK_MODULES)] * 2
        summary = process_archive(str(archive), str(out), ONE_PAGE, workers=2, timeout_s=600, store_url=pg_url,
                                  runner="dask", dask_address=cluster.scheduler_address)  # fmt: skip
    # The scheduler's task stream: which of the cluster's worker processes ran each task.
    executed = [task for task in stream.data if "process-archived-document" in task["key"] or "process_job" in task["key"]]
    runs = by_name(open_store(pg_url))
    assert runs["budget_2026.pdf"]["status"] in ("ok", "needs_review") and runs["empty.pdf"]["error_kind"] == "bad_input"
    assert summary.statuses["failed"] == 1 and len(executed) == 2, [t["key"] for t in stream.data]  # on the cluster's workers
    assert not (out / "results.sqlite").exists()


def ocr_children() -> list[dict]:
    """Run on a Dask worker: its OCR children (the pool's workers), how many documents each read, and
    whether the child's environment (read from /proc, as the kernel started it) holds Dask's malloc setting."""
    import os

    from flows.workers import worker_pool

    def environment(pid: int) -> list[bytes]:
        return Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")

    return [{"pid": worker.pid, "documents": worker.documents, "worker_has_it": "MALLOC_TRIM_THRESHOLD_" in os.environ,
             "child_has_it": any(entry.startswith(b"MALLOC_TRIM_THRESHOLD_=") for entry in environment(worker.pid))}
            for worker in worker_pool._idle if worker.pid is not None]  # fmt: skip


def test_a_dask_worker_reads_every_document_in_one_ocr_child_without_dasks_malloc_setting(prefect_harness, pg_url, tmp_path):
    """One Dask worker process, three documents: one OCR child reads all three (not one child per task),
    and it starts without the MALLOC_TRIM_THRESHOLD_ Dask gives its workers (it slowed every page by a third)."""
    import dask
    from distributed import Client, LocalCluster

    archive, out = tmp_path / "archive", tmp_path / "out"
    archive.mkdir()
    for n in range(3):
        make_pdf_page(archive / f"letter{n}.pdf", text=f"Letter {n} for {tmp_path.name}.")
    dask.config.set({"distributed.worker.daemon": False})
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        summary = process_archive(str(archive), str(out), Settings(threads=1), workers=1, timeout_s=600, store_url=pg_url,
                                  runner="dask", dask_address=cluster.scheduler_address)  # fmt: skip
        children = list(client.run(ocr_children).values())
    # A letter holds no table (a failed document), but each was read to the end in the child, none crashed it.
    assert sorted(item.error_kind for item in summary.processed) == ["no_tables_found"] * 3, summary.processed
    assert children == [[{"pid": children[0][0]["pid"], "documents": 3, "worker_has_it": True, "child_has_it": False}]]
