"""``batch``, ``failed`` and ``reprocess``: the archive commands of ``disclosure-ocr``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table as RichTable

from ocr.engines import DEFAULT_ENGINE, ENGINE_NAMES
from ocr.pages.rasterize import DEFAULT_DPI, DEFAULT_RASTERIZER, RASTERIZERS
from table_reconstruct.model import ReviewReason
from table_reconstruct.document.review_reasons import summary

from flows.cli import exit_codes
from flows.orchestration.runners import RUNNERS, check_runner
from flows.store.url import STORE_FILE, STORE_HELP, STORE_URL_VARIABLE, keep_store_out_of_parameters, store_url_for
from flows.core.settings import Settings

console = Console(stderr=True)
FAILED_STATUSES = ("failed", "needs_review")
TIMEOUT_HELP = "Seconds one document may take before its worker is killed and it is recorded as timeout."


def refuse_missing_store(out: Path, store: str | None) -> None:
    """An ``--out`` without a results store is refused (a mistyped folder would otherwise get a new,
    empty store and report nothing to do); cheap, so a command can check it before it starts work."""
    if not store and not (Path(out) / STORE_FILE).is_file():
        raise typer.BadParameter(f"{out} holds no results store ({STORE_FILE}); give the --out of a batch or run",
                                 param_hint="--out")  # fmt: skip


def store_to_read(out: Path, store: str | None) -> str:
    """The store URL a reading command uses, once ``refuse_missing_store`` let it through."""
    refuse_missing_store(out, store)
    return store_url_for(out, store)


def check_engine(engine: str | None) -> None:
    if engine is not None and engine not in ENGINE_NAMES:
        raise typer.BadParameter(f"choose one of {', '.join(ENGINE_NAMES)}", param_hint="--engine")


def check_rasterizer(rasterizer: str) -> None:
    if rasterizer not in RASTERIZERS:
        raise typer.BadParameter(f"choose one of {', '.join(RASTERIZERS)}", param_hint="--rasterizer")


def watched(run_flow):
    """Run a flow with the batch progress bar attached to the progress hooks."""
    from flows.core import progress as progress_hooks
    from flows.orchestration.batch_progress import BatchProgress

    with Progress(*BatchProgress.columns(), console=console) as bar:
        progress_hooks.set_reporter(BatchProgress(bar))
        try:
            return run_flow()
        finally:
            progress_hooks.set_reporter(None)


def review_summary(reasons_json: str | None) -> str:
    """A needs_review run's reasons in one line (its message, since it has no error)."""
    reasons = [ReviewReason(**r) for r in json.loads(reasons_json or "[]")]
    return summary(reasons)[:100]


def print_runs(title: str, runs: list[dict]) -> None:
    table = RichTable(title=title)
    for name in ("doc id", "source", "status", "kind", "stage", "when", "message"):
        table.add_column(name)
    for run in runs:
        message = (run["error_message"] or "").splitlines()[0][:100] if run["error_message"] else ""
        message = message or review_summary(run.get("review_reasons_json"))
        when = run["finished_at"].strftime("%Y-%m-%d %H:%M")
        table.add_row(run["doc_id"], run["source"], run["status"], run["error_kind"] or "", run["stage"] or "", when, message)
    Console().print(table)


def identity_options(department: str | None, region: str | None, level: str | None, year: int | None,
                     kind: str | None) -> dict | None:
    """The identity fields given on the command line (None when none was): they win over what documents say."""
    given = {"department": department, "region": region, "level": level, "year": year, "kind": kind}
    given = {name: str(value) for name, value in given.items() if value is not None and str(value).strip()}
    return given or None


# Reading options that ``run``, ``batch``, ``serve`` and ``deploy`` share, defined once so they cannot drift apart.
DPI_OPTION = typer.Option(DEFAULT_DPI, help="Rasterization resolution for PDF pages.")
ENGINE_OPTION = typer.Option(DEFAULT_ENGINE, help=f"OCR engine: {', '.join(ENGINE_NAMES)}.")
FORCE_OCR_OPTION = typer.Option(False, "--force-ocr", help="OCR every page, even where the PDF's text layer is trusted.")
RASTERIZER_OPTION = typer.Option(DEFAULT_RASTERIZER, help=f"PDF page renderer: {', '.join(RASTERIZERS)}.")
DEPARTMENT_OPTION = typer.Option(None, "--department", help="Publishing department/unit, set on every document (recorded as set by you).")
REGION_OPTION = typer.Option(None, "--region", help="Region, e.g. 上海市普陀区, set on every document.")
LEVEL_OPTION = typer.Option(None, "--level", help="Level of government: 省, 市 or 区县.")
YEAR_OPTION = typer.Option(None, "--year", min=1900, max=2099, help="Fiscal year, set on every document.")
KIND_OPTION = typer.Option(None, "--kind", help="Document kind: 部门预算, 单位预算, 部门决算, 单位决算, 整体绩效 ….")


