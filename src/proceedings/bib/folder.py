"""The PDFs beside a PMLR volume's .bib: which are there, and how many pages each has."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from proceedings.bib.model import BibFile
from proceedings.pdf import layout

# How deep to look for PDFs put in sub-folders by mistake (`pdf/Toner26a.pdf`).
MAX_DEPTH = 2
MAX_FILES = 5000


@dataclass(frozen=True)
class PdfFiles:
    """PDF files under the .bib's folder, as paths relative to it (`a.pdf`, `pdf/b.PDF`)."""

    flat: tuple[str, ...]  # directly beside the .bib
    nested: tuple[str, ...]  # in sub-folders

    @property
    def any(self) -> bool:
        return bool(self.flat or self.nested)


def pdf_files(bib: BibFile) -> PdfFiles:
    """The PDFs in the folder of `bib` (computed once per file)."""
    cached = bib.cache.get("pdf_files")
    if isinstance(cached, PdfFiles):
        return cached
    flat: list[str] = []
    nested: list[str] = []
    root = bib.folder
    seen = 0
    for current, folders, files in os.walk(root):
        depth = len(Path(current).relative_to(root).parts)
        folders[:] = sorted(
            name for name in folders if not name.startswith(".") and depth < MAX_DEPTH
        )
        for name in sorted(files):
            seen += 1
            if name.lower().endswith(".pdf") and not name.startswith("."):
                relative = (Path(current) / name).relative_to(root).as_posix()
                (flat if depth == 0 else nested).append(relative)
        if seen > MAX_FILES:
            break
    found = PdfFiles(flat=tuple(flat), nested=tuple(nested))
    bib.cache["pdf_files"] = found
    return found


def pages_or_problem(bib: BibFile, relative: str) -> int | str:
    """The number of pages of the PDF at `relative`, or why it cannot be counted."""
    key = f"pages:{relative}"
    cached = bib.cache.get(key)
    if isinstance(cached, int | str):
        return cached
    result = _count(bib.folder / relative)
    bib.cache[key] = result
    return result


def _count(path: Path) -> int | str:
    try:
        return layout.page_count(path)
    except layout.PdfOpenError as error:
        return f"the file {error}"
