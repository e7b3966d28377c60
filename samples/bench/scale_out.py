"""Archive throughput scaled out: N work-pool workers and N Dask workers against one process in-process.

    DISCLOSURE_OCR_TEST_PG_URL=postgresql+psycopg://… python -m samples.bench.scale_out \
        [--documents 6] [--out out/bench/scale_out.json]

Every configuration reads its own distinct copies of the same scanned document
(``doc00.scanned-noisy.pdf``, three 200-DPI scan pages, all OCR'd), with one ONNX
Runtime thread per document, so N workers use N cores:

* in-process: the documents read one after another by ``process_file`` in this process;
* work pool N (1, 2): a real `prefect server start`, ``process_archive`` deployed to a process
  work pool, N `prefect worker start` processes on it, and N runs of the deployment scheduled for
  the same moment, as a cron schedule makes a night's runs, that share the archive through the
  PostgreSQL store's claims (each run one document at a time). The workers keep Prefect's poll
  (every 10 s) and look ahead ``WORKER_PREFETCH_SECONDS`` as the README starts them, so each run's process
  starts and imports Prefect and the flow before the scheduled time and the flow waits for it; the
  figure is timed from the scheduled time, and ``running_after_s`` is each flow's start after it.
  A run started by hand (`prefect deployment run`) pays that start on top: 6–10 s here;
* Dask N (1, 2): a ``distributed`` LocalCluster of N worker processes (``processes=True``), reached
  by its address as a remote cluster is (``--dask-address``), with ``process_archive`` as the flow on
  the same Prefect server, recording into PostgreSQL. Its workers start as the README starts
  long-lived ones, with ``--preload flows.orchestration.dask_preload`` (the task's imports paid at
  worker start); the cluster's start is not in the figure, and is reported as ``cluster_start_s``.

Each figure is pages per second from the scheduled time (work pool) or the flow's call (Dask) until
every document is recorded, each worker's start of its OCR child and models included, and is given
as a ratio to the in-process rate of the same run: the target on a 2-core machine is ≥ 0.8 × N.
Other work on a shared machine lowers the ratios. The in-process documents are read first and again
last (``in-process-after``), and the ratios are to the mean of the two rates: a machine whose speed
drifts over the ten minutes of a run then favours no configuration.

Beside it, the steady rate: pages per second from the first document finished to the last, the
first document left out (``steady_rate``). Startup is paid once a batch, so an archive of
thousands of documents runs at about the steady rate; the whole-batch figure is what a batch of
this size sees.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Callable

from samples.bench.machine_clock import Clock, steal_share
from samples.bench.services import Processes, clean_environment, distinct_copy, postgresql_schema, start_prefect_server, start_workers, wait_for
from samples.bench.summary import save_summary

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "samples" / "corpus" / "smoke" / "doc00.scanned-noisy.pdf"
PG_URL_ENV = "DISCLOSURE_OCR_TEST_PG_URL"
WORKER_COUNTS = (1, 2)
# The in-process rate is read before and after the scaled-out configurations; their mean is the base.
BASELINES = ("in-process", "in-process-after")


def make_archive(root: Path, name: str, documents: int) -> Path:
    archive = root / name
    for n in range(documents):
        distinct_copy(SOURCE, archive / f"{name}-{n}.pdf", tag=f"{name}-{n}")
    return archive


def recorded(store_url: str, archive: Path) -> dict:
    """What the store holds as current runs for the archive's files: documents, pages, and how many
    documents were ever being read at once (their recorded start-to-finish spans overlapping)."""
    from flows.core.identify import sha256_of
    from flows.store import open_store

    ours = {sha256_of(pdf) for pdf in archive.glob("*.pdf")}
    runs = [run for run in open_store(store_url).current_runs() if run["document_sha256"] in ours]
    finished = [(run["finished_at"].timestamp(), run["pages"] or 0) for run in runs]
    return {"documents": len(runs), "pages": sum(pages for _, pages in finished), "most_at_once": most_at_once(runs),
            "steady_rate": steady_rate(finished)}  # fmt: skip


def steady_rate(finished: list[tuple[float, int]]) -> float | None:
    """Pages per second between the first and the last document finished (when, pages), the first left out:
    the rate once every worker is up, which long archives approach."""
    finished = sorted(finished)
    if len(finished) < 2 or finished[-1][0] <= finished[0][0]:
        return None
    return sum(pages for _, pages in finished[1:]) / (finished[-1][0] - finished[0][0])


def most_at_once(runs: list[dict]) -> int:
    events = sorted([(run["started_at"], 1) for run in runs] + [(run["finished_at"], -1) for run in runs])
    at_once = best = 0
    for _, step in events:  # a finish sorts before a start at the same instant
        at_once += step
        best = max(best, at_once)
    return best


def in_process(archive: Path) -> dict:
    import cv2

    from flows.core.engine_cache import shared_engine
    from flows.core.pipeline import process_file
    from flows.core.settings import Settings

    settings = Settings(threads=1)
    cv2.setNumThreads(1)
    shared_engine.cache_clear()  # each reading loads the models, as each worker's first document does
    started, finished = time.perf_counter(), []
    for pdf in sorted(archive.glob("*.pdf")):
        pages = len(process_file(pdf, settings).document.page_notes)
        finished.append((time.perf_counter(), pages))
    return {"pages": sum(pages for _, pages in finished), "seconds": time.perf_counter() - started, "steady_rate": steady_rate(finished)}


def keep(figures: dict[str, dict], name: str, configuration: Callable[[], dict]) -> None:
    """One configuration read and its figure kept, shown as it comes, with what it cost the machine: the load
    average at its end, the CPU seconds every process used per page read (OCR and orchestration alike), and
    the share of the machine's time the host stole (wall time lost to other guests, not to the code)."""
    with Clock() as clock:
        figure = configuration()
    figures[name] = {**figure, "load_average_1min": round(os.getloadavg()[0], 1),
                     "machine_cpu_s_per_page": round(clock.machine_busy_s / max(1, figure["pages"]), 2),
                     "steal_share": round(steal_share([clock]), 3)}  # fmt: skip
    print(name, figures[name], flush=True)


