"""Whether a document's text layer can be measured at all."""

from __future__ import annotations

from collections.abc import Iterable

from proceedings.pdf.layout import Document

# Share of stray symbols and control codes above which extracted text is not language.
_GARBLED_SHARE = 0.08


def pages_without_text(document: Document) -> list[int]:
    """Pages that hold drawn content but no text: scans and image-only pages."""
    return [page.number for page in document.pages if not page.has_text and page.object_count > 0]


def text_is_garbled(document: Document) -> bool:
    total = sum(page.char_count for page in document.pages)
    odd = sum(page.odd_chars for page in document.pages)
    return total > 200 and odd / total > _GARBLED_SHARE


def measurable(document: Document) -> bool:
    """True when the text can tell where the main body ends."""
    readable = [page for page in document.pages if page.has_text]
    return bool(readable) and not text_is_garbled(document)


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


def page_count(count: int) -> str:
    """`1 page`, `5 pages`."""
    return "1 page" if count == 1 else f"{count} pages"