def batch(
    source: str = typer.Argument(..., help="Folder (searched recursively) or glob of PDFs and scans."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder; the results store is OUT/results.sqlite."),
    workers: int = typer.Option(2, min=1, help="Documents processed at once, each in a worker process of its own."),
    timeout: float = typer.Option(1800.0, help=TIMEOUT_HELP),
    store: Optional[str] = typer.Option(None, envvar=STORE_URL_VARIABLE, help=STORE_HELP),
    dpi: int = DPI_OPTION,
    pages: Optional[str] = typer.Option(None, help="Pages of every document, e.g. '1-3,7' (default: all)."),
    engine: str = ENGINE_OPTION,
    force_ocr: bool = FORCE_OCR_OPTION,
    rasterizer: str = RASTERIZER_OPTION,
    runner: str = typer.Option("threads", help=f"Task runner: {', '.join(RUNNERS)} (see the README for Dask across machines)."),
    dask_address: Optional[str] = typer.Option(None, help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --runner dask)."),
    department: Optional[str] = DEPARTMENT_OPTION,
    region: Optional[str] = REGION_OPTION,
    level: Optional[str] = LEVEL_OPTION,
    year: Optional[int] = YEAR_OPTION,
    kind: Optional[str] = KIND_OPTION,
) -> None:
    """Process an archive; documents already done with this version and settings are skipped.

    Per document, identity fields can also come from ``<pdf>.identity.yaml`` or an ``identity.csv``
    (columns file or sha256, then department, region, level, year, kind) in the archive's folders.
    """
    # INFO lines go to the Prefect UI (the run's log), while the terminal keeps its progress bar.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    check_engine(engine)
    check_rasterizer(rasterizer)
    check_runner(runner, dask_address, store_url_for(out, store))
    from flows.orchestration.archive_flow import process_archive

    keep_store_out_of_parameters(store)
    settings = Settings(dpi=dpi, pages=pages, engine=engine, force_ocr=force_ocr, rasterizer=rasterizer,
                        identity=identity_options(department, region, level, year, kind))
    console.print("[dim]starting Prefect…[/dim]")
    summary = watched(lambda: process_archive(source, str(out), settings, workers, timeout, None, runner, dask_address))
    console.print(f"found {summary.found}, skipped {summary.skipped} already done, processed {len(summary.processed)}: {summary.statuses}")
    if summary.statuses.get("failed"):
        raise typer.Exit(code=exit_codes.DOCUMENTS_FAILED)


def failed(
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder holding results.sqlite."),
    store: Optional[str] = typer.Option(None, envvar=STORE_URL_VARIABLE, help=STORE_HELP),
) -> None:
    """List documents whose current run failed or needs review."""
    from flows.store import open_store

    runs = open_store(store_to_read(out, store)).current_runs(FAILED_STATUSES)
    print_runs(f"{len(runs)} documents failed or need review", runs)


def reprocess(
    doc_ids: list[str] = typer.Argument(None, help="Document ids (see `failed`)."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder holding results.sqlite."),
    all_failed: bool = typer.Option(False, "--all-failed", help="Reprocess every document listed by `failed`."),
    dpi: Optional[int] = typer.Option(None, help="Rasterization DPI (default: the last run's)."),
    pages: Optional[str] = typer.Option(None, help="Pages, e.g. '1-3,7' (default: the last run's)."),
    engine: Optional[str] = typer.Option(None, help=f"OCR engine: {', '.join(ENGINE_NAMES)} (default: the last run's)."),
    force_ocr: Optional[bool] = typer.Option(
        None, "--force-ocr/--trust-text-layer",
        help="OCR every page even where the text layer is trusted (default: the last run's)."),
    timeout: float = typer.Option(1800.0, help=TIMEOUT_HELP),
    store: Optional[str] = typer.Option(None, envvar=STORE_URL_VARIABLE, help=STORE_HELP),
    track: Optional[bool] = typer.Option(
        None, "--track/--no-track",
        help="Run each as a Prefect flow run (default: when a Prefect API is configured, PREFECT_API_URL).",
    ),
    department: Optional[str] = DEPARTMENT_OPTION,
    region: Optional[str] = REGION_OPTION,
    level: Optional[str] = LEVEL_OPTION,
    year: Optional[int] = YEAR_OPTION,
    kind: Optional[str] = KIND_OPTION,
) -> None:
    """Redo documents, each recorded as a new current run (history is kept); Prefect flow runs when tracked.

    Identity options correct the named documents' fields; fields set on an earlier run are kept.
    """
    check_engine(engine)
    refuse_missing_store(out, store)  # before any child starts: a mistyped --out costs no child
    keep_store_out_of_parameters(store)
    from flows.workers.worker_pool import start_worker_early, stop_idle_workers

    start_worker_early()  # the OCR child imports the pipeline while this process imports the rest and opens the store
    url = store_url_for(out, store)
    from flows.core.reprocess import NotReprocessable, reprocess_job, reprocess_now
    from flows.store import open_store
    from flows.orchestration.tracking import tracked

    if tracked(track):
        from flows.orchestration.archive_flow import reprocess_document
    else:
        def reprocess_document(doc_id, out_dir, overrides, timeout_s, store_url):  # the flow's steps, without Prefect
            return reprocess_now(reprocess_job(doc_id, out_dir, overrides, timeout_s, store_url_for(out_dir, store_url)))

    ids = list(doc_ids or [])
    if all_failed:
        ids += [run["doc_id"] for run in open_store(url).current_runs(FAILED_STATUSES)]
    if not ids:
        raise typer.BadParameter("give document ids or --all-failed", param_hint="DOC_IDS")
    overrides = {"dpi": dpi, "pages": pages, "engine": engine, "force_ocr": force_ocr,
                 "identity": identity_options(department, region, level, year, kind)}
    results, errors = [], 0
    for doc_id in dict.fromkeys(ids):
        try:
            results.append(watched(lambda: reprocess_document(doc_id, str(out), overrides, timeout, None)))
        except NotReprocessable as exc:
            console.print(f"[red]{doc_id}: {exc}[/red]")
            errors += 1
    stop_idle_workers()
    for item in results:
        console.print(f"{Path(item.source).name}: {item.status} {item.error_kind or ''} (run {item.run_id})")
    if errors or any(item.status == "failed" for item in results):
        raise typer.Exit(code=exit_codes.DOCUMENTS_FAILED)


def register(app: typer.Typer) -> None:
    for command in (batch, failed, reprocess):
        app.command()(command)
