"""Deploy ``process_archive`` to a Prefect work pool, for workers on one machine or many.

The deployment names the flow by module path (``flows.orchestration.archive_flow.process_archive``),
so any machine where disclosure-ocr is installed can run it: no image, no code
storage. A process work pool is created when it does not exist yet. The results
store's URL is not a parameter (the UI shows those): each worker reads it from
``DISCLOSURE_OCR_STORE_URL`` in its own environment.
"""

from __future__ import annotations

from flows.orchestration.prefect_env import apply_offline_defaults

apply_offline_defaults()

from prefect.client.orchestration import get_client  # noqa: E402
from prefect.exceptions import ObjectNotFound  # noqa: E402
from prefect.types.entrypoint import EntrypointType  # noqa: E402

from flows.orchestration.schedule import cron_schedule, server_url  # noqa: E402

# `prefect worker start --prefetch-seconds`, as the README and `deploy` advise: a worker takes a scheduled
# run this early, its process imports Prefect and the flow (6–10 s on 2 cores), and the flow then waits
# for the scheduled time instead of starting a poll (up to 10 s) and that import late.
WORKER_PREFETCH_SECONDS = 30


def ensure_process_pool(pool: str) -> bool:
    """Create the work pool as a process pool unless it exists; True when it was created."""
    from prefect.client.schemas.actions import WorkPoolCreate

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(pool)
            return False
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
            return True


def deploy_archive(name: str, pool: str, parameters: dict, cron: str | None, timezone: str | None) -> str:
    """Register the deployment on ``pool`` (with a schedule when ``cron`` is given); returns its full name."""
    schedules = [cron_schedule(cron, timezone)] if cron else None
    server_url()
    ensure_process_pool(pool)
    from flows.orchestration.archive_flow import process_archive

    process_archive.deploy(
        name=name,
        work_pool_name=pool,
        parameters=parameters,
        schedules=schedules,
        concurrency_limit=None,
        # A worker's flow-run process would keep the offline default (WARNING): the run's INFO lines,
        # the OCR workers' among them, are what operators read in the UI.
        job_variables={"env": {"PREFECT_LOGGING_LEVEL": "INFO"}},
        entrypoint_type=EntrypointType.MODULE_PATH,  # the installed package, on whichever machine
        build=False,
        push=False,
        print_next_steps=False,
    )
    return f"{process_archive.name}/{name}"
