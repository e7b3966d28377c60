"""Which results store a command uses, without the URL (and its password) becoming a visible parameter.

A store URL can hold a database password. Flow-run parameters are shown in the
Prefect UI, so the URL reaches a flow through ``DISCLOSURE_OCR_STORE_URL`` in
the environment of the process that runs it, and is shown redacted elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

STORE_URL_VARIABLE = "DISCLOSURE_OCR_STORE_URL"
# The SQLite store an output folder holds by default.
STORE_FILE = "results.sqlite"
STORE_HELP = (
    "SQLAlchemy URL of the results store, e.g. postgresql+psycopg://user:password@host/db "
    f"(default: ${STORE_URL_VARIABLE}, else SQLite in OUT). Never shown as a flow parameter."
)


def store_url_for(out_dir: Path | str, explicit: str | None = None) -> str:
    """The URL given, else the environment's, else SQLite in the output folder."""
    from flows.store import default_store_url  # the store package imports SQLAlchemy: only when needed

    return explicit or os.environ.get(STORE_URL_VARIABLE) or default_store_url(out_dir)


def is_sqlite(url: str) -> bool:
    from sqlalchemy.engine import make_url

    return make_url(url).get_backend_name() == "sqlite"


def redacted(url: str) -> str:
    """The URL with its password masked, for messages and logs."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def keep_store_out_of_parameters(explicit: str | None) -> None:
    """Hand a store URL the user gave to this process's flows through the environment, not as a parameter."""
    if explicit:
        os.environ[STORE_URL_VARIABLE] = explicit
