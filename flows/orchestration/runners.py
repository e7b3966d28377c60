"""Task runners for the archive batch: a bounded thread pool here, or Dask across machines.

Either way a task only supervises: each document's OCR runs in a worker child
process (see ``worker``) of the process the task landed in, on whichever machine.
"""

from __future__ import annotations

import os

RUNNERS = ("threads", "dask")
LOCAL_HOST, DASHBOARD_PORT = "127.0.0.1", 8787
DASK_PRELOAD = "flows.orchestration.dask_preload"


def check_runner(runner: str, dask_address: str | None, store_url: str | None = None) -> None:
    """Reject a runner name, address or store that cannot work, before anything starts.

    Workers on other machines record their documents themselves, so they need a store every one
    of them reaches: a SQLite file in this machine's output folder is not one.
    """
    import typer

    from flows.store.url import is_sqlite

    if runner not in RUNNERS:
        raise typer.BadParameter(f"choose one of {', '.join(RUNNERS)}", param_hint="--runner")
    if dask_address and runner != "dask":
        raise typer.BadParameter("--dask-address needs --runner dask", param_hint="--dask-address")
    if dask_address and store_url and is_sqlite(store_url):
        raise typer.BadParameter(
            "a Dask cluster's workers need a results store they all reach; SQLite is a file on this machine. "
            "Give --store postgresql+psycopg://user@host/db (or set DISCLOSURE_OCR_STORE_URL).",
            param_hint="--store",
        )


def make_task_runner(runner: str, workers: int, dask_address: str | None = None):
    """``threads``: ThreadPoolTaskRunner with ``workers`` threads (its default is unbounded).

    ``dask``: prefect-dask's DaskTaskRunner on the scheduler at ``dask_address``,
    or on a LocalCluster of ``workers`` single-threaded worker processes, reachable
    from this machine only (dashboard at http://127.0.0.1:8787).
    """
    if runner == "threads":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=max(1, workers))
    if runner == "dask":
        # Dask's own INFO lines would bury the progress display; users' settings win.
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
        import dask
        from prefect_dask import DaskTaskRunner

        # A LocalCluster's workers are daemonic processes by default, and those may not
        # start children; each document's OCR needs one.
        dask.config.set({"distributed.worker.daemon": False})
        if dask_address:
            return DaskTaskRunner(address=dask_address)
        # Its scheduler, workers and dashboard (unauthenticated) listen on this machine only; its workers
        # import the task's modules as they start, as a long-lived cluster's do (``dask_preload``).
        local = {"host": LOCAL_HOST, "dashboard_address": f"{LOCAL_HOST}:{DASHBOARD_PORT}", "preload": [DASK_PRELOAD]}
        return DaskTaskRunner(cluster_kwargs={"n_workers": max(1, workers), "threads_per_worker": 1, "processes": True, **local})
    raise ValueError(f"unknown task runner {runner!r}; choose one of {', '.join(RUNNERS)}")
