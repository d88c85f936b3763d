"""Rules about the pages of a PMLR volume file and the PDFs beside it: each paper's range, the
ranges together, and one PDF of the right length per paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from proceedings.bib.folder import pages_or_problem, pdf_files
from proceedings.bib.model import BibEntry, BibField, BibFile
from proceedings.report import Severity
from proceedings.rules import Violation, rule
from proceedings.rules.bib_walk import FieldProblem, field_violations, pmlr_volume

PAGES = re.compile(r"^(\d+)-(\d+)$")


@rule(
    "PMLR013",
    "page-range",
    Severity.ERROR,
    fix="Write the pages as `first-last` with one hyphen, e.g. `pages = {13-19}`.",
    subject="bib",
)
def page_range(bib: BibFile) -> Iterator[Violation]:
    """A `pages` field that is not a range `N-M` with `N <= M`.

    ## What it catches
    Page fields such as `13--19`, `13 - 19`, `13`, `pp. 13-19`, `19-13` or `0-4`.

    ## Why it matters
    PMLR prints the range in every citation of the paper and expects one hyphen; a range
    that runs backwards or starts at 0 cannot be right.

    ## Example
    A range written with two hyphens:

        error PMLR013 line 27 pages `11--12` of `dashes26a`: PMLR wants `11-12`

    ## How to fix
    Write `first-last` with a single hyphen; the first paper of the volume starts at 1.
    """
    if pmlr_volume(bib):
        yield from field_violations(bib.papers, _range_problem, ("pages",))


def _range_problem(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    value = found.value.strip()
    parsed = _pages(value)
    if parsed is not None:
        first, last = parsed
        if first < 1:
            yield FieldProblem(f"pages `{value}` of `{entry.key}` start at 0")
        elif last < first:
            yield FieldProblem(f"pages `{value}` of `{entry.key}` run backwards")
        return
    loose = re.match(r"^(\d+)\s*(?:-+|\u2013|\u2014)\s*(\d+)$", value)
    if loose:
        yield FieldProblem(
            f"pages `{value}` of `{entry.key}`: PMLR wants `{loose.group(1)}-{loose.group(2)}`"
        )
    else:
        yield FieldProblem(f"pages `{value}` of `{entry.key}` are not a range `N-M`")


@rule(
    "PMLR014",
    "overlapping-pages",
    Severity.ERROR,
    fix="Renumber the page ranges so that each paper starts right after the previous one.",
    subject="bib",
)
def overlapping_pages(bib: BibFile) -> Iterator[Violation]:
    """Two papers share pages, or a range goes back before the previous paper's.

    ## What it catches
    Page ranges, in file order, that overlap an earlier paper's range (PMLR volume 296
    gives one paper pages 90-130 and the next 130-140) or start before the previous paper
    ends.

    ## Why it matters
    Page numbers identify a paper in citations of the volume; two papers with page 130 make
    those ambiguous, and one of the ranges no longer matches its PDF.

    ## Example
    Two papers given page 10:

        error PMLR014 line 34 pages 10-14 of `overlap26a` overlap pages 3-10 of `first26a` (line 17)

    ## How to fix
    Recompute the ranges from the PDFs' page counts: each paper starts on the page after
    the previous one ends.
    """
    if not pmlr_volume(bib):
        return
    earlier: list[tuple[BibEntry, int, int]] = []
    for entry, first, last in _ranges(bib):
        clash = next((item for item in earlier if item[1] <= last and first <= item[2]), None)
        if clash is not None:
            yield Violation(
                f"pages {first}-{last} of `{entry.key}` overlap pages {clash[1]}-{clash[2]} of "
                f"`{clash[0].key}` (line {clash[0].line})",
                line=entry.line_of("pages"),
            )
        elif earlier and first <= earlier[-1][2]:
            previous = earlier[-1]
            yield Violation(
                f"pages {first}-{last} of `{entry.key}` come before those of the previous "
                f"paper `{previous[0].key}` ({previous[1]}-{previous[2]})",
                line=entry.line_of("pages"),
            )
        earlier.append((entry, first, last))


@rule(
    "PMLR015",
    "page-gap",
    Severity.WARNING,
    fix="Renumber the ranges so that they run on without gaps, starting at page 1.",
    subject="bib",
)
def page_gap(bib: BibFile) -> Iterator[Violation]:
    """Page ranges that skip pages, or a first paper that does not start on page 1.

    ## What it catches
    A paper whose range starts more than one page after the previous paper ends, in file
    order, and a first paper starting on another page than 1.

    ## Why it matters
    PMLR numbers the papers of a volume consecutively; a gap usually means a paper was
    removed or a page count was wrong, and the ranges no longer match the PDFs.

    ## Known problems
    A volume continued from an earlier part may start after page 1 on purpose.

    ## Example
    Two pages that belong to no paper:

        warning PMLR015 line 41 pages 15-16 belong to no paper: `overlap26a` ends on page 14 and
        `gap26a` starts on page 17

    ## How to fix
    Recompute the ranges from the PDFs' page counts.
    """
    if not pmlr_volume(bib):
        return
    previous: tuple[BibEntry, int, int] | None = None
    for entry, first, last in _ranges(bib):
        if previous is None and first != 1:
            yield Violation(
                f"the first paper `{entry.key}` starts on page {first}, not 1",
                line=entry.line_of("pages"),
            )
        elif previous is not None and first > previous[2] + 1:
            missing = (
                str(previous[2] + 1)
                if first == previous[2] + 2
                else f"{previous[2] + 1}-{first - 1}"
            )
            yield Violation(
                f"pages {missing} belong to no paper: `{previous[0].key}` ends on page "
                f"{previous[2]} and `{entry.key}` starts on page {first}",
                line=entry.line_of("pages"),
            )
        if previous is None or last > previous[2]:
            previous = (entry, first, last)


@rule(
    "PMLR016",
    "missing-pdf",
    Severity.ERROR,
    fix="Put each paper's PDF beside the .bib, named exactly `<key>.pdf` (same case).",
    subject="bib",
)
def missing_pdf(bib: BibFile) -> Iterator[Violation]:
    """A paper without its `<key>.pdf` beside the .bib (checked when the folder holds PDFs).

    ## What it catches
    When the .bib's folder (or a sub-folder) holds PDFs: a paper whose key has no PDF of
    exactly that name in the same folder. The message says when the PDF is there under
    another case (`Toner26a.pdf`, `toner26a.PDF`) or in a sub-folder (`pdf/toner26a.pdf`).

    ## Why it matters
    PMLR takes one flat folder and finds each paper's PDF by its key; its servers tell case
    apart. Published volumes have shipped with PDFs in sub-folders and names in the wrong
    case, leaving papers without their PDF.

    ## Known problems
    A .bib in a folder without any PDF is not checked, since the PDFs are often assembled
    later.

    ## Example
    A PDF named in another case than its key:

        error PMLR016 line 23 the PDF of `case26a` is named `Case26a.pdf`; PMLR wants `case26a.pdf`
        (names differ only in case)

    ## How to fix
    Move the PDFs next to the .bib and rename them to `<key>.pdf`, all lower case as the key.
    """
    if not pmlr_volume(bib):
        return
    files = pdf_files(bib)
    if not files.any:
        return
    for entry in bib.papers:
        match = _pdf_for(entry.key, files.flat, files.nested)
        wanted = f"{entry.key}.pdf"
        if match.exact:
            continue
        if match.path is None:
            message = f"no `{wanted}` beside the .bib for `{entry.key}`"
        elif "/" in match.path:
            message = (
                f"the PDF of `{entry.key}` is `{match.path}`, in a sub-folder; PMLR wants "
                f"`{wanted}` beside the .bib"
            )
        else:
            message = (
                f"the PDF of `{entry.key}` is named `{match.path}`; PMLR wants `{wanted}` "
                "(names differ only in case)"
            )
        yield Violation(message, line=entry.line)


@rule(
    "PMLR017",
    "pdf-page-count",
    Severity.ERROR,
    fix="Set the range to the PDF's real length (`last - first + 1` pages), and renumber the "
    "papers after it.",
    subject="bib",
)
def pdf_page_count(bib: BibFile) -> Iterator[Violation]:
    """A page range whose length differs from the PDF's page count, or a PDF that won't open.

    ## What it catches
    For each paper with a PDF (see PMLR016) and a valid range: a range of `last - first +
    1` pages that differs from the number of pages of the PDF, and a PDF that cannot be
    opened (damaged, empty, protected by a password).

    ## Why it matters
    PMLR does not restamp PDFs: the ranges in the volume are what citations use, and they
    must match the papers as published. A PDF that does not open is not published.

    ## Example
    A range of two pages for a PDF of three:

        error PMLR017 line 47 pages 7-8 of `short26a` make 2 pages, but `short26a.pdf` has 3

    ## How to fix
    Correct the range from the PDF's page count and shift the following papers; replace a
    damaged PDF.
    """
    if not pmlr_volume(bib):
        return
    files = pdf_files(bib)
    if not files.any:
        return
    for entry in bib.papers:
        match = _pdf_for(entry.key, files.flat, files.nested)
        if match.path is None:
            continue
        count = pages_or_problem(bib, match.path)
        if isinstance(count, str):
            yield Violation(f"`{match.path}` of `{entry.key}`: {count}", line=entry.line)
            continue
        parsed = _pages(entry.get("pages"))
        if parsed is None or parsed[1] < parsed[0]:
            continue
        length = parsed[1] - parsed[0] + 1
        if length != count:
            yield Violation(
                f"pages {parsed[0]}-{parsed[1]} of `{entry.key}` make {length} "
                f"page{'s' if length != 1 else ''}, but `{match.path}` has {count}",
                line=entry.line_of("pages"),
            )


@rule(
    "PMLR018",
    "stray-pdf",
    Severity.WARNING,
    fix="Remove PDFs that belong to no paper, or add the paper's entry to the .bib.",
    subject="bib",
)
def stray_pdf(bib: BibFile) -> Iterator[Violation]:
    """A PDF in the volume's folder that belongs to no paper of the .bib.

    ## What it catches
    PDFs beside the .bib (or in its sub-folders) whose name is no paper's key, in any case,
    and not a supplement `<key>-supp.pdf`.

    ## Why it matters
    Usually a paper renamed in the .bib but not on disk, or a withdrawn paper; uploaded as
    it is, the volume carries a file no page links to.

    ## Example
    A PDF left over from a renamed paper:

        warning PMLR018 old26a.pdf `old26a.pdf` belongs to no paper of the .bib

    ## How to fix
    Rename the PDF to its paper's key, or remove it.
    """
    if not pmlr_volume(bib):
        return
    files = pdf_files(bib)
    if not files.any:
        return
    claimed = {
        match.path
        for entry in bib.papers
        if (match := _pdf_for(entry.key, files.flat, files.nested)).path is not None
    }
    keys = {entry.key.lower() for entry in bib.papers}
    for path in (*files.flat, *files.nested):
        stem = path.rsplit("/", 1)[-1][: -len(".pdf")].lower()
        if path in claimed or (stem.endswith("-supp") and stem[: -len("-supp")] in keys):
            continue
        yield Violation(f"`{path}` belongs to no paper of the .bib", file=str(bib.folder / path))


def _pages(value: str) -> tuple[int, int] | None:
    match = PAGES.match(value.strip())
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def _ranges(bib: BibFile) -> Iterator[tuple[BibEntry, int, int]]:
    """The papers with a valid page range, in file order."""
    for entry in bib.papers:
        parsed = _pages(entry.get("pages"))
        if parsed is not None and 1 <= parsed[0] <= parsed[1]:
            yield entry, parsed[0], parsed[1]


@dataclass(frozen=True)
class _PdfMatch:
    path: str | None  # relative to the .bib's folder
    exact: bool


def _pdf_for(key: str, flat: tuple[str, ...], nested: tuple[str, ...]) -> _PdfMatch:
    wanted = f"{key}.pdf"
    if wanted in flat:
        return _PdfMatch(wanted, True)
    for path in flat:
        if path.lower() == wanted.lower():
            return _PdfMatch(path, False)
    for path in nested:
        if path.rsplit("/", 1)[-1].lower() == wanted.lower():
            return _PdfMatch(path, False)
    return _PdfMatch(None, False)
