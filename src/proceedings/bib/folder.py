"""The PDFs beside a PMLR volume's .bib: which are there, and how many pages each has."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from proceedings.bib.model import BibFile

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


def page_count(bib: BibFile, relative: str) -> int | str:
    """The number of pages of the PDF at `relative`, or why it cannot be counted."""
    key = f"pages:{relative}"
    cached = bib.cache.get(key)
    if isinstance(cached, int | str):
        return cached
    result = _count(bib.folder / relative)
    bib.cache[key] = result
    return result


def _count(path: Path) -> int | str:
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        if path.stat().st_size == 0:
            return "the file is empty"
        with path.open("rb") as handle:
            if b"%PDF-" not in handle.read(1024):
                return "the file is not a PDF (no `%PDF-` header)"
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # noqa: BLE001 - a missing cipher library is also a refusal
                opened = False
            if not opened:
                return "the file is protected by a password"
        count = len(reader.pages)
    except Exception as error:  # noqa: BLE001 - any damage is a finding, never a crash
        text = str(error).strip().rstrip(".") or type(error).__name__
        return f"the file cannot be opened as a PDF ({text})"
    finally:
        logger.setLevel(level)
    if count == 0:
        return "the PDF has no pages"
    return count
