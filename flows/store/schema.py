"""Table definitions (SQLAlchemy Core), kept to portable types so SQLite and PostgreSQL both work.

Runs are never updated except for their ``is_current`` flag: reprocessing adds a
run and moves the flag, so every earlier result stays queryable as history.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import Numeric, TypeDecorator


class ExactDecimal(TypeDecorator):
    """Amounts kept exact: NUMERIC on PostgreSQL, the decimal's text on SQLite (whose NUMERIC is a float)."""

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(64))
        return dialect.type_descriptor(Numeric(asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None or dialect.name != "sqlite":
            return value
        return str(value)

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(str(value))


metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("doc_id", String(16), nullable=False, unique=True),
    Column("first_source", Text, nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("pages", Integer),
    Column("first_seen", DateTime(timezone=True), nullable=False),
)

# Every path a document was found under: renamed copies are one document, but
# reprocessing still needs a path that exists.
sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_sha256", String(64), ForeignKey("documents.sha256"), nullable=False),
    Column("path", Text, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    UniqueConstraint("document_sha256", "path", name="uq_source_path"),
)

runs = Table(
    "runs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("document_sha256", String(64), ForeignKey("documents.sha256"), nullable=False),
    Column("source", Text, nullable=False),
    Column("pipeline_version", String(32), nullable=False),
    Column("settings_json", Text, nullable=False),
    Column("settings_hash", String(16), nullable=False),
    Column("trigger", String(16), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("seconds", Float, nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("pages", Integer),
    Column("status", String(16), nullable=False),
    Column("error_kind", String(32)),
    Column("stage", String(32)),
    Column("error_message", Text),
    # Why a needs_review run needs review: JSON list of {kind, table, count, detail}.
    Column("review_reasons_json", Text),
    Column("result_path", Text, nullable=False),
    Column("is_current", Boolean, nullable=False),
    # The document's identity as this run read it (or a user set it); identity_json keeps each
    # field's page, text, confidence and set_by.
    Column("region", Text),
    Column("level", String(16)),
    Column("department", Text),
    Column("year", Integer),
    Column("kind", String(32)),
    Column("identity_json", Text),
    Index("ix_runs_document", "document_sha256"),
    Index("ix_runs_lookup", "document_sha256", "pipeline_version", "settings_hash"),
)
# At most one current run per document, enforced by the database itself.
Index(
    "uq_runs_one_current",
    runs.c.document_sha256,
    unique=True,
    sqlite_where=runs.c.is_current,
    postgresql_where=runs.c.is_current,
)

# Who is processing a document right now, so two batches over the same archive
# never do the same document at once. A claim whose holder process is gone
# (killed batch) or, on another host, older than its lease is stale and taken over.
claims = Table(
    "claims",
    metadata,
    Column("document_sha256", String(64), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("process_started", Float, nullable=False),
    Column("claimed_at", Float, nullable=False),
    Column("lease_s", Float, nullable=False),
)

tables = Table(
    "tables",
    metadata,
    Column("run_id", String(32), ForeignKey("runs.id"), primary_key=True),
    Column("table_index", Integer, primary_key=True),
    Column("title", Text),
    Column("unit", Text),
    Column("department", Text),
    Column("pages_json", Text, nullable=False),
    Column("n_rows", Integer, nullable=False),
    Column("n_cols", Integer, nullable=False),
    Column("header_rows", Integer, nullable=False),
    Column("columns_json", Text, nullable=False),
)

cells = Table(
    "cells",
    metadata,
    Column("run_id", String(32), ForeignKey("runs.id"), primary_key=True),
    Column("table_index", Integer, primary_key=True),
    Column("row", Integer, primary_key=True),
    Column("col", Integer, primary_key=True),
    Column("rowspan", Integer, nullable=False),
    Column("colspan", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("raw_text", Text),
    Column("confidence", Float, nullable=False),
    Column("page", Integer, nullable=False),
    Column("x0", Float),
    Column("y0", Float),
    Column("x1", Float),
    Column("y1", Float),
)

# Arithmetic validation findings, per table (table_index) or across tables
# (table_index NULL); ``cells_json`` lists every cell involved as [table, row, col].
findings = Table(
    "findings",
    metadata,
    Column("run_id", String(32), ForeignKey("runs.id"), primary_key=True),
    Column("finding_index", Integer, primary_key=True),
    Column("table_index", Integer),
    Column("rule", Text, nullable=False),
    Column("cells_json", Text, nullable=False),
    Column("expected", ExactDecimal),
    Column("found", ExactDecimal),
    Column("difference", ExactDecimal),
    Column("message", Text),
    # "error" (beyond the unit's rounding) or "rounding" (尾差 within it).
    Column("severity", String(16)),
)

# Tidy long form of the body cells: one row per cell, ready for pandas or SQL
# (see ``tidy``); label cells (codes, names) have no value, amounts have both
# the printed value and unit and the value in 元.
values = Table(
    "values",
    metadata,
    Column("run_id", String(32), ForeignKey("runs.id"), primary_key=True),
    Column("table_index", Integer, primary_key=True),
    Column("row", Integer, primary_key=True),
    Column("column_index", Integer, primary_key=True),
    Column("document_sha256", String(64), ForeignKey("documents.sha256"), nullable=False),
    Column("title", Text),
    Column("canonical_column", Text),
    Column("text", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("department", Text),
    Column("year", Integer),
    Column("form", String(64)),
    Column("row_code", String(32)),
    Column("row_name", Text),
    Column("is_total", Boolean),
    Column("value", ExactDecimal),
    Column("unit", String(16)),
    Column("value_yuan", ExactDecimal),
    Column("validation_status", String(16)),
    Column("validation_rules", Text),
    Index("ix_values_document", "document_sha256"),
)
