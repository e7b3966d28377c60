"""The ``reprocess`` options a review page may suggest, named once.

Named here rather than read off the Typer command, so the review pages never import the CLI (that closed
an import cycle: cli_archive → archive_flow → batch_report → review → cli_archive). A test holds every
name to a real parameter of ``cli_archive.reprocess``.
"""

from __future__ import annotations

SUGGESTED_OPTIONS = frozenset({"dpi", "pages", "engine", "force_ocr", "timeout"})


def flag(name: str) -> str:
    """``force_ocr`` → ``--force-ocr``, as Typer spells a parameter's option."""
    return "--" + name.replace("_", "-")
