"""Rules about the `@Proceedings` entry of a PMLR volume file: its fields, dates and sections.

Like every PMLR rule they apply only to a volume file (see `bib_walk.pmlr_volume`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from proceedings.bib.model import BibEntry, BibField, BibFile
from proceedings.pmlr_ids import is_section_name
from proceedings.report import Severity
from proceedings.rules import Violation, rule
from proceedings.rules.bib_walk import FieldProblem, field_violations, pmlr_volume
from proceedings.volume import published_problem

PROCEEDINGS_FIELDS = (
    "booktitle",
    "name",
    "shortname",
    "year",
    "editor",
    "volume",
    "start",
    "end",
    "published",
    "address",
    "conference_url",
    "conference_number",
)

DATE_FIELDS = ("start", "end", "published")

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@rule(
    "PMLR001",
    "proceedings-field",
    Severity.ERROR,
    fix="Add the missing fields to the `@Proceedings` entry (see PMLR's instructions for editors).",
    subject="bib",
)
def proceedings_field(bib: BibFile) -> Iterator[Violation]:
    """The `@Proceedings` entry lacks a field PMLR requires, or there are two of them.

    ## What it catches
    An `@Proceedings` entry without one of `booktitle`, `name`, `shortname`, `year`,
    `editor`, `volume`, `start`, `end`, `published`, `address`, `conference_url`,
    `conference_number` (an empty field counts as missing), and a second `@Proceedings`
    entry in the same file.

    ## Why it matters
    PMLR builds the volume's page, citation data and listing from these fields; the volume
    cannot be published without them.

    ## Known problems
    A volume missing only `name` is a warning: earlier published volumes of this workshop
    lack it and PMLR accepted them.

    ## Example
    A volume file without some of PMLR's fields:

        error PMLR001 line 2 `@Proceedings` `icbinb-2026` lacks `name`, `address`,
        `conference_number`

    ## How to fix
    Fill in the missing fields; keep one `@Proceedings` entry per volume file.
    """
    if not pmlr_volume(bib):
        return
    first = bib.proceedings[0]
    for entry in bib.proceedings[1:]:
        yield Violation(
            f"a second `@Proceedings` entry `{entry.key}` (the first is `{first.key}`, "
            f"line {first.line})",
            line=entry.line,
        )
    missing = [name for name in PROCEEDINGS_FIELDS if not first.get(name)]
    if missing:
        names = ", ".join(f"`{name}`" for name in missing)
        # Published ICBINB volumes went without `name`, and PMLR took them: only a warning.
        lenient = set(missing) <= _OPTIONAL_IN_PRACTICE
        yield Violation(
            f"`@Proceedings` `{first.key}` lacks {names}",
            line=first.line,
            severity=Severity.WARNING if lenient else None,
        )


_OPTIONAL_IN_PRACTICE = frozenset({"name"})


@rule(
    "PMLR002",
    "date-format",
    Severity.ERROR,
    fix="Write dates as `YYYY-MM-DD`, e.g. `start = {2026-04-27}`.",
    subject="bib",
)
def date_format(bib: BibFile) -> Iterator[Violation]:
    """A `start`, `end` or `published` date that is not an ISO date `YYYY-MM-DD`.

    ## What it catches
    Dates such as `April 27, 2026`, `2026-4-27`, `27/04/2026` or `2026-02-30`.

    ## Why it matters
    PMLR reads these fields as ISO dates for the volume's listing and citation data.

    ## Example
    A date written out:

        error PMLR002 line 9 `start` is `April 27, 2026`, not a date `YYYY-MM-DD`

    ## How to fix
    Write each date as `YYYY-MM-DD`.
    """
    if pmlr_volume(bib):
        yield from field_violations(bib.proceedings[:1], _date_problem, DATE_FIELDS)


def _date_problem(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    if _iso_date(found.value) is None:
        yield FieldProblem(f"`{found.name}` is `{found.value.strip()}`, not a date `YYYY-MM-DD`")


@rule(
    "PMLR003",
    "date-order",
    Severity.ERROR,
    fix="Correct the dates: the workshop runs from `start` to `end`, and `published` is the "
    "day the volume appears, after the workshop.",
    subject="bib",
)
def date_order(bib: BibFile) -> Iterator[Violation]:
    """The workshop ends before it starts, or the volume is published before the workshop.

    ## What it catches
    `end` before `start`, and `published` more than 60 days before `start`: a published
    PMLR volume carries `published = {2023-04-24}` for a workshop held on 2023-12-16, a
    wrong year. A `published` date before `end` by less is a warning: PMLR released ENLSP
    2024 and UniReps 2024 days before their workshops.

    ## Why it matters
    The dates are printed on the volume's page and go into every citation of its papers.

    ## Example
    The dates of the workshop swapped:

        error PMLR003 line 10 the workshop ends (2026-04-27) before it starts (2026-04-28)

    ## How to fix
    Fix the typo, usually a month or a year.
    """
    if not pmlr_volume(bib):
        return
    entry = bib.proceedings[0]
    start, end, published = (_iso_date(entry.get(name)) for name in DATE_FIELDS)
    if start is not None and end is not None and end < start:
        yield Violation(
            f"the workshop ends ({end.isoformat()}) before it starts ({start.isoformat()})",
            line=entry.line_of("end"),
        )
    problem = published_problem(start, end, published)
    if problem is not None:
        yield Violation(
            f"`published`: {problem.message}",
            line=entry.line_of("published"),
            severity=None if problem.serious else Severity.WARNING,
        )


@rule(
    "PMLR019",
    "sections",
    Severity.ERROR,
    fix="Write `sections = {name=Title|name=Title}` (two or more) in `@Proceedings`, and give "
    "each paper's `section` one of those names.",
    subject="bib",
)
def sections(bib: BibFile) -> Iterator[Violation]:
    """A malformed `sections` field, or a paper's `section` that it does not define.

    ## What it catches
    A `sections` field of `@Proceedings` that is not `name=Title|name=Title` (a `name` alone
    is a section titled by its name, as PMLR reads it), defines fewer than two sections or a
    name twice; and a paper whose `section` is not one of the names
    (or that has a `section` while the volume defines none).

    ## Why it matters
    PMLR groups the volume's page by these sections; a paper with an unknown section is
    left out of the listing or the volume is sent back.

    ## Example
    A paper's section given by its title instead of its name:

        error PMLR019 line 31 `rahman26a` is in section `Tiny Papers`, which `sections` does not
        define (defined: `bad name`, `long`, `tiny`)

    ## How to fix
    Define every section once in `sections`, and use its name (not its title) in each
    paper's `section`.
    """
    if not pmlr_volume(bib):
        return
    defined = bib.proceedings[0].field("sections")
    names: set[str] = set()

    def definitions(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
        parts = [part.strip() for part in found.value.split("|")]
        for part in parts:
            # `name` alone is a section whose title is its name, as PMLR reads it.
            name, equals, title = (item.strip() for item in part.partition("="))
            if not name or (equals and not title) or "=" in title:
                yield FieldProblem(f"section `{part}` is not `name=Title`")
            elif not is_section_name(name):
                yield FieldProblem(
                    f"section name `{name}` holds `|`, `=`, braces, `%` or characters outside ASCII"
                )
            elif name in names:
                yield FieldProblem(f"section `{name}` is defined twice")
            else:
                names.add(name)
        if len(parts) < 2:
            yield FieldProblem(
                "`sections` defines fewer than two sections; leave it out for a single one"
            )

    def membership(entry: BibEntry, section: BibField) -> Iterator[FieldProblem]:
        value = section.value.strip()
        if defined is None:
            yield FieldProblem(
                f"`{entry.key}` is in section `{value}`, but `@Proceedings` defines no `sections`"
            )
        elif value not in names:
            known = ", ".join(f"`{name}`" for name in sorted(names)) or "none"
            yield FieldProblem(
                f"`{entry.key}` is in section `{value}`, which `sections` does not define "
                f"(defined: {known})"
            )

    # The definitions first: the papers' sections are judged against the names they collect.
    yield from field_violations(bib.proceedings[:1], definitions, ("sections",), empty=True)
    yield from field_violations(bib.papers, membership, ("section",), empty=True)


def _iso_date(value: str) -> date | None:
    match = ISO_DATE.match(value.strip())
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
