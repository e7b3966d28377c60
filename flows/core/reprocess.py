"""Redo one stored document with its last settings, changed by the user's overrides.

Prefect-free, so that ``reprocess`` answers in seconds when no Prefect API is
configured (see ``tracking``); the ``reprocess-document`` flow runs the same steps.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from flows.core import progress
from flows.workers.document_job import Job, run_job
from flows.core.document_runner import DocumentOutcome
from flows.core.identify import sha256_of
from flows.review import index_quietly
from flows.core.settings import Settings
from flows.store import open_store
from flows.store.url import redacted


class NotReprocessable(Exception):
    """The store does not know the document, or none of its files still holds its content."""


def reprocess_job(doc_id: str, out_dir: str, overrides: dict, timeout_s: float, store_url: str) -> Job:
    """The job that redoes a stored document with its last settings, changed by ``overrides``."""
    store = open_store(store_url)
    document = store.document(doc_id)
    if document is None:
        raise NotReprocessable(f"no document {doc_id} in {redacted(store_url)}")  # the message is printed: no password
    runs = store.runs_of(doc_id)
    base = Settings(**json.loads(runs[-1]["settings_json"])) if runs else Settings()
    if overrides.get("identity"):  # fields set on earlier runs stay, the new ones win
        overrides = overrides | {"identity": (base.identity or {}) | overrides["identity"]}
    settings = replace(base, **{key: value for key, value in overrides.items() if value is not None})
    for path in document["sources"] or [document["first_source"]]:
        if Path(path).is_file() and sha256_of(Path(path)) == document["sha256"]:
            return Job(path, document["sha256"], document["size_bytes"], out_dir, settings, timeout_s, store_url, "reprocess")
    raise NotReprocessable(f"none of its known paths still holds its content: {document['sources']}")


def reprocess_now(job: Job, run=run_job) -> DocumentOutcome:
    """Run the job (``run``: the plain function, or the Prefect task wrapping it), then refresh the index."""
    progress.batch_planned(1)
    item = run(job)
    progress.document_finished(item.source, item.status, item.pages)
    index_quietly(job.out_dir)
    return item
