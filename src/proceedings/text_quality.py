"""Whether a document's text layer can be measured at all."""

from __future__ import annotations

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
