"""The Prefect flow ``process_document``: ``document_run``'s steps as tasks for one document.

Works with no Prefect server (ephemeral mode). Page images never leave the
reconstruction task: tasks pass paths and the (small) result model, so
nothing large sits in Prefect's result persistence or the flow's memory.
"""

from __future__ import annotations

from flows.orchestration.prefect_env import apply_offline_defaults

apply_offline_defaults()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from flows.core import document_run  # noqa: E402
from flows.core.document_runner import DocumentOutcome  # noqa: E402
from flows.core.settings import Settings  # noqa: E402
from flows.store.url import store_url_for  # noqa: E402


def _step(name: str, function):
    return staticmethod(task(name=name, persist_result=False, cache_policy=NO_CACHE)(function))


class TaskSteps:
    """``document_run``'s steps as Prefect tasks, so each shows in the flow run."""

    read = _step("read-document", document_run.read)
    finish = _step("record-run", document_run.finish)


@flow(name="process-document", persist_result=False, log_prints=True)
def process_document(source: str, out_dir: str, settings: Settings | None = None, record: bool = True) -> DocumentOutcome:
    """One document in, ``out_dir/<doc_id>/result.json`` and table CSVs out, recorded in the results store
    unless ``record`` is false. The store comes from ``store_url_for`` (never a parameter: the UI shows those)."""
    store_url = store_url_for(out_dir) if record else None
    return document_run.run_steps(source, out_dir, settings or Settings(), store_url, TaskSteps)
