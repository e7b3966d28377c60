"""Prefect flows over a whole archive: ``process_archive`` (batch) and ``reprocess_document``.

Each document is one Prefect task on a bounded thread pool; the task only
supervises, and the OCR runs in a long-lived worker process that the task
borrows for the document (see ``worker`` and ``worker_pool``). Prefect's own
``ProcessPoolTaskRunner`` exists in 3.8, but a segfaulting worker breaks its
whole pool and it cannot kill a hung native call, so the worker processes are
ours and Prefect sees small dicts only.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path

from .prefect_env import apply_offline_defaults

apply_offline_defaults()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.futures import as_completed  # noqa: E402

from . import progress  # noqa: E402
from .batch_progress import Tally  # noqa: E402
from .discover import find_inputs, unique_documents  # noqa: E402
from .document_job import Job, run_job  # noqa: E402
from .identify import sha256_of  # noqa: E402
from .review import index_quietly  # noqa: E402
from .runners import make_task_runner  # noqa: E402
from .settings import PIPELINE_VERSION, Settings  # noqa: E402
from .store import default_store_url, open_store  # noqa: E402
from .worker_pool import stop_idle_workers  # noqa: E402

DEFAULT_TIMEOUT_S = 1800.0


class NotReprocessable(Exception):
    """The store does not know the document, or none of its files still holds its content."""


@task(name="process-archived-document", persist_result=False, cache_policy=NO_CACHE)
def process_job(job: Job) -> dict:
    return run_job(job)


def settled(future, job: Job, logger) -> dict:
    """The task's summary; a task that itself failed (not its document) is reported, not raised:
    nothing was recorded for the document, so the next batch does it again."""
    try:
        return future.result()
    except Exception as exc:
        logger.error("%s: the task failed before recording a run: %s: %s", job.source, type(exc).__name__, exc)
        return {"run_id": None, "source": job.source, "status": "failed", "error_kind": "internal_error",
                "pages": 0, "seconds": 0.0}  # fmt: skip


def threads_per_worker(settings: Settings, workers: int) -> Settings:
    """Split the cores between workers unless the user chose a thread count."""
    if settings.threads is not None:
        return settings
    return replace(settings, threads=max(1, (os.cpu_count() or 1) // max(1, workers)))


@flow(name="process-archive", persist_result=False, log_prints=True)
def process_archive(
    source: str,
    out_dir: str,
    settings: Settings | None = None,
    workers: int = 2,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    store_url: str | None = None,
    runner: str = "threads",
    dask_address: str | None = None,
) -> dict:
    """Process every new document under ``source``; skip what this version and settings already did.

    ``runner``: ``threads`` (this machine, ``workers`` at once) or ``dask`` (a
    LocalCluster of ``workers`` processes, or the scheduler at ``dask_address``).
    """
    settings = threads_per_worker(settings or Settings(), workers)
    store_url = store_url or default_store_url(out_dir)
    store = open_store(store_url)
    candidates = unique_documents(find_inputs(source, exclude=Path(out_dir)))
    fingerprint = settings.fingerprint()
    todo = [c for c in candidates if not store.has_run(c.sha256, PIPELINE_VERSION, fingerprint)]
    progress.batch_planned(len(todo))
    jobs = [Job(c.source, c.sha256, c.size_bytes, out_dir, settings, timeout_s, store_url, "batch", c.aliases) for c in todo]
    done, tally, logger = [], Tally(planned=len(todo)), get_run_logger()
    logger.info("%d documents found, %d already done, %d to process", len(candidates), len(candidates) - len(todo), len(todo))
    with make_task_runner(runner, workers, dask_address) as task_runner:
        futures = {task_runner.submit(process_job, parameters={"job": job}): job for job in jobs}
        for future in as_completed(list(futures)):  # reported here, so it works whichever process ran the task
            item = settled(future, futures[future], logger)
            progress.document_finished(item["source"], item["status"], item["pages"])
            tally.finished(item["status"])
            tally.pages += item["pages"]
            logger.info("%s: %s  |  %s", Path(item["source"]).name, item["status"], tally.line())
            done.append(item)
    stop_idle_workers()  # this process's (threads); Dask workers' children exit with them or when idle
    index_quietly(out_dir)
    return {
        "found": len(candidates),
        "skipped": len(candidates) - len(todo),
        "processed": done,
        "statuses": dict(Counter(item["status"] for item in done)),
    }


def reprocess_job(doc_id: str, out_dir: str, overrides: dict, timeout_s: float, store_url: str) -> Job:
    """The job that redoes a stored document with its last settings, changed by ``overrides``."""
    store = open_store(store_url)
    document = store.document(doc_id)
    if document is None:
        raise NotReprocessable(f"no document {doc_id} in {store_url}")
    runs = store.runs_of(doc_id)
    base = Settings(**json.loads(runs[-1]["settings_json"])) if runs else Settings()
    if overrides.get("identity"):  # fields set on earlier runs stay, the new ones win
        overrides = overrides | {"identity": (base.identity or {}) | overrides["identity"]}
    settings = replace(base, **{key: value for key, value in overrides.items() if value is not None})
    for path in document["sources"] or [document["first_source"]]:
        if Path(path).is_file() and sha256_of(Path(path)) == document["sha256"]:
            return Job(path, document["sha256"], document["size_bytes"], out_dir, settings, timeout_s, store_url, "reprocess")
    raise NotReprocessable(f"none of its known paths still holds its content: {document['sources']}")


@flow(name="reprocess-document", persist_result=False, log_prints=True)
def reprocess_document(
    doc_id: str,
    out_dir: str,
    overrides: dict | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    store_url: str | None = None,
) -> dict:
    """Redo one document as a new current run; its earlier runs stay in the store."""
    job = reprocess_job(doc_id, out_dir, overrides or {}, timeout_s, store_url or default_store_url(out_dir))
    progress.batch_planned(1)
    item = process_job(job)
    progress.document_finished(item["source"], item["status"], item["pages"])
    index_quietly(out_dir)
    return item
