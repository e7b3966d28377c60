"""Serve ``process_archive`` on a cron schedule with Prefect's ``Flow.serve``.

Prefect's scheduler lives in its server: against the ephemeral (serverless)
API a schedule would be created and silently never fire. So serving first
checks that a real server answers at ``PREFECT_API_URL`` and says how to
start one when it does not.
"""

from __future__ import annotations

from flows.orchestration.prefect_env import apply_offline_defaults

apply_offline_defaults()

import httpx  # noqa: E402  (a Prefect dependency)
from prefect.client.schemas.schedules import CronSchedule  # noqa: E402
from prefect.settings import get_current_settings  # noqa: E402
from prefect.types.entrypoint import EntrypointType  # noqa: E402

HEALTH_TIMEOUT_S = 5.0
HOW_TO_START = (
    "Start one in another terminal with `prefect server start` (PostgreSQL as its database for "
    "production: set PREFECT_API_DATABASE_CONNECTION_URL first), then "
    "`export PREFECT_API_URL=http://127.0.0.1:4200/api` and run serve again."
)


class NoPrefectServer(RuntimeError):
    """Schedules need a running Prefect server and none is reachable."""


def server_url() -> str:
    """The Prefect API this process talks to, or an error explaining how to get one."""
    url = get_current_settings().api.url
    if not url:
        raise NoPrefectServer(
            "Schedules need a running Prefect server, and PREFECT_API_URL is not set "
            "(without it Prefect runs an ephemeral API whose schedules never fire). " + HOW_TO_START
        )
    try:
        response = httpx.get(f"{url.rstrip('/')}/health", timeout=HEALTH_TIMEOUT_S)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise NoPrefectServer(f"No Prefect server answers at PREFECT_API_URL={url} ({exc}). " + HOW_TO_START) from None
    return url


def cron_schedule(cron: str, timezone: str | None) -> CronSchedule:
    """A validated schedule; a bad expression or time zone raises ValueError before anything is served."""
    try:
        return CronSchedule(cron=cron, timezone=timezone)
    except Exception as exc:  # pydantic's ValidationError is a ValueError; keep the message short
        raise ValueError(f"not a valid cron schedule: {cron!r} ({timezone or 'UTC'}): {exc}") from None


def serve_archive(name: str, cron: str, timezone: str | None, parameters: dict) -> None:
    """Register the deployment and poll for its runs until interrupted (Ctrl-C pauses the schedule)."""
    schedule = cron_schedule(cron, timezone)
    server_url()
    from flows.orchestration.archive_flow import process_archive

    process_archive.serve(
        name=name,
        schedules=[schedule],
        parameters=parameters,
        limit=1,  # a sweep that outlasts its interval is not started twice on top of itself
        entrypoint_type=EntrypointType.MODULE_PATH,  # the installed package, wherever serve was started
    )
