"""Whether a one-off command runs as a tracked Prefect flow run, or straight through.

A Prefect flow run needs an API. With none configured, Prefect starts an
ephemeral API server for every CLI call, which costs about 15 s on a quiet
2-core machine before a 0.03 s page is read; manual reprocessing of one
document pays that each time. So `run` and `reprocess` are tracked flow runs
when a Prefect API is configured (``PREFECT_API_URL`` in the environment or in
the active Prefect profile) or when the user asks for it (``--track``), and
otherwise run the same steps without Prefect. ``batch`` and ``serve`` are
always Prefect flows.
"""

from __future__ import annotations

import os
from pathlib import Path

API_URL_VARIABLE = "PREFECT_API_URL"


def prefect_api_configured() -> bool:
    """A Prefect API is set for this process, without importing Prefect when nothing hints at one."""
    if os.environ.get(API_URL_VARIABLE):
        return True
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or Path(os.environ.get("PREFECT_HOME", "~/.prefect")).expanduser() / "profiles.toml")
    try:
        if API_URL_VARIABLE not in profiles.read_text(encoding="utf-8"):
            return False
    except OSError:
        return False
    # Only now: importing Prefect costs seconds. Settings read afresh (environment and profile now), not the
    # settings Prefect fixed when this process first imported it.
    from prefect.settings import Settings

    return bool(Settings().api.url)


def tracked(track: bool | None) -> bool:
    """``track``: the user's --track/--no-track, or None to follow the configuration."""
    return prefect_api_configured() if track is None else track
