"""Jinja rendering of review.html and index.html from their view models (templates are package data)."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from flows.review.context import ReviewContext
from flows.review.index import IndexEntry, status_counts


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Autoescaped everywhere: cell texts come from OCR and must never become markup."""
    env = Environment(loader=PackageLoader("flows.review", "templates"), autoescape=True, undefined=StrictUndefined)
    env.filters["mark_class"] = lambda mark: f"m-{mark}"
    return env


def now_text() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def render_review(context: ReviewContext) -> str:
    return environment().get_template("review.html.j2").render(c=context, generated=now_text())


def render_index(entries: list[IndexEntry]) -> str:
    any_checks = any(entry.passed != "—" for entry in entries)
    return environment().get_template("index.html.j2").render(
        entries=entries, counts=status_counts(entries), any_checks=any_checks, generated=now_text()
    )
