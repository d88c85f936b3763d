"""BibTeX files: a PMLR volume's .bib or a paper's reference list, read for the `bib` rules.

`load_bib` reads a file into a `BibFile` (never raising on bad input); the check pipeline's
`check_bib` (proceedings.check) runs the rules of subject `bib` on it.
"""

from __future__ import annotations

from proceedings.bib.model import BibEntry, BibField, BibFile, BibProblem
from proceedings.bib.parse import load_bib

__all__ = ["BibEntry", "BibField", "BibFile", "BibProblem", "load_bib"]
