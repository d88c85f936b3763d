"""What the BIB and PMLR rules share: which BibTeX files each family reads.

This module holds no rule. The PMLR rules apply only to a volume file, a .bib with an
`@Proceedings` entry and `@InProceedings` entries (see `BibFile.is_pmlr_volume`); the `BIB`
rules about entries apply to the other files, reference lists.
"""

from __future__ import annotations

import re

from proceedings.bib.model import BibEntry, BibFile


def pmlr_volume(bib: BibFile) -> bool:
    """Whether the PMLR rules read `bib`: a readable PMLR volume file."""
    return bib.load_error is None and bib.is_pmlr_volume


def reference_list(bib: BibFile) -> bool:
    """Whether the `BIB` rules about entries read `bib`: a readable file that is no volume."""
    return bib.load_error is None and not bib.is_pmlr_volume


def entry_year(entry: BibEntry) -> int | None:
    """The year an entry gives: its `year`, else the year of its `date` (biblatex)."""
    for name in ("year", "date"):
        value = entry.get(name).strip("{} ")
        match = re.match(r"^(\d{4})", value)
        if match:
            return int(match.group(1))
    return None
