"""Prefect defaults for machines without internet, applied before prefect is imported.

Users' own settings win: only unset variables are filled in.
"""

from __future__ import annotations

import os

OFFLINE_DEFAULTS = {
    # No telemetry calls from machines that cannot reach the internet.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # Keep Prefect's own log lines out of the progress display unless asked for.
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # The ephemeral API server can take 10-20 s to start while it migrates its database.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def apply_offline_defaults() -> None:
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
