"""Rules about the works of a reference list: each entry complete for its type, each work once."""

from __future__ import annotations

from collections.abc import Iterator

from proceedings.bib.ids import arxiv_ids, dois
from proceedings.bib.model import BibEntry, BibFile
from proceedings.bib.text import comparable, family_name, split_names
from proceedings.report import Severity
from proceedings.rules import Violation, rule
from proceedings.rules.bib_walk import entry_year, reference_list

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
    if not reference_list(bib):
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
    if not reference_list(bib):
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
    years = entry_year(one), entry_year(other)
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