def work_pool(workers: int, archive: Path, root: Path, processes: Processes, env: dict, store_url: str) -> dict:
    """N workers on a pool of their own and N runs of its deployment scheduled for one moment, timed from
    that moment until all finish (the server's clock, this machine's)."""
    from datetime import datetime, timedelta, timezone

    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    from flows.orchestration.deploy import WORKER_PREFETCH_SECONDS, deploy_archive
    from flows.core.settings import Settings

    pool = f"bench-{workers}"
    parameters = {"source": str(archive), "out_dir": str(root / f"out-{pool}"), "workers": 1, "timeout_s": 1800.0,
                  "settings": Settings(threads=1).as_dict()}  # fmt: skip
    deployment = deploy_archive(pool, pool, parameters, None, None)
    start_workers(processes, pool, workers, env, store_url, PREFECT_WORKER_PREFETCH_SECONDS=str(WORKER_PREFETCH_SECONDS))
    scheduled = datetime.now(timezone.utc) + timedelta(seconds=WORKER_PREFETCH_SECONDS)  # a poll (10 s) and a start (≤ 10 s) fit before it
    runs = [run_deployment(deployment, scheduled_time=scheduled, timeout=0) for _ in range(workers)]
    with get_client(sync_client=True) as client:  # one client: each new one costs this 2-core machine ~0.1 CPU-s

        def finished() -> list | None:
            flow_runs = [client.read_flow_run(run.id) for run in runs]
            return flow_runs if all(flow_run.state.is_final() for flow_run in flow_runs) else None

        flow_runs = wait_for(finished, 1800, f"the runs of {deployment}", poll_s=2.0)  # the end is read from the runs
    seconds = max(run.end_time for run in flow_runs).timestamp() - scheduled.timestamp()
    return {**recorded(store_url, archive), "seconds": seconds, "states": [run.state.type.value for run in flow_runs],
            "running_after_s": [round(run.start_time.timestamp() - scheduled.timestamp(), 1) if run.start_time else None for run in flow_runs]}  # fmt: skip


