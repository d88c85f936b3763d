"""How findings and summaries write pages and counts: one way everywhere."""

from __future__ import annotations

from collections.abc import Iterable


def page_ranges(numbers: Iterable[int]) -> str:
    """`1-3, 7, 9-10` for the page numbers given."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    start = previous = None
    for number in ordered:
        if start is None:
            start = previous = number
        elif previous is not None and number == previous + 1:
            previous = number
        else:
            parts.append(f"{start}" if start == previous else f"{start}-{previous}")
            start = previous = number
    if start is not None:
        parts.append(f"{start}" if start == previous else f"{start}-{previous}")
    return ", ".join(parts)


def describe_pages(numbers: Iterable[int]) -> str:
    """`page 4` or `pages 1-3, 7`."""
    ranges = page_ranges(numbers)
    return ("page " if ranges.isdigit() else "pages ") + ranges


def on_pages(numbers: Iterable[int]) -> str:
    """`on page 4` or `on pages 1-3, 7`."""
    return f"on {describe_pages(numbers)}"


def counted(count: int, noun: str) -> str:
    """`1 page`, `5 pages`, `0 errors`: a count with its noun, plural unless one."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
