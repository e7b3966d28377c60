"""Record runs and answer the questions a batch asks: done already? what failed? where is it?

A run's rows (document, source, run, tables, cells, values) go in one
transaction, and only after its result file is on disk, so the store never
points at a missing file and a crash mid-write leaves no half run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from table_reconstruct.model import DocumentResult

from flows.core.identify import doc_id_for
from flows.store import claims, schema
from flows.store.claims import Holder
from flows.store.connect import make_engine, sqlite_url
from flows.store.rows import finding_rows, identity_columns, result_rows
from flows.store.upgrade import add_missing_columns
from flows.store.upsert import insert_ignoring_conflict
from flows.store.url import STORE_FILE


def default_store_url(out_dir: Path | str) -> str:
    return sqlite_url(Path(out_dir) / STORE_FILE)


@dataclass(frozen=True)
class RunRecord:
    """What the pipeline's result does not know about its own run."""

    run_id: str
    source: str
    size_bytes: int
    settings_hash: str
    trigger: str
    started_at: datetime
    finished_at: datetime
    attempts: int
    result_path: str
    # Other paths the same content was found under (renamed copies).
    aliases: tuple[str, ...] = ()

    @property
    def seconds(self) -> float:
        return round((self.finished_at - self.started_at).total_seconds(), 3)


class ResultsStore:
    """The store over one database; safe to share between threads (one connection per transaction)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        schema.metadata.create_all(engine)
        add_missing_columns(engine, schema.metadata)

    def claim(self, sha256: str, pipeline_version: str, settings_hash: str, lease_s: float, redo: bool = False) -> str:
        """``claimed`` (go ahead), ``done`` (already done with these settings) or ``busy`` (a live process has it)."""
        with self.engine.begin() as conn:
            if not redo and self._has_run(conn, sha256, pipeline_version, settings_hash):
                return "done"
            return "claimed" if claims.take(conn, sha256, Holder.me(), lease_s) else "busy"

    def record_run(self, result: DocumentResult, record: RunRecord) -> None:
        """Add a run as the document's current one and release this process's claim; earlier runs stay as history."""
        if not Path(record.result_path).is_file():
            raise FileNotFoundError(f"refusing to record run {record.run_id}: {record.result_path} does not exist")
        info = result.document
        tables, cells, values = result_rows(record.run_id, result)
        findings = finding_rows(record.run_id, result)
        with self.engine.begin() as conn:
            self._ensure_document(conn, info.sha256, record, info.pages or None)
            conn.execute(
                update(schema.runs)
                .where(and_(schema.runs.c.document_sha256 == info.sha256, schema.runs.c.is_current))
                .values(is_current=False)
            )
            conn.execute(insert(schema.runs).values(**self._run_row(result, record)))
            for table, rows in ((schema.tables, tables), (schema.cells, cells), (schema.findings, findings), (schema.values, values)):
                if rows:
                    conn.execute(insert(table), rows)
            claims.release(conn, info.sha256, Holder.me())

    def has_run(self, sha256: str, pipeline_version: str, settings_hash: str) -> bool:
        """Whether this document was already processed by this pipeline version with these settings."""
        with self.engine.connect() as conn:
            return self._has_run(conn, sha256, pipeline_version, settings_hash)

    @staticmethod
    def _has_run(conn: Connection, sha256: str, pipeline_version: str, settings_hash: str) -> bool:
        query = select(func.count()).where(
            schema.runs.c.document_sha256 == sha256,
            schema.runs.c.pipeline_version == pipeline_version,
            schema.runs.c.settings_hash == settings_hash,
        )
        return conn.execute(query).scalar_one() > 0

    def current_runs(self, statuses: tuple[str, ...] | None = None) -> list[dict]:
        """Current runs joined with their document, oldest document first."""
        query = (
            select(schema.runs, schema.documents.c.doc_id, schema.documents.c.first_source)
            .join(schema.documents, schema.documents.c.sha256 == schema.runs.c.document_sha256)
            .where(schema.runs.c.is_current)
            .order_by(schema.documents.c.first_seen, schema.documents.c.doc_id)
        )
        if statuses:
            query = query.where(schema.runs.c.status.in_(statuses))
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def runs_of(self, doc_id: str) -> list[dict]:
        """Every run of a document, oldest first."""
        query = (
            select(schema.runs)
            .join(schema.documents, schema.documents.c.sha256 == schema.runs.c.document_sha256)
            .where(schema.documents.c.doc_id == doc_id)
            .order_by(schema.runs.c.started_at)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def document(self, doc_id: str) -> dict | None:
        """A document with all the paths it was seen under (``sources``)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.documents).where(schema.documents.c.doc_id == doc_id)).first()
            if row is None:
                return None
            paths = conn.execute(
                select(schema.sources.c.path)
                .where(schema.sources.c.document_sha256 == row.sha256)
                .order_by(schema.sources.c.id)
            ).scalars()
            return dict(row._mapping) | {"sources": list(paths)}

    def _ensure_document(self, conn: Connection, sha256: str, record: RunRecord, pages: int | None) -> None:
        """Add the document and its paths if new, then lock its row: concurrent runs of one
        document (PostgreSQL) take turns moving ``is_current`` instead of colliding on it."""
        insert_ignoring_conflict(
            conn,
            schema.documents,
            {"sha256": sha256, "doc_id": doc_id_for(sha256), "first_source": record.source,
             "size_bytes": record.size_bytes, "pages": pages, "first_seen": record.started_at},
        )  # fmt: skip
        found = conn.execute(
            select(schema.documents.c.pages).where(schema.documents.c.sha256 == sha256).with_for_update()
        ).one()
        if found.pages is None and pages:
            conn.execute(update(schema.documents).where(schema.documents.c.sha256 == sha256).values(pages=pages))
        for path in (record.source, *record.aliases):
            insert_ignoring_conflict(
                conn, schema.sources, {"document_sha256": sha256, "path": path, "first_seen": record.started_at}
            )

    @staticmethod
    def _run_row(result: DocumentResult, record: RunRecord) -> dict:
        info = result.document
        return {
            "id": record.run_id,
            "document_sha256": info.sha256,
            "source": record.source,
            "pipeline_version": info.pipeline_version or "",
            "settings_json": json.dumps(info.settings, sort_keys=True),
            "settings_hash": record.settings_hash,
            "trigger": record.trigger,
            "started_at": record.started_at,
            "finished_at": record.finished_at,
            "seconds": record.seconds,
            "attempts": record.attempts,
            "pages": info.pages or None,
            "status": info.status.value,
            "error_kind": info.error_kind,
            "stage": info.stage,
            "error_message": info.error,
            "review_reasons_json": json.dumps([r.model_dump() for r in info.review_reasons], ensure_ascii=False),
            "result_path": record.result_path,
            "is_current": True,
        } | identity_columns(result)


@lru_cache(maxsize=8)
def open_store(url: str) -> ResultsStore:
    """One store (and connection pool) per database per process."""
    return ResultsStore(make_engine(url))
