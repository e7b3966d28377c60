"""Database engines: SQLite tuned for several concurrent writers, anything else as given."""

from __future__ import annotations

import atexit
import contextlib
import os
import weakref
from pathlib import Path
from urllib.parse import quote, unquote

from sqlalchemy import URL, Engine, create_engine, event, make_url

SQLITE_BUSY_TIMEOUT_MS = 60_000
_FILE_URI = "file:"
_LIVE_ENGINES: "weakref.WeakSet[Engine]" = weakref.WeakSet()


@atexit.register
def close_engines() -> None:
    """Close every live engine's pooled connections when the process exits. The interpreter's
    teardown closes them only as its garbage collection happens to reach them, and
    ``flows/cli/process_exit`` skips the teardown altogether.

    The last connection to close folds SQLite's write-ahead log into the database file, so the
    ``.sqlite`` file alone holds every run: copied on its own, it loses nothing. PostgreSQL sees each
    connection end cleanly instead of a dropped socket.
    """
    for engine in list(_LIVE_ENGINES):
        with contextlib.suppress(Exception):  # at exit a broken connection has nothing left to lose
            engine.dispose()


def sqlite_url(path: Path) -> str:
    """The URL of the SQLite file at ``path``, whatever its name holds.

    The path goes in as a percent-encoded SQLite URI filename (``uri=true``),
    so an ``--out`` such as ``q?mode=ro`` or ``x%2F..%2Fescaped`` names that
    folder literally instead of adding URL parameters or decoding into ``../``.
    """
    encoded = _FILE_URI + quote(str(Path(path).resolve()), safe="/")
    return URL.create("sqlite", database=encoded, query={"uri": "true"}).render_as_string()


def sqlite_path(url: str) -> str | None:
    """The file a SQLite URL opens (None for an in-memory database)."""
    parsed = make_url(url)
    database = parsed.database
    if not database or database == ":memory:":
        return None
    if database.startswith(_FILE_URI) and parsed.query.get("uri") == "true":
        return unquote(database[len(_FILE_URI):].split("?", 1)[0])
    return database


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL, a busy timeout and write-locking transactions."""
    if not url.startswith("sqlite"):
        return _tracked(create_engine(url, pool_pre_ping=True))
    database = sqlite_path(url)
    if database:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        _create_with_umask_mode(Path(database))
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    _tune_sqlite(engine)
    return _tracked(engine)


def _create_with_umask_mode(database: Path) -> None:
    """Create a missing database file with the umask's mode, like every other output; SQLite would
    create it 0644 at most (its WAL and shm files copy that mode). Empty is a valid database.

    Only a file that does not exist yet is opened: closing any descriptor of a database file drops
    every POSIX lock this process holds on it, including those of a connection already open to it
    (another engine, a notebook's ``sqlite3`` connection). Without its shared lock, another
    process's last connection may checkpoint and delete the write-ahead log while this process
    still writes into it, and those writes are lost (``tests/test_store_locks.py``).
    """
    with contextlib.suppress(FileExistsError):  # a file that exists is left unopened
        os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))


def _tracked(engine: Engine) -> Engine:
    """The engine, known to ``close_engines`` while it lives."""
    _LIVE_ENGINES.add(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    """WAL lets readers run beside a writer; BEGIN IMMEDIATE takes the write lock up front, so two
    writers wait on the busy timeout instead of failing with 'database is locked' mid-transaction."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # let the 'begin' hook below issue BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
