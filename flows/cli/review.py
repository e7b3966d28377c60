"""``review`` and ``index``: the review-page commands of ``disclosure-ocr``."""

from __future__ import annotations

import re
import webbrowser
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

console = Console(stderr=True)
OUT_HELP = "Output folder holding OUT/<doc_id>/result.json."
STORE_HELP = "SQLAlchemy URL of the results store (default: SQLite in OUT, when there is one)."
# A document's folder name: 16 hex digits of its sha256 (or the id of an unreadable file's path).
DOC_ID = re.compile(r"[0-9a-f]{16}|unreadable-[0-9a-f]{12}")


def check_doc_id(doc_id: str) -> str:
    """Refuse anything but a document id, so ``review`` never writes outside OUT (``../../x``)."""
    if not DOC_ID.fullmatch(doc_id):
        raise typer.BadParameter("a document id is 16 hex digits, e.g. 40311466f57268b9 (see `failed` or index.html)")
    return doc_id


def review(
    doc_id: str = typer.Argument(
        ..., help="Document id: its folder name under OUT (see `failed` or index.html).", callback=check_doc_id),
    out: Path = typer.Option(Path("out"), "--out", "-o", help=OUT_HELP),
    open_page: bool = typer.Option(False, "--open", help="Open the page in the default browser."),
    store: Optional[str] = typer.Option(None, help=STORE_HELP),
) -> None:
    """Write OUT/<doc_id>/review.html for any document (status ok included) and print its path."""
    from flows.review import NoResult, write_index, write_review

    try:
        path = write_review(out / doc_id, store)
    except NoResult as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=1) from exc
    write_index(out)
    print(path)
    if open_page:
        webbrowser.open(path.resolve().as_uri())


def index(
    out: Path = typer.Option(Path("out"), "--out", "-o", help=OUT_HELP),
    reviews: bool = typer.Option(True, help="Also (re)write the review pages of documents that need review or failed."),
    store: Optional[str] = typer.Option(None, help=STORE_HELP),
) -> None:
    """Write OUT/index.html listing every document, with links to its review page and files."""
    from flows.review import review_if_needed, write_index
    from flows.review.index import index_entries

    if reviews:
        for entry in index_entries(out):
            review_if_needed(out, entry.doc_id, store)
    print(write_index(out))


def register(app: typer.Typer) -> None:
    for command in (review, index):
        app.command()(command)
