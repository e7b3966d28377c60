"""The results store: every run of every document, kept as history, in any SQLAlchemy database."""

from flows.store.store import ResultsStore, RunRecord, default_store_url, open_store

__all__ = ["ResultsStore", "RunRecord", "default_store_url", "open_store"]
