"""A document's run history for the review page: from the results store, else from result.json alone.

``disclosure-ocr run`` does not record runs in the store, so a document it
produced has only its result.json: its one run is shown from that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from table_reconstruct.model import DocumentResult

from flows.store import default_store_url, open_store
from flows.store.url import STORE_FILE


@dataclass(frozen=True)
class RunView:
    when: str
    status: str
    pipeline_version: str
    settings: str
    trigger: str
    seconds: str
    current: bool
    error: str = ""


def settings_text(settings: dict) -> str:
    """Settings a person cares about, compactly (``dpi=200 pages=all engine=rapid …``)."""
    shown = {key: ("all" if value is None and key == "pages" else value) for key, value in settings.items()}
    return " ".join(f"{key}={value}" for key, value in shown.items() if value is not None)


def _when(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def stored_runs(out_dir: Path, doc_id: str, store_url: str | None = None) -> list[dict]:
    """The store's runs of the document, oldest first; none when OUT has no store."""
    if store_url is None:
        if not (out_dir / STORE_FILE).is_file():
            return []
        store_url = default_store_url(out_dir)
    return open_store(store_url).runs_of(doc_id)


def run_history(result: DocumentResult, result_path: Path, runs: list[dict]) -> list[RunView]:
    """Newest run first."""
    if not runs:
        info = result.document
        moment = datetime.fromtimestamp(result_path.stat().st_mtime, timezone.utc) if result_path.is_file() else None
        return [RunView(_when(moment) if moment else "", info.status.value, info.pipeline_version or "",
                        settings_text(info.settings), "run", "", True, info.error_kind or "")]
    views = []
    for run in reversed(runs):
        error = " ".join(part for part in (run["error_kind"], run["stage"]) if part)
        views.append(RunView(_when(run["started_at"]), run["status"], run["pipeline_version"],
                             settings_text(json.loads(run["settings_json"])), run["trigger"],
                             f"{run['seconds']:.1f} s", bool(run["is_current"]), error))
    return views
