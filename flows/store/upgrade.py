"""Bring a store made by an older version up to the current schema by adding its new columns.

Columns are only ever added (nullable), never changed or dropped, so this is
all the migration the store needs; older runs simply have NULL in new columns.
"""

from __future__ import annotations

from sqlalchemy import Engine, MetaData, inspect
from sqlalchemy.schema import CreateColumn


def add_missing_columns(engine: Engine, metadata: MetaData) -> list[str]:
    """ALTER TABLE … ADD COLUMN for every column the database lacks; returns what was added."""
    added = []
    with engine.begin() as conn:  # one connection: SQLite's write lock is taken once
        inspector = inspect(conn)
        for table in metadata.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                definition = CreateColumn(column).compile(dialect=engine.dialect)
                conn.exec_driver_sql(f"ALTER TABLE {engine.dialect.identifier_preparer.format_table(table)} ADD COLUMN {definition}")
                added.append(f"{table.name}.{column.name}")
    return added
