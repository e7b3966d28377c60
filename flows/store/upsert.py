"""Portable INSERT … ON CONFLICT DO NOTHING, for rows that several writers may add at once."""

from __future__ import annotations

from sqlalchemy import Connection


def insert_ignoring_conflict(conn: Connection, table, values: dict) -> bool:
    """INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL); True when the row went in."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return conn.execute(insert(table).values(**values).on_conflict_do_nothing()).rowcount == 1