def dask_cluster(workers: int, archive: Path, root: Path, store_url: str) -> dict:
    """A LocalCluster of N worker processes, reached by its address; the batch flow on the Prefect server."""
    import dask
    from distributed import LocalCluster

    from flows.orchestration.archive_flow import process_archive
    from flows.core.settings import Settings

    from flows.orchestration.runners import DASK_PRELOAD

    dask.config.set({"distributed.worker.daemon": False})  # each document's OCR runs in a child of its Dask worker
    cluster_started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      preload=[DASK_PRELOAD]) as cluster:  # started as the README starts long-lived workers
        started = time.perf_counter()
        cluster_start_s = started - cluster_started
        summary = process_archive(str(archive), str(root / f"out-dask-{workers}"), Settings(threads=1), workers=workers,
                                  timeout_s=1800.0, store_url=store_url, runner="dask", dask_address=cluster.scheduler_address)  # fmt: skip
        seconds = time.perf_counter() - started
    return {**recorded(store_url, archive), "seconds": seconds, "statuses": summary.statuses, "cluster_start_s": round(cluster_start_s, 1)}


def with_rates(figures: dict[str, dict]) -> dict[str, dict]:
    """Each figure's rate as a ratio to the in-process one: the mean of the readings before and after the
    scaled-out ones, so that a machine slowing or speeding up over the run tilts no configuration."""
    baselines = [figures[name] for name in BASELINES]
    base = sum(figure["pages"] / figure["seconds"] for figure in baselines) / len(baselines)
    steady = [figure["steady_rate"] for figure in baselines if figure["steady_rate"]]
    steady_base = sum(steady) / len(steady) if len(steady) == len(baselines) else None
    for figure in figures.values():
        figure["pages_per_s"] = round(figure["pages"] / figure["seconds"], 3)
        figure["ratio"] = round(figure["pages_per_s"] / base, 2)
        figure["seconds"] = round(figure["seconds"], 1)
        if figure["steady_rate"] and steady_base:
            figure["steady_ratio"] = round(figure["steady_rate"] / steady_base, 2)
            figure["steady_rate"] = round(figure["steady_rate"], 3)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=6, help="documents (3 scan pages each) per configuration")
    parser.add_argument("--pg-url", default=os.environ.get(PG_URL_ENV), help=f"PostgreSQL server (default: ${PG_URL_ENV})")
    parser.add_argument("--out", type=Path, default=REPO / "out" / "bench" / "scale_out.json")
    args = parser.parse_args(argv)
    if not args.pg_url:
        parser.error(f"a PostgreSQL server is needed: --pg-url or {PG_URL_ENV} (see scripts/ci_postgres.sh)")
    figures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp, postgresql_schema(args.pg_url) as store_url, Processes(Path(tmp) / "logs") as processes:
        root = Path(tmp)
        env = clean_environment(root / "prefect-home")
        keep(figures, BASELINES[0], lambda: in_process(make_archive(root, BASELINES[0], args.documents)))
        api_url = start_prefect_server(processes, env)
        os.environ.update(PREFECT_API_URL=api_url, PREFECT_HOME=env["PREFECT_HOME"])  # this process's flows and client
        for workers in WORKER_COUNTS:
            name = f"work-pool-{workers}"
            keep(figures, name, lambda: work_pool(workers, make_archive(root, name, args.documents), root, processes, env, store_url))
        for workers in WORKER_COUNTS:
            name = f"dask-{workers}"
            keep(figures, name, lambda: dask_cluster(workers, make_archive(root, name, args.documents), root, store_url))
        keep(figures, BASELINES[1], lambda: in_process(make_archive(root, BASELINES[1], args.documents)))
    summary = {"documents": args.documents, "pages_per_document": 3, "cpu_count": os.cpu_count(), "figures": with_rates(figures)}
    save_summary(args.out, summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
