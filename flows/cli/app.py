"""``disclosure-ocr``: the command line, with a progress bar per document and page."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from flows.cli.archive import DPI_OPTION, ENGINE_OPTION, FORCE_OCR_OPTION, RASTERIZER_OPTION, check_engine, check_rasterizer
from flows.cli.archive import register as register_archive_commands
from flows.cli.review import register as register_review_commands
from flows.cli.ops import register as register_ops_commands
from flows.cli import exit_codes
from flows.cli.process_exit import leave
from flows.core.settings import PIPELINE_VERSION, Settings
from flows.store.url import STORE_HELP, STORE_URL_VARIABLE, keep_store_out_of_parameters, store_url_for

console = Console(stderr=True)


class DisclosureApp(typer.Typer):
    """The Typer app with one exit code per meaning (see ``exit_codes``) and no tracebacks for users.

    Usage errors (2), ``typer.Exit`` codes and Ctrl-C (130) are Typer's own; what escapes a command
    is told apart here: an unreachable store or Prefect API (69) from a bug (70), in one line. The
    process then leaves through ``process_exit.leave``.
    """

    def __call__(self, *args, **kwargs):
        try:
            return self._command_line(*args, **kwargs)
        except SystemExit as done:  # the command is over: leave without the interpreter's teardown when safe
            leave(done.code)

    def _command_line(self, *args, **kwargs):
        try:
            return typer.main.get_command(self)(*args, **kwargs)
        except Exception as exc:
            code, message = exit_codes.classify(exc)
            if os.environ.get("DISCLOSURE_OCR_TRACEBACK"):
                console.print_exception()
            console.print(message, style="red", markup=False, highlight=False, soft_wrap=True)
            sys.exit(code)


EXIT_CODES_HELP = ("Exit codes: 0 done; 1 some documents failed; 2 bad usage (or an --out without a results store); "
                   "69 the results store or Prefect API is unavailable; 70 internal error; 130 interrupted.")
app = DisclosureApp(help="Turn scanned or garbled Chinese budget disclosures into clean canonical tables.",
                    epilog=EXIT_CODES_HELP, no_args_is_help=True)


def show_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            package = version("disclosure-ocr")
        except PackageNotFoundError:  # run from a checkout, not installed
            package = PIPELINE_VERSION
        print(f"disclosure-ocr {package} (pipeline {PIPELINE_VERSION})")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=show_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """disclosure-ocr: scanned budget disclosures in, canonical tables out."""


class ProgressBars:
    """Rich progress: one bar for documents, one for the pages of the current document."""

    def __init__(self, progress: Progress, total_documents: int) -> None:
        self.progress = progress
        self.documents = progress.add_task("documents", total=total_documents)
        self.pages = progress.add_task("pages", total=None, visible=False)

    def batch_planned(self, documents: int) -> None:
        self.progress.update(self.documents, total=documents)

    def document_started(self, source: str, pages: int | None) -> None:
        self.progress.update(self.pages, description=Path(source).name[:40], completed=0, total=pages, visible=True)

    def page_done(self, source: str, done: int, total: int) -> None:
        self.progress.update(self.pages, completed=done, total=total)

    def document_finished(self, source: str, status: str, pages: int = 0) -> None:
        self.progress.advance(self.documents)


@app.command()
def run(
    inputs: List[Path] = typer.Argument(..., help="PDF files or scans (PNG/JPEG/TIFF) to process."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder: OUT/<doc_id>/result.json and tables/*.csv."),
    dpi: int = DPI_OPTION,
    pages: Optional[str] = typer.Option(None, help="Pages to process, e.g. '1-3,7' (default: all)."),
    engine: str = ENGINE_OPTION,
    threads: Optional[int] = typer.Option(
        None, help="ONNX Runtime threads (default: all cores, a long scan's pages read one per core at once; "
                   "set, pages are read one at a time)."),
    force_ocr: bool = FORCE_OCR_OPTION,
    rasterizer: str = RASTERIZER_OPTION,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect and pipeline logs."),
    store: Optional[str] = typer.Option(None, envvar=STORE_URL_VARIABLE, help=STORE_HELP),
    track: Optional[bool] = typer.Option(
        None, "--track/--no-track",
        help="Record each document as a Prefect flow run (default: when a Prefect API is configured, PREFECT_API_URL).",
    ),
) -> None:
    """Process documents one by one, recorded in the results store as batch's are; as Prefect flow runs when
    a Prefect API is configured or --track is given."""
    check_engine(engine)
    check_rasterizer(rasterizer)
    if verbose:
        import os

        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
        logging.basicConfig(level=logging.INFO)
    settings = Settings(dpi=dpi, pages=pages, engine=engine, threads=threads, force_ocr=force_ocr, rasterizer=rasterizer)
    from flows.core.engine_cache import start_loading_engine

    start_loading_engine(inputs[0], settings)  # the models load while the store and the pipeline import
    from flows.store import open_store

    store_url = store_url_for(out, store)
    open_store(store_url)  # an unreachable store stops the run here, before any work (exit 69)
    keep_store_out_of_parameters(store)
    from flows.core import progress as progress_hooks
    from flows.core.document_runner import DocumentOutcome
    from flows.cli.exit_codes import first_line
    from flows.orchestration.tracking import tracked

    if tracked(track):
        console.print("[dim]each document is a Prefect flow run (process-document)…[/dim]")
        from flows.orchestration.document_flow import process_document

        def run_document(source: str) -> DocumentOutcome:
            return process_document(source, str(out), settings)
    else:
        from flows.core.document_run import run_document as run_plain

        def run_document(source: str) -> DocumentOutcome:
            return run_plain(source, str(out), settings, store_url)

    results = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        bars = ProgressBars(progress, len(inputs))
        progress_hooks.set_reporter(bars)
        try:
            for source in inputs:
                bars.document_started(str(source), None)
                try:
                    outcome = run_document(str(source))
                except Exception as exc:  # the flow itself broke: say so, and go on with the other files
                    outcome = DocumentOutcome(str(source), "failed", error_kind="internal_error",
                                              message=f"{type(exc).__name__}: {first_line(exc)}")
                    console.print(f"{source}: {outcome.message}", style="red", markup=False)
                results.append(outcome)
                bars.document_finished(str(source), outcome.status, outcome.pages)
        finally:
            progress_hooks.set_reporter(None)
    summary = RichTable(title="disclosure-ocr results")
    for name in ("document", "status", "tables", "output / error"):
        summary.add_column(name)
    for outcome in results:
        detail = f"{outcome.error_kind}: {outcome.message}" if outcome.message else str(outcome.outputs)
        summary.add_row(Path(outcome.source).name, outcome.status, str(outcome.tables), detail)
    Console().print(summary)
    console.print(f"review pages and the index: {out / 'index.html'}")
    if any(outcome.status == "failed" for outcome in results):
        raise typer.Exit(code=exit_codes.DOCUMENTS_FAILED)


register_archive_commands(app)
register_review_commands(app)
register_ops_commands(app)

if __name__ == "__main__":
    app()
