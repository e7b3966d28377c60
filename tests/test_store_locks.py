"""A SQLite store shared by several processes keeps every write, even when a process already has its own
connection to the file before it opens the store (a notebook reading results.sqlite, a second engine).

Closing any descriptor of a database file drops every POSIX lock the process holds on it. A store that
opened and closed the file on start dropped the shared lock of the connection already open; another
process's last connection could then checkpoint and delete the write-ahead log while this process still
wrote into it, and those writes were lost to every other reader. Real SQLite, real processes.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from flows.store.connect import make_engine, sqlite_url


def rows_seen_by_another_process(database: Path) -> int:
    code = f"import sqlite3; print(sqlite3.connect({str(database)!r}).execute('SELECT count(*) FROM t').fetchone()[0])"
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def read_and_close_in_another_process(database: Path) -> None:
    """A short-lived reader: its close is the last one it knows of, and it checkpoints if it can."""
    code = f"import sqlite3; c = sqlite3.connect({str(database)!r}); c.execute('SELECT 1 FROM t').fetchall(); c.close()"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_write_after_another_process_closes_is_kept(tmp_path):
    database = tmp_path / "results.sqlite"
    with make_engine(sqlite_url(database)).begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    notebook = sqlite3.connect(database)  # this process's own connection, open before the next engine
    assert notebook.execute("SELECT count(*) FROM t").fetchone() == (1,)
    engine = make_engine(sqlite_url(database).replace("?", "?cache=private&"))  # a second engine, same file
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (2)"))
    read_and_close_in_another_process(database)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (3)"))
    assert rows_seen_by_another_process(database) == 3
    assert Path(f"{database}-wal").exists()  # this process's connections still hold the log open
    notebook.close()


def test_a_new_store_file_gets_the_umasks_mode_and_an_existing_one_is_left_alone(tmp_path):
    database = tmp_path / "sub" / "results.sqlite"
    previous = os.umask(0o002)
    try:
        make_engine(sqlite_url(database)).dispose()
    finally:
        os.umask(previous)
    assert database.stat().st_size == 0 and database.stat().st_mode & 0o777 == 0o664  # SQLite alone: 0644
    database.chmod(0o600)
    make_engine(sqlite_url(database)).dispose()
    assert database.stat().st_mode & 0o777 == 0o600
