"""The results store: every run of every document, kept as history, in any SQLAlchemy database.

The names below load ``flows.store.store`` (and SQLAlchemy, about 0.2 s) on first use, so that
``flows.store.url``, which every command's options need, costs nothing until a store is opened.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.store.store import ResultsStore, RunRecord, default_store_url, open_store

__all__ = ["ResultsStore", "RunRecord", "default_store_url", "open_store"]


def __getattr__(name: str):
    if name in __all__:
        return getattr(import_module("flows.store.store"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
