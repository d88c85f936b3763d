"""Rules about BibTeX files: syntax and keys in any .bib, and the entries of reference lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from proceedings.bib.ids import arxiv_ids, doi_problem, dois
from proceedings.bib.model import BibEntry, BibFile
from proceedings.bib.text import comparable, family_name, split_names
from proceedings.checks import Violation, rule
from proceedings.report import Severity

# Required fields of the standard BibTeX entry types (btxdoc), with biblatex's alternatives:
# each item is one requirement, met by any of the names separated by `|`.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal|journaltitle", "year|date"),
    "book": ("author|editor", "title", "publisher", "year|date"),
    "booklet": ("title",),
    "conference": ("author", "title", "booktitle", "year|date"),
    "inbook": ("author|editor", "title", "chapter|pages", "publisher", "year|date"),
    "incollection": ("author", "title", "booktitle", "publisher", "year|date"),
    "inproceedings": ("author", "title", "booktitle", "year|date"),
    "manual": ("title",),
    "mastersthesis": ("author", "title", "school|institution", "year|date"),
    "misc": ("title",),
    "phdthesis": ("author", "title", "school|institution", "year|date"),
    "proceedings": ("title", "year|date"),
    "techreport": ("author", "title", "institution", "year|date"),
    "unpublished": ("author", "title", "note"),
    # biblatex types that BibTeX styles treat as `misc`
    "online": ("title", "url|doi|eprint"),
    "thesis": ("author", "title", "school|institution", "year|date"),
    "report": ("author", "title", "institution", "year|date"),
}
YEAR = re.compile(r"^\d{4}$")
# biblatex types that are not works: `@xdata` holds fields for other entries, `@set` groups them.
NOT_WORKS = ("xdata", "set")
# biblatex gives a `crossref` child its parent's `title` under the name the child's type reads.
PARENT_TITLE_AS = {
    "proceedings": "booktitle",
    "book": "booktitle",
    "collection": "booktitle",
    "reference": "booktitle",
    "periodical": "journaltitle",
}


def _reference_list(bib: BibFile) -> bool:
    return bib.load_error is None and not bib.is_pmlr_volume


@rule(
    "BIB001",
    "unreadable-bib",
    Severity.ERROR,
    fix="Save the file as UTF-8 text with a `.bib` name and check the path.",
    subject="bib",
)
def unreadable_bib(bib: BibFile) -> Iterator[Violation]:
    """The .bib file cannot be read: missing, a folder, not UTF-8 or not text.

    ## What it catches
    A path that does not exist or is a folder, a file that cannot be read, and a file that is
    not UTF-8 text (Latin-1 or Windows-1252 files from old editors, or a binary file).

    ## Why it matters
    Nothing else in the file can be checked. BibTeX itself reads bytes and lets wrong
    encodings through to the PDF as garbled accents, and PMLR's tools expect UTF-8.

    ## Example
    A reference list saved in Latin-1:

        error BIB001 line 2 latin1.bib is not UTF-8 (byte 0xfc on line 2)

    ## How to fix
    Re-save the file as UTF-8 (most editors offer it under "Save with encoding"), or write
    accents as LaTeX (`K\\"{o}ller`) and keep the file ASCII.
    """
    if bib.load_error is not None:
        yield Violation(bib.load_error, line=bib.load_error_line)


@rule(
    "BIB002",
    "syntax-error",
    Severity.ERROR,
    fix="Fix the entry at that line: balance its braces and quotes, and separate fields with "
    "commas.",
    subject="bib",
)
def syntax_error(bib: BibFile) -> Iterator[Violation]:
    """An entry BibTeX cannot read: unbalanced braces, a missing comma, a bad key.

    ## What it catches
    Entries whose braces or quotes never close, a missing comma between two fields (the
    second field is swallowed by the first), a missing `=`, an empty value, text after a
    value, a key with spaces or braces, a field name that is not a word, a `%` line inside
    an entry (BibTeX has no comments there: it drops the rest of the entry), and a `}` too
    many that ends an entry early (the fields after it are silently lost). Each is reported
    at the line where the entry or field starts; the entries around a broken one are still
    read and checked.

    ## Why it matters
    BibTeX skips a broken entry, or worse, merges the rest of the file into it: citations
    come out as `[?]` or with fields from another entry, often without an error in the LaTeX
    log that anyone reads.

    ## Known problems
    A broken entry that runs into the next one is reported once, at its start; the message
    names the line where reading gave up. Entries inside `@comment{...}` are read and checked
    like the others, because BibTeX reads them (biber does not).

    ## Example
    A missing comma after a field:

        error BIB002 line 23 entry `nocomma`, field `author`: text after the value: `title = {The
        Title Is Swallowed by th...` (a missing comma or quotes?)

    ## How to fix
    Open the file at the line given and balance the braces and quotes of that entry; put a
    comma after every field; quote values with spaces in `{...}`.
    """
    for problem in bib.syntax_errors:
        yield Violation(problem.message, line=problem.line)


@rule(
    "BIB003",
    "duplicate-key",
    Severity.ERROR,
    fix="Give each entry its own key, or delete the copy and keep one entry.",
    subject="bib",
)
def duplicate_key(bib: BibFile) -> Iterator[Violation]:
    """Two entries with the same key (keys differing only in case count as the same).

    ## What it catches
    An entry whose key was already used by an earlier entry of the file, compared without
    case as BibTeX does (`Vaswani2017` and `vaswani2017` clash).

    ## Why it matters
    BibTeX keeps the first entry and ignores the second; biber stops with an error. Every
    citation of the key shows the first entry, even when the author meant the second. In a
    PMLR volume the key is also the PDF's name, so two papers would share one file.

    ## Known problems
    Entries inside `@comment{...}` count: BibTeX reads them as if the comment were not there
    (biber skips them), so a copy "commented out" that way still clashes.

    ## Example
    Two entries with one key:

        error BIB003 line 15 key `smith2020` is used again (first on line 1)

    ## How to fix
    Delete the copy, or rename one key and update the `\\cite` commands that mean it.
    """
    first: dict[str, BibEntry] = {}
    for entry in bib.entries:
        if not entry.key:
            continue
        earlier = first.get(entry.key.lower())
        if earlier is None:
            first[entry.key.lower()] = entry
        else:
            where = f"line {earlier.line}"
            if earlier.in_comment or entry.in_comment:
                where += ", inside a `@comment`, which does not hide entries from BibTeX"
            if earlier.key == entry.key:
                message = f"key `{entry.key}` is used again (first on {where})"
            else:
                message = (
                    f"key `{entry.key}` differs only in case from `{earlier.key}` ({where}); "
                    "BibTeX treats them as one"
                )
            yield Violation(message, line=entry.line)


@rule(
    "BIB004",
    "duplicate-field",
    Severity.WARNING,
    fix="Keep one copy of the field and delete the other.",
    subject="bib",
)
def duplicate_field(bib: BibFile) -> Iterator[Violation]:
    """An entry that gives the same field twice.

    ## What it catches
    Two `title` (or any other) fields in one entry, often left by merging two exports.

    ## Why it matters
    BibTeX uses the first and ignores the second with a warning; biber keeps one of them.
    The one printed may not be the one that was corrected.

    ## Example
    An entry merged from two exports:

        warning BIB004 line 6 entry `smith2020` gives `title` again (first on line 3); BibTeX keeps
        the first

    ## How to fix
    Delete the copy you do not want.
    """
    for entry in bib.entries:
        for repeated in entry.repeated_fields:
            first = entry.fields[repeated.name]
            same = " with the same value" if first.value == repeated.value else ""
            yield Violation(
                f"entry `{entry.key}` gives `{repeated.name}` again{same} "
                f"(first on line {first.line}); BibTeX keeps the first",
                line=repeated.line,
            )


@rule(
    "BIB005",
    "undefined-string",
    Severity.ERROR,
    fix="Put the value in braces (`{July}`), or define the macro with `@string` first.",
    subject="bib",
)
def undefined_string(bib: BibFile) -> Iterator[Violation]:
    """A value that names an `@string` macro the file never defines.

    ## What it catches
    An unquoted word as a value (`month = july`, `journal = jmlr`) that is neither defined by
    an `@string` in the file nor one of BibTeX's own macros (`jan` ... `dec`, and the journal
    abbreviations of the standard styles).

    ## Why it matters
    BibTeX warns and prints the field as empty: the reference loses its month, journal or
    publisher.

    ## Known problems
    Macros defined in another .bib that the document loads first are reported; check the
    files together, or put the value in braces.

    ## Example
    An unquoted month:

        error BIB005 line 16 entry `jones2021`, field `month`: `july` is not a defined @string

    ## How to fix
    Write the value in braces (`month = {July}`), or use the predefined three-letter month
    macros (`month = jul`).
    """
    for problem in bib.undefined_strings:
        yield Violation(problem.message, line=problem.line)


@rule(
    "BIB006",
    "missing-field",
    Severity.WARNING,
    fix="Add the missing fields, or change the entry type to the one that fits the work.",
    subject="bib",
)
def missing_field(bib: BibFile) -> Iterator[Violation]:
    """An entry without a field its type requires (an article without a journal).

    ## What it catches
    Entries of a reference list that lack a field the standard BibTeX styles require for
    their type: `author`, `title`, `journal`, `year` for `@article`; `author`, `title`,
    `booktitle`, `year` for `@inproceedings`; `title` for `@misc`; and so on (biblatex's
    `date` and `journaltitle` count for `year` and `journal`). A field present but empty
    counts as missing. Entries of other types need a `title`, and every entry needs a year:
    the author-year styles of ML venues (natbib) cite as "Author (year)".

    ## Why it matters
    BibTeX prints such entries incomplete (a journal article without its journal, a citation
    "Kang et al. (n.d.)") with a warning that is easy to miss among many.

    ## Known problems
    Fields inherited through `crossref` and biblatex's `xdata` count as present, and a
    parent's `title` counts as the `booktitle` of its child (the `journaltitle` when the parent
    is a `@periodical`), as biblatex reads them; BibTeX needs the `booktitle` in the parent
    itself, and a parent written before its child. biblatex's `@xdata` and `@set` entries are
    not works and need nothing. A `@misc` entry for a web page without a date is reported for
    its missing year even where that is on purpose.

    ## Example
    An article without its journal:

        warning BIB006 line 1 `@article` entry `noJournal` lacks `journal`

    ## How to fix
    Complete the entry from the publisher's page or DBLP. An arXiv preprint is an
    `@article` with `journal = {arXiv preprint arXiv:2305.12345}`, or a `@misc` with
    `eprint` and `archivePrefix = {arXiv}`.
    """
    if not _reference_list(bib):
        return
    by_key = {entry.key.lower(): entry for entry in bib.entries}
    for entry in bib.entries:
        if entry.type in NOT_WORKS:
            continue
        sources = _sources(entry, by_key)
        required = REQUIRED_FIELDS.get(entry.type, ("title",))
        if not any("year" in item.split("|") for item in required):
            required = (*required, "year|date")
        missing = [
            item.split("|")[0]
            for item in required
            if not any(_has(entry, name, sources) for name in item.split("|"))
        ]
        if missing:
            names = ", ".join(f"`{name}`" for name in missing)
            yield Violation(
                f"`@{entry.type}` entry `{entry.key}` lacks {names}",
                line=entry.line,
            )


@rule(
    "BIB007",
    "duplicate-work",
    Severity.WARNING,
    fix="Keep one entry for the work and cite it by that key everywhere.",
    subject="bib",
)
def duplicate_work(bib: BibFile) -> Iterator[Violation]:
    """The same work under two keys: the same DOI, arXiv identifier or title.

    ## What it catches
    Two entries with different keys that share a DOI, an arXiv identifier (versions
    ignored), or a title (compared on letters and digits only, LaTeX and accents read as
    text).

    ## Why it matters
    The reference list shows the work twice, often once as the preprint and once as the
    published paper, with different years, which reviewers notice.

    ## Known problems
    Two different works with the same title are reported when they share their first
    author's family name or their year (a book and its second edition, a paper and its
    workshop version cited on purpose). Same titles with other first authors in other years
    ("Deep learning", LeCun et al. 2015 and Goodfellow et al. 2016) are taken as different
    works, so the same work with its authors mangled and its year changed is missed.

    ## Example
    A preprint cited a second time under another key and title:

        warning BIB007 line 15 `transformer` has the same arXiv identifier `1706.03762` as
        `vaswani2017arxiv` (line 1)

    ## How to fix
    Keep the entry of the published version, delete the other, and change the `\\cite`
    commands that used its key.
    """
    if not _reference_list(bib):
        return
    seen: dict[tuple[str, str], list[BibEntry]] = {}
    for entry in bib.entries:
        marks = [("DOI", doi) for doi in dois(entry)]
        marks += [("arXiv identifier", item.bare) for item in arxiv_ids(entry) if not item.problem]
        title = comparable(entry.get("title"))
        if len(title) >= 8:
            marks.append(("title", title))
        reported = False
        for mark in marks:
            earlier_entries = seen.setdefault(mark, [])
            earlier = next(
                (
                    other
                    for other in earlier_entries
                    if other.key.lower() != entry.key.lower()
                    and (mark[0] != "title" or _may_be_one_work(other, entry))
                ),
                None,
            )
            earlier_entries.append(entry)
            if earlier is not None and not reported:
                what = mark[0] if mark[0] == "title" else f"{mark[0]} `{mark[1]}`"
                yield Violation(
                    f"`{entry.key}` has the same {what} as `{earlier.key}` (line {earlier.line})",
                    line=entry.line,
                )
                reported = True


def _may_be_one_work(one: BibEntry, other: BibEntry) -> bool:
    """Whether two entries with the same title may be one work.

    Different works share short titles ("Deep learning": LeCun, Bengio and Hinton in Nature
    in 2015, Goodfellow, Bengio and Courville's book of 2016). Two entries are taken as
    different works when their first authors (else editors) differ and so do their years; the
    same work under two keys keeps its first author (the preprint and the paper) or its year
    (`{OpenAI}` and `Achiam, Josh and others` for one report).
    """
    first, second = _first_author(one), _first_author(other)
    if not first or not second or first & second:
        return True
    years = _year(one), _year(other)
    return None in years or years[0] == years[1]


def _first_author(entry: BibEntry) -> set[str]:
    """The family name of the entry's first author (else editor): whole and its last word.

    `van den Brand, Jan`, `{van den Brand}, Jan` and `Jan van den Brand` all give `brand`.
    """
    names = split_names(entry.get("author") or entry.get("editor")).names
    family = family_name(names[0].text) if names else ""
    words = family.replace("{", " ").replace("}", " ").split()
    found = {comparable(family), comparable(words[-1]) if words else ""}
    return {name for name in found if name}


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
    if not _reference_list(bib):
        return
    limit = date.today().year + 1
    for entry in bib.entries:
        year = _year(entry)
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
    if not _reference_list(bib):
        return
    for entry in bib.entries:
        found = entry.field("year")
        if found is None:
            continue
        value = found.value.strip().strip("{}").strip()
        if value and not YEAR.match(value):
            yield Violation(
                f"entry `{entry.key}` has year `{value}`, not four digits", line=found.line
            )


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
    if not _reference_list(bib):
        return
    for entry in bib.entries:
        found = entry.field("doi")
        if found is None or not found.value.strip():
            continue
        problem = doi_problem(found.value)
        if problem is not None:
            yield Violation(
                f"entry `{entry.key}`: DOI `{found.value.strip()}` {problem}",
                line=found.line,
            )


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
    if not _reference_list(bib):
        return
    for entry in bib.entries:
        for item in arxiv_ids(entry):
            if item.problem is None:
                continue
            found = entry.field(item.field)
            line = found.line_of(item.text) if found is not None else entry.line
            yield Violation(
                f"entry `{entry.key}`: arXiv identifier `{item.text}` in `{item.field}`: "
                f"{item.problem}",
                line=line,
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
    if not _reference_list(bib):
        return
    for entry in bib.entries:
        year = _year(entry)
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


def _sources(entry: BibEntry, by_key: dict[str, BibEntry]) -> list[tuple[BibEntry, bool]]:
    """The entries `entry` takes fields from, each with whether it is a `crossref` parent.

    `crossref` (BibTeX and biblatex) and `xdata` (biblatex, a comma-separated list of keys)
    are followed through any number of steps, each entry once.
    """
    found: list[tuple[BibEntry, bool]] = []
    seen = {entry.key.lower()}
    pending = [entry]
    while pending:
        current = pending.pop(0)
        links = [(current.get("crossref"), True)]
        links += [(key, False) for key in current.get("xdata").split(",")]
        for key, is_parent in links:
            source = by_key.get(key.strip().lower())
            if source is None or source.key.lower() in seen:
                continue
            seen.add(source.key.lower())
            found.append((source, is_parent))
            pending.append(source)
    return found


def _has(entry: BibEntry, name: str, sources: list[tuple[BibEntry, bool]]) -> bool:
    """Whether `entry` has field `name`, itself or from the entries it inherits from."""
    if entry.get(name):
        return True
    for source, is_parent in sources:
        if source.get(name):
            return True
        if is_parent and PARENT_TITLE_AS.get(source.type) == name and source.get("title"):
            return True
    return False


def _year(entry: BibEntry) -> int | None:
    for name in ("year", "date"):
        value = entry.get(name).strip("{} ")
        match = re.match(r"^(\d{4})", value)
        if match:
            return int(match.group(1))
    return None


def _year_line(entry: BibEntry) -> int:
    return entry.line_of("year") if entry.field("year") is not None else entry.line_of("date")
