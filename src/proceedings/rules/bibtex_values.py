"""Rules about values of a reference list that cannot be right: years, DOIs and arXiv
identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from proceedings.bib.ids import ID_FIELDS, arxiv_ids, doi_problem
from proceedings.bib.model import BibEntry, BibField, BibFile
from proceedings.report import Severity
from proceedings.rules import Violation, rule
from proceedings.rules.bib_walk import (
    FieldProblem,
    entry_year,
    field_violations,
    reference_list,
)

YEAR = re.compile(r"^\d{4}$")


@rule(
    "BIB008",
    "future-year",
    Severity.ERROR,
    fix="Correct the year; for work not yet published, give the year of the preprint.",
    subject="bib",
)
def future_year(bib: BibFile) -> Iterator[Violation]:
    """A year later than next year.

    ## What it catches
    An entry whose `year` (or the year of its `date`) is after next year: a typo (`2204`)
    or a citation that cannot exist yet.

    ## Why it matters
    A reference dated in the future is either a typing mistake or a made-up citation;
    reviewers and readers take both as carelessness.

    ## Known problems
    Next year is allowed, for accepted papers "to appear".

    ## Example
    A typo in a year:

        error BIB008 line 5 entry `future` has year 2999, after 2027

    ## How to fix
    Give the year of the version cited.
    """
    if not reference_list(bib):
        return
    limit = date.today().year + 1
    for entry in bib.entries:
        year = entry_year(entry)
        if year is not None and year > limit:
            yield Violation(
                f"entry `{entry.key}` has year {year}, after {limit}", line=_year_line(entry)
            )


@rule(
    "BIB009",
    "malformed-year",
    Severity.WARNING,
    fix="Write the year as four digits (`year = {2024}`); put anything else in `note`.",
    subject="bib",
)
def malformed_year(bib: BibFile) -> Iterator[Violation]:
    """A `year` that is not four digits.

    ## What it catches
    `year` values such as `2020a`, `in press`, `n.d.`, `20222` or `'19`.

    ## Why it matters
    Author-year styles sort and label by the year; a year that is not a number prints oddly
    and sorts wrongly, and a letter suffix clashes with the one natbib adds itself.

    ## Known problems
    `forthcoming` and `in press` are accepted by some biblatex styles; they are reported.

    ## Example
    A letter after the year:

        warning BIB009 line 12 entry `letter` has year `2020a`, not four digits

    ## How to fix
    Give the four-digit year; move "to appear" or "in press" to `note`.
    """
    if reference_list(bib):
        yield from field_violations(bib.entries, _year_problem, ("year",), empty=True)


def _year_problem(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    value = found.value.strip().strip("{}").strip()
    if value and not YEAR.match(value):
        yield FieldProblem(f"entry `{entry.key}` has year `{value}`, not four digits")


@rule(
    "BIB010",
    "malformed-doi",
    Severity.ERROR,
    fix="Give the bare DOI, `doi = {10.1145/3292500.3330701}`, without `https://doi.org/`.",
    subject="bib",
)
def malformed_doi(bib: BibFile) -> Iterator[Violation]:
    """A `doi` field that is not a bare DOI (`10.NNNN/suffix`, or a ShortDOI `10/abcde`).

    ## What it catches
    DOIs written as links (`https://doi.org/10...`, as Elsevier exports them) or with a
    `doi:` prefix, DOIs in an extra pair of braces (printed as `{10...}`), DOIs holding
    spaces, and values that are not DOIs at all (an ISBN, a URL of the publisher). ShortDOIs
    (`10/bbgr9b`, the aliases doi.org resolves like the DOI they stand for) and registrant
    codes with subdivisions (`10.1000.10/...`) are DOIs.

    ## Why it matters
    Styles turn the field into a link `https://doi.org/<doi>`: a prefixed DOI becomes a
    broken link, and a wrong one points to another paper or nowhere.

    ## Example
    A DOI exported as a link:

        error BIB010 line 6 entry `url`: DOI `https://doi.org/10.1145/3292500.3330701` written with
        a prefix (`https://doi.org/`)

    ## How to fix
    Keep only the DOI itself, starting with `10.`; put other links in `url`.
    """
    if reference_list(bib):
        yield from field_violations(bib.entries, _doi_problem, ("doi",))


def _doi_problem(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    problem = doi_problem(found.value)
    if problem is not None:
        yield FieldProblem(f"entry `{entry.key}`: DOI `{found.value.strip()}` {problem}")


@rule(
    "BIB011",
    "malformed-arxiv-id",
    Severity.ERROR,
    fix="Copy the identifier from the paper's arXiv page: `2305.12345` (4 digits after the dot "
    "before 2015) or `cs/0601001` for old papers.",
    subject="bib",
)
def malformed_arxiv_id(bib: BibFile) -> Iterator[Violation]:
    """An arXiv identifier that cannot exist.

    ## What it catches
    arXiv identifiers in `eprint`, `journal` (`arXiv preprint arXiv:...`), `volume`
    (`abs/...` for CoRR), `url`, `note` and the arXiv DOI that are not of the new form
    `YYMM.NNNNN` (four digits after the dot from April 2007 to 2014, five since 2015) or the
    old form `archive/YYMMNNN` (`cs/0601001`, `math.AG/0601001`), that name a month that
    does not exist, or that date from the future; and an arXiv link where `eprint` wants the
    identifier. In text, an identifier ends at white space, brackets (`2305.12345[cs.LG]`),
    braces or a backslash.

    ## Why it matters
    A wrong identifier links to another paper or to nothing. An identifier with the wrong
    number of digits or from the future is a typical sign of a citation written from memory
    or made up.

    ## Example
    An identifier with a digit missing:

        error BIB011 line 5 entry `fourDigits`: arXiv identifier `2305.1234` in `eprint`: 4 digits
        after the dot; identifiers of 2023 have 5

    ## How to fix
    Copy the identifier from the paper's arXiv page.
    """
    if reference_list(bib):
        # In the order `arxiv_ids` finds them: the fields of ID_FIELDS, in its order.
        yield from field_violations(bib.entries, _arxiv_problems, ID_FIELDS)


def _arxiv_problems(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    for item in arxiv_ids(entry):
        if item.field == found.name and item.problem is not None:
            yield FieldProblem(
                f"entry `{entry.key}`: arXiv identifier `{item.text}` in `{item.field}`: "
                f"{item.problem}",
                found.raw.find(item.text) if item.text else -1,
            )


@rule(
    "BIB012",
    "arxiv-year-mismatch",
    Severity.WARNING,
    fix="Check the citation against the arXiv page and correct the year (or the identifier).",
    subject="bib",
)
def arxiv_year_mismatch(bib: BibFile) -> Iterator[Violation]:
    """A year earlier than the year of the entry's arXiv identifier.

    ## What it catches
    An entry dated, say, 2019 whose arXiv identifier `2305.12345` says it was first posted in
    May 2023. A later year is fine (the paper was published after its preprint).

    ## Why it matters
    A paper cannot be cited in a year before it existed: either the year or the identifier
    is wrong, and a mismatch like this is a common trace of a fabricated reference.

    ## Known problems
    An old paper posted to arXiv years after it was published, cited with its original year
    and the late identifier, is reported.

    ## Example
    An entry dated before its preprint:

        warning BIB012 line 5 entry `tooEarly` has year 2019, but its arXiv identifier `2305.12345`
        dates from 2023

    ## How to fix
    Compare the entry with the arXiv page and fix the year or the identifier.
    """
    if not reference_list(bib):
        return
    for entry in bib.entries:
        year = entry_year(entry)
        if year is None:
            continue
        for item in arxiv_ids(entry):
            if item.problem is None and item.year is not None and year < item.year:
                yield Violation(
                    f"entry `{entry.key}` has year {year}, but its arXiv identifier "
                    f"`{item.text}` dates from {item.year}",
                    line=_year_line(entry),
                )
                break


def _year_line(entry: BibEntry) -> int:
    return entry.line_of("year") if entry.field("year") is not None else entry.line_of("date")
