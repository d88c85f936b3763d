"""What the BIB and PMLR rules share: which BibTeX files each family reads, and the walk over
the fields of entries that finds each bad field and its line.

This module holds no rule. The PMLR rules apply only to a volume file, a .bib with an
`@Proceedings` entry and `@InProceedings` entries (see `BibFile.is_pmlr_volume`); the `BIB`
rules about entries apply to the other files, reference lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from proceedings.bib.model import BibEntry, BibField, BibFile
from proceedings.rules import Violation


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


@dataclass(frozen=True)
class FieldProblem:
    """What a rule finds wrong with one field, and where in it."""

    message: str
    at: int = -1  # index in the field as written (`BibField.raw`); -1: where the value starts


FieldJudge = Callable[[BibEntry, BibField], Iterable[FieldProblem]]


def field_violations(
    entries: Iterable[BibEntry],
    judge: FieldJudge,
    names: Sequence[str] | None = None,
    *,
    empty: bool = False,
) -> Iterator[Violation]:
    """A violation for each problem `judge` finds in a field of `entries`, on its line.

    `names`: the fields judged, in this order (an entry's absent ones are skipped); every field
    of each entry, in file order, when None. A field whose value is empty or white space is
    judged only with `empty`.
    """
    for entry in entries:
        fields = entry.fields.values() if names is None else [entry.field(n) for n in names]
        for found in fields:
            if found is None or (not empty and not found.value.strip()):
                continue
            for problem in judge(entry, found):
                yield Violation(problem.message, line=line_at(found, problem.at))


def line_at(found: BibField, at: int) -> int:
    """The line of index `at` of the field as written; the value's first line when `at` < 0."""
    return found.line + found.raw.count("\n", 0, at) if at >= 0 else found.line


def search(found: BibField, pattern: str, flags: int = 0) -> int:
    """Where `pattern` first matches in the field as written, or -1."""
    match = re.search(pattern, found.raw, flags)
    return match.start() if match else -1
