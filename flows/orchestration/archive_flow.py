"""Prefect flows over a whole archive: ``process_archive`` (batch) and ``reprocess_document``.

Each document is one Prefect task on a bounded thread pool; the task only
supervises, and the OCR runs in a long-lived worker process that the task
borrows for the document (see ``worker`` and ``worker_pool``). Prefect's own
``ProcessPoolTaskRunner`` exists in 3.8, but a segfaulting worker breaks its
whole pool and it cannot kill a hung native call, so the worker processes are
ours and Prefect sees small typed outcomes only.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

from flows.orchestration.prefect_env import apply_offline_defaults

apply_offline_defaults()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import (  # noqa: E402
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.futures import as_completed  # noqa: E402
from prefect.runtime import flow_run, task_run  # noqa: E402

from flows.core import progress  # noqa: E402
from flows.orchestration.batch_report import artifact_key, document_markdown, needs_a_note, outcome_tags, table_rows  # noqa: E402
from flows.orchestration.batch_progress import Tally  # noqa: E402
from flows.core.discover import find_inputs, unique_documents  # noqa: E402
from flows.core.document_runner import BatchSummary, DocumentOutcome  # noqa: E402
from flows.core.cores import available_cores  # noqa: E402
from flows.workers.document_job import MAX_ATTEMPTS, RETRY_DELAY_S, Attempt, Job, TransientFailure, run_job  # noqa: E402
from flows.core.reprocess import reprocess_job, reprocess_now  # noqa: E402
from flows.review import index_quietly  # noqa: E402
from flows.orchestration.runners import make_task_runner  # noqa: E402
from flows.core.settings import PIPELINE_VERSION, Settings  # noqa: E402
from flows.store import open_store  # noqa: E402
from flows.store.url import store_url_for  # noqa: E402
from flows.workers.worker_pool import stop_idle_workers  # noqa: E402

DEFAULT_TIMEOUT_S = 1800.0


def only_transient(task, task_run, state) -> bool:
    """Retry a try whose worker crashed; bad input, a missing engine or a timeout will not change."""
    try:
        state.result()
    except TransientFailure:
        return True
    except Exception:
        return False
    return False


@task(name="process-archived-document", persist_result=False, cache_policy=NO_CACHE,
      retries=MAX_ATTEMPTS - 1, retry_delay_seconds=RETRY_DELAY_S, retry_condition_fn=only_transient)  # fmt: skip
def process_job(job: Job) -> DocumentOutcome:
    """One try of the document; Prefect runs the retries, so each try is visible in the UI."""
    run = task_run.get_id()
    if run is None:  # called outside a task run: the tries happen in run_job
        return run_job(job)
    return run_job(job, Attempt(number=task_run.get_run_count(), run_id=uuid.UUID(str(run)).hex))


def document_task(job: Job):
    """The document task named after its file and id, so the UI's task list says which document is which."""
    return process_job.with_options(task_run_name=f"{Path(job.source).name} [{job.sha256[:16]}]",
                                    retry_delay_seconds=job.retry_delay_s)  # fmt: skip


def publish_artifacts(done: list[DocumentOutcome], source: str) -> None:
    """The run's table of documents, a note per document that failed or needs review, outcome tags."""
    create_table_artifact(table_rows(done), key="archive-batch", description=f"Documents processed from `{source}` in this run")
    for item in filter(needs_a_note, done):
        create_markdown_artifact(document_markdown(item), key=artifact_key(item.doc_id),
                                 description=f"{Path(item.source).name}: {item.status}")  # fmt: skip
    run_id = flow_run.get_id()
    if run_id:
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            current = client.read_flow_run(run_id)
            client.update_flow_run(run_id, tags=sorted(set(current.tags) | set(outcome_tags(done))))


def settled(future, job: Job, logger) -> DocumentOutcome:
    """The task's summary; a task that itself failed (not its document) is reported, not raised:
    nothing was recorded for the document, so the next batch does it again."""
    try:
        return future.result()
    except Exception as exc:
        logger.error("%s: the task failed before recording a run: %s: %s", job.source, type(exc).__name__, exc)
        return DocumentOutcome.unrecorded_failure(job.source)


def threads_per_worker(settings: Settings, workers: int) -> Settings:
    """Split the cores between workers unless the user chose a thread count (the cores counted as page_pool does)."""
    if settings.threads is not None:
        return settings
    return replace(settings, threads=max(1, available_cores() // max(1, workers)))


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
) -> BatchSummary:
    """Process every new document under ``source``; skip what this version and settings already did.

    ``runner``: ``threads`` (this machine, ``workers`` at once) or ``dask`` (a
    LocalCluster of ``workers`` processes, or the scheduler at ``dask_address``).
    """
    settings = threads_per_worker(settings or Settings(), workers)
    store_url = store_url_for(out_dir, store_url)
    store = open_store(store_url)
    candidates = unique_documents(find_inputs(source, exclude=Path(out_dir)))
    fingerprint = settings.fingerprint()
    todo = [c for c in candidates if not store.has_run(c.sha256, PIPELINE_VERSION, fingerprint)]
    progress.batch_planned(len(todo))
    jobs = [Job(c.source, c.sha256, c.size_bytes, out_dir, settings, timeout_s, store_url, "batch", c.aliases) for c in todo]
    done, tally, logger = [], Tally(planned=len(todo)), get_run_logger()
    logger.info("%d documents found, %d already done, %d to process", len(candidates), len(candidates) - len(todo), len(todo))
    progress_artifact = create_progress_artifact(0.0, description=f"Documents of `{source}` done, of {len(jobs)}") if jobs else None
    # The task runs carry no tags: Prefect asks the server for tag concurrency slots before every
    # tagged task, which measured 1.7 s a document on average (up to 6 s) on the path between two
    # documents. The flow run carries the tags instead (``publish_artifacts``).
    with make_task_runner(runner, workers, dask_address) as task_runner:
        futures = {task_runner.submit(document_task(job), parameters={"job": job}): job for job in jobs}
        for future in as_completed(list(futures)):  # reported here, so it works whichever process ran the task
            item = settled(future, futures[future], logger)
            progress.document_finished(item.source, item.status, item.pages)
            tally.finished(item.status)
            tally.pages += item.pages
            logger.info("%s: %s  |  %s", Path(item.source).name, item.status, tally.line())
            done.append(item)
            if progress_artifact is not None:
                update_progress_artifact(progress_artifact, 100.0 * len(done) / len(jobs))
    stop_idle_workers()  # this process's (threads); Dask workers' children exit with them or when idle
    index_quietly(out_dir)
    if done:
        publish_artifacts(done, source)
    return BatchSummary(found=len(candidates), skipped=len(candidates) - len(todo), processed=done)


@flow(name="reprocess-document", persist_result=False, log_prints=True)
def reprocess_document(
    doc_id: str,
    out_dir: str,
    overrides: dict | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    store_url: str | None = None,
) -> DocumentOutcome:
    """Redo one document as a new current run; its earlier runs stay in the store."""
    job = reprocess_job(doc_id, out_dir, overrides or {}, timeout_s, store_url_for(out_dir, store_url))
    return reprocess_now(job, document_task(job))
