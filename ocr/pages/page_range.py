"""Parse page selections such as ``"1-3,7"`` the way print dialogs do."""

from __future__ import annotations


def parse_page_range(spec: str | None, n_pages: int) -> list[int]:
    """Return the 1-based page numbers selected by ``spec`` within ``1..n_pages``.

    ``None`` or an empty string selects every page. Open ranges ``"5-"`` run to
    the end. Pages past the end are dropped rather than failing, since archives
    are often processed with one range for documents of different lengths.
    """
    if not spec or not spec.strip():
        return list(range(1, n_pages + 1))
    selected: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            start_text, end_text = part.split("-", 1)
            start = int(start_text) if start_text.strip() else 1
            end = int(end_text) if end_text.strip() else n_pages
        else:
            start = end = int(part)
        if start < 1 or end < start:
            raise ValueError(f"invalid page range {part!r} in {spec!r}")
        selected.update(range(start, min(end, n_pages) + 1))
    return sorted(selected)


def format_page_range(pages: list[int]) -> str:
    """The inverse of ``parse_page_range``: ``[1, 2, 3, 7]`` -> ``"1-3,7"``."""
    parts: list[str] = []
    numbers = sorted(set(pages))
    start = None
    for index, number in enumerate(numbers):
        if start is None:
            start = number
        if index + 1 == len(numbers) or numbers[index + 1] != number + 1:
            parts.append(str(start) if start == number else f"{start}-{number}")
            start = None
    return ",".join(parts)
