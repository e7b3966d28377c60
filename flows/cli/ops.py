"""``export`` and ``serve``: the tidy values out of the store, and the archive batch on a schedule."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from flows.cli import exit_codes
from flows.cli.archive import DPI_OPTION, ENGINE_OPTION, FORCE_OCR_OPTION, RASTERIZER_OPTION, check_engine, check_rasterizer
from flows.orchestration.runners import RUNNERS, check_runner
from flows.core.settings import Settings
from flows.store.url import STORE_HELP, STORE_URL_VARIABLE, keep_store_out_of_parameters, store_url_for

console = Console(stderr=True)


def export(
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder holding results.sqlite."),
    format: str = typer.Option("csv", "--format", "-f", help="csv or parquet."),
    to: Optional[Path] = typer.Option(None, "--to", help="File to write (default: OUT/values.csv or OUT/values.parquet)."),
    store: Optional[str] = typer.Option(None, envvar=STORE_URL_VARIABLE, help=STORE_HELP),
) -> None:
    """One long table of every amount in every document's current run (values in 元, exact decimals)."""
    from flows.cli.archive import store_to_read
    from flows.outputs.panel_export import FORMATS, export_values
    from flows.store import open_store

    if format not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    target = to or out / f"values.{format}"
    rows = export_values(open_store(store_to_read(out, store)), target, format)
    console.print(f"wrote {rows} values to {target}")


def archive_parameters(archive: str, out: Path, workers: int, timeout: float, settings: Settings) -> dict:
    """The batch flow's parameters for a schedule or a deployment: the sweep and the settings every run reads with
    (stored by Prefect as JSON; Prefect rebuilds the ``Settings`` from it, by the flow's signature, when a run starts)."""
    return {"source": os.path.abspath(archive), "out_dir": str(Path(out).resolve()), "workers": workers,
            "timeout_s": timeout, "settings": settings.as_dict()}


def reading_settings(dpi: int, engine: str, force_ocr: bool, rasterizer: str) -> Settings:
    check_engine(engine)
    check_rasterizer(rasterizer)
    return Settings(dpi=dpi, engine=engine, force_ocr=force_ocr, rasterizer=rasterizer)


def serve(
    archive: str = typer.Option(..., "--archive", help="Folder (searched recursively) or glob swept on every run."),
    cron: str = typer.Option(..., "--cron", help='When to run, as a cron expression, e.g. "0 2 * * *" (02:00 daily).'),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder; the results store is OUT/results.sqlite."),
    timezone: Optional[str] = typer.Option(None, help="Time zone of the cron expression, e.g. Asia/Shanghai (default: UTC)."),
    workers: int = typer.Option(2, min=1, help="Documents processed at once, each in a worker process of its own."),
    timeout: float = typer.Option(1800.0, help="Seconds one document may take before its worker is killed."),
    store: Optional[str] = typer.Option(None, envvar=STORE_URL_VARIABLE, help=STORE_HELP),
    runner: str = typer.Option("threads", help=f"Task runner: {', '.join(RUNNERS)}."),
    dask_address: Optional[str] = typer.Option(None, help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --runner dask)."),
    name: str = typer.Option("archive-sweep", help="Deployment name shown in the Prefect UI."),
    dpi: int = DPI_OPTION,
    engine: str = ENGINE_OPTION,
    force_ocr: bool = FORCE_OCR_OPTION,
    rasterizer: str = RASTERIZER_OPTION,
) -> None:
    """Run the archive batch on a cron schedule, served to a running Prefect server."""
    # Scheduled runs are watched in the Prefect UI: keep the per-document progress lines.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    from flows.orchestration.schedule import NoPrefectServer, serve_archive

    settings = reading_settings(dpi, engine, force_ocr, rasterizer)
    check_runner(runner, dask_address, store_url_for(out, store))
    keep_store_out_of_parameters(store)  # flow runs started by serve inherit its environment
    try:
        serve_archive(
            name=name,
            cron=cron,
            timezone=timezone,
            parameters=archive_parameters(archive, out, workers, timeout, settings) | {"runner": runner, "dask_address": dask_address},
        )
    except NoPrefectServer as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=exit_codes.UNAVAILABLE) from None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--cron") from None


def deploy(
    archive: str = typer.Option(..., "--archive", help="Folder (searched recursively) or glob swept on every run."),
    pool: str = typer.Option(..., "--pool", help="Prefect work pool (a process pool is created if it does not exist)."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder, on storage every worker reaches."),
    cron: Optional[str] = typer.Option(None, "--cron", help='Optional schedule, e.g. "0 2 * * *"; without it, runs start by hand.'),
    timezone: Optional[str] = typer.Option(None, help="Time zone of the cron expression (default: UTC)."),
    workers: int = typer.Option(2, min=1, help="Documents one flow run processes at once."),
    timeout: float = typer.Option(1800.0, help="Seconds one document may take before its worker is killed."),
    name: str = typer.Option("archive-sweep", help="Deployment name shown in the Prefect UI."),
    dpi: int = DPI_OPTION,
    engine: str = ENGINE_OPTION,
    force_ocr: bool = FORCE_OCR_OPTION,
    rasterizer: str = RASTERIZER_OPTION,
) -> None:
    """Deploy the archive batch to a Prefect work pool; start `prefect worker start --pool POOL` where it should run."""
    from flows.orchestration.deploy import WORKER_PREFETCH_SECONDS, deploy_archive
    from flows.orchestration.schedule import NoPrefectServer

    parameters = archive_parameters(archive, out, workers, timeout, reading_settings(dpi, engine, force_ocr, rasterizer))
    try:
        full_name = deploy_archive(name, pool, parameters, cron, timezone)
    except NoPrefectServer as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=exit_codes.UNAVAILABLE) from None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--cron") from None
    console.print(f"deployed {full_name} to work pool {pool!r}. On each machine that should work on it:")
    console.print(f"  DISCLOSURE_OCR_STORE_URL=postgresql+psycopg://… prefect worker start --pool {pool} --prefetch-seconds {WORKER_PREFETCH_SECONDS}")
    console.print(f"and start a run with: prefect deployment run '{full_name}'")


def register(app: typer.Typer) -> None:
    for command in (export, serve, deploy):
        app.command()(command)
