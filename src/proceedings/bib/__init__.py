"""BibTeX files: a PMLR volume's .bib or a paper's reference list, read for the `bib` rules.

`load_bib` reads a file into a `BibFile` (never raising on bad input); `check_bib` runs the
rules of subject `bib` on it and returns a `FileReport`.
"""

from __future__ import annotations

from proceedings.bib.check import check_bib
from proceedings.bib.model import BibEntry, BibField, BibFile, BibProblem
from proceedings.bib.parse import load_bib

__all__ = ["BibEntry", "BibField", "BibFile", "BibProblem", "check_bib", "load_bib"]
