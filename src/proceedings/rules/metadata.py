"""Rules comparing a paper's metadata (papers.yaml) with its PDF, and with what PMLR accepts."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from proceedings.names import (
    PrintedText,
    find_name,
    glued_span,
    has_organisation_word,
    nearest_name,
    printed_text,
    unlisted_names,
)
from proceedings.pdf.layout import Document, Line, Page
from proceedings.report import Severity
from proceedings.rules import CheckedPaper, Violation, rule
from proceedings.texts import match_key, split_name
from proceedings.volume import Author


@rule(
    "META001",
    "title-mismatch",
    Severity.ERROR,
    fix="Make the title in papers.yaml and the title in the PDF the same.",
)
def title_mismatch(paper: CheckedPaper) -> Iterator[Violation]:
    """The title in the metadata is not the title on the PDF's first page.

    ## What it catches
    A metadata title that does not appear above the abstract on page 1 of the PDF, compared
    without case, accents, punctuation, spaces, hyphenation or line breaks, with `&` read as
    "and". A title whose metadata adds a trailing label the PDF does not print ("(Extended
    Abstract)") is left to META004.

    ## Why it matters
    PMLR prints the metadata title on the paper's page and in the index; a past volume of this
    workshop published a paper under another paper's title.

    ## Known problems
    A title whose PDF version has math typeset differently (`$\\alpha$` against α) may be
    reported. On a page without an abstract heading, the top half of the page is searched.

    ## Example
    papers.yaml lost a word of the title:

        error META001 page 1 title 'Asking Twice Does Not Help: Self-Correction in Code Repair' is
        not on the PDF's first page; the PDF's title reads 'Asking Twice Does Not Help: Intrinsic
        Self-Correction in Code Repair'

    ## How to fix
    Correct whichever of the two is out of date.
    """
    meta, document = paper.meta, paper.document
    if meta is None or document is None or not meta.title or not _has_text(document):
        return
    block = _title_block(paper)
    if _title_key(meta.title) in block.title_key:
        return
    labelled = _LABEL.match(meta.title)
    if labelled and _title_key(labelled.group("title")) in block.title_key:
        return  # META004 reports the label
    printed = _printed_title(document)
    said = f"; the PDF's title reads {printed!r}" if printed else ""
    yield Violation(f"title {meta.title!r} is not on the PDF's first page{said}", page=1)


@rule(
    "META002",
    "author-missing",
    Severity.ERROR,
    fix="Make the author list in papers.yaml match the PDF's author block.",
)
def author_missing(paper: CheckedPaper) -> Iterator[Violation]:
    """An author in the metadata does not appear on the PDF's first page, or the other way round.

    ## What it catches
    An author whose `name` (or `latin` spelling) cannot be found above the abstract on page 1
    in any of the forms META004 accepts as another spelling of the same person: the family
    name is not printed, or it is printed with other given names ("Mary Smith" for "John
    Smith"). When a printed name comes close in letters (a typo, a name wrapped onto the next
    line), the finding quotes it. And a name printed in the author block that no author of
    papers.yaml accounts for: an author left out of the metadata. When one person stands in
    another's place, one finding names both.

    ## Why it matters
    The metadata is what PMLR and indexes publish; an author missing from the PDF or from the
    metadata, or the wrong person listed, is a correction after publication. A published
    volume of another workshop left out its fifth author this way.

    ## Known problems
    A name the text layer garbles (a font without a Unicode map) cannot be found. A family
    name printed differently, not just accented or hyphenated differently ("Mueller" aside
    for "Müller"), is reported here. The author block is read from the lines set in the
    face of the names found: a name set in another face than the others is not seen, and an
    affiliation in the names' face that has no word of an institution's name ("Google
    DeepMind" beside "University") may be taken for a name. A single-word name printed
    without its author in papers.yaml is not seen.

    ## Example
    papers.yaml names another person than the PDF:

        error META002 page 1 author 3 'Kwame Asante' is not on the PDF's first page; it prints
        'Kwame Mensah' instead, who is not in papers.yaml

    ## How to fix
    Correct the author's name in papers.yaml or in the PDF, or add the missing author.
    """
    meta, document = paper.meta, paper.document
    if meta is None or document is None or not _has_text(document):
        return
    block = _title_block(paper)
    missing = [
        (number, author, nearest_name(author.name, block.names))
        for number, author in enumerate(meta.authors, start=1)
        if _lookup(block, number, author).printed is None
    ]
    quoted = [match_key(near) for _, _, near in missing if near]
    unlisted = [
        name
        for name in _unlisted_authors(paper, block, meta.authors)
        if not any(match_key(name) in near or near in match_key(name) for near in quoted)
    ]
    for number, author, near in missing:
        if near:
            said = f"; the closest name printed is {near!r}"
        elif unlisted:  # one person put in another's place: one finding for both sides
            said = f"; it prints {unlisted.pop(0)!r} instead, who is not in papers.yaml"
        else:
            said = ""
        yield Violation(
            f"author {number} {author.name!r} is not on the PDF's first page{said}", page=1
        )
    for name in unlisted:
        yield Violation(
            f"{name!r} is printed among the authors on the PDF's first page but is not in "
            "papers.yaml",
            page=1,
            hint="Add the author to papers.yaml: PMLR publishes only the authors listed there.",
        )


@rule(
    "META004",
    "spelt-differently",
    Severity.WARNING,
    fix="Write it in papers.yaml as the PDF prints it, or correct the PDF.",
)
def spelt_differently(paper: CheckedPaper) -> Iterator[Violation]:
    """An author's name or the title, printed on the PDF's first page in another form.

    ## What it catches
    An author printed with middle names or initials that the metadata lacks, or the other way
    round ("Timothy M. Hospedales" for "Timothy Hospedales", "A. M. García" for "Ana María
    García"), with a shortened given name ("Kim" for "Kimberly"), with given and family names
    swapped, with part of a double family name, or with other accents or hyphens
    ("Thérien" for "Therien", "Alizadeh Vahid" for "Alizadeh-Vahid"). A metadata title
    ending in a label the PDF does not print ("(Extended Abstract)"). Each finding shows both
    spellings.

    ## Why it matters
    PMLR publishes the metadata, not the PDF: the paper's page and the indexes will spell the
    name as papers.yaml does. Usually one of the two forms is the one the author prefers.

    ## Known problems
    Case, spacing and the marks that point at affiliations are not compared. A different
    person with the same family name and a given name of which one is the other's
    abbreviation ("Jo" and "Joanna" aside: those need three letters) is taken for the same
    person.

    ## Example
    papers.yaml gives a middle initial the PDF does not print:

        warning META004 page 1 author 3 'Kwame A. Mensah' is printed 'Kwame Mensah' on the PDF's
        first page

    ## How to fix
    Write the name in papers.yaml as the author wants it published; PMLR shows no other.
    """
    meta, document = paper.meta, paper.document
    if meta is None or document is None or not _has_text(document):
        return
    block = _title_block(paper)
    if meta.title and _title_key(meta.title) not in block.title_key:
        labelled = _LABEL.match(meta.title)
        if labelled and _title_key(labelled.group("title")) in block.title_key:
            yield Violation(
                f"title {meta.title!r} is printed without {labelled.group('label')!r} "
                "on the PDF's first page",
                page=1,
                hint="PMLR prints the metadata title: drop the label from papers.yaml unless "
                "it belongs to the title.",
            )
    for number, author in enumerate(meta.authors, start=1):
        printed = _lookup(block, number, author).printed
        if printed:
            yield Violation(
                f"author {number} {author.name!r} is printed {printed!r} on the PDF's first page",
                page=1,
            )


@rule(
    "META005",
    "author-order",
    Severity.ERROR,
    fix="Put the authors in papers.yaml in the order the PDF prints them (or correct the PDF).",
)
def author_order(paper: CheckedPaper) -> Iterator[Violation]:
    """The authors of the metadata are printed on the PDF's first page in another order.

    ## What it catches
    Every author of papers.yaml is found on page 1 (META002 reports the others), but the
    page prints them in another order. Where the names stand in a grid (rows of several
    names, as NeurIPS and ICLR set long lists), reading across or down gives different
    orders, so the finding is a warning.

    ## Why it matters
    Author order is part of the citation; it is the correction authors most often ask PMLR
    for after publication, and the first author's family name makes the paper's id.

    ## Known problems
    A grid read down its columns by the authors' intention is reported as a warning. Two
    authors with the same name cannot be told apart.

    ## Example
    papers.yaml swaps the two authors of a paper that prints them on one line:

        error META005 page 1 authors printed in another order: papers.yaml 'Daniel Okoro, Sara
        Lindgren', the PDF 'Sara Lindgren, Daniel Okoro'

    ## How to fix
    Reorder the authors in papers.yaml, or in the paper's source.
    """
    meta, document = paper.meta, paper.document
    if meta is None or document is None or not _has_text(document) or len(meta.authors) < 2:
        return
    block = _title_block(paper)
    spans = [_lookup(block, number, author).span for number, author in enumerate(meta.authors, 1)]
    if any(span is None for span in spans):
        return  # META002 says who is missing; an order of some is no order
    starts = [span[0] for span in spans if span is not None]
    if len(set(starts)) < len(starts) or starts == sorted(starts):
        return
    printed = [author.name for _, author in sorted(zip(starts, meta.authors, strict=True))]
    grid = _grid(block, sorted(span for span in spans if span is not None))
    listed = ", ".join(author.name for author in meta.authors)
    yield Violation(
        f"authors printed in another order: papers.yaml {listed!r}, the PDF "
        f"{', '.join(printed)!r}" + (" (if its grid of names is read across)" if grid else ""),
        page=1,
        severity=Severity.WARNING if grid else None,
    )


def _grid(block: _TitleBlock, spans: list[tuple[int, int]]) -> bool:
    """True when the names stand in a grid: rows of the page holding several names with
    nothing but space between them (NeurIPS's `\\And`), where a list that wraps separates
    them with commas or "and"."""
    rows: list[list[tuple[int, int]]] = []
    last_top: float | None = None
    for span in spans:
        word = block.names.words[span[0]]
        if word is None:
            continue
        top = block.lines[word.row].top
        if last_top is not None and abs(top - last_top) < 3:
            rows[-1].append(span)
        else:
            rows.append([span])
            last_top = top
    if len(rows) < 2:
        return False
    return any(
        not any(word is None for word in block.names.words[left[1] + 1 : right[0]])
        for row in rows
        for left, right in itertools.pairwise(row)
    )


# A label after the title proper: "(Extended Abstract)", "[Short Paper]".
_LABEL = re.compile(r"^(?P<title>.*\S)\s*(?P<label>\([^()]+\)|\[[^\[\]]+\])\s*$", re.DOTALL)


@dataclass(frozen=True)
class _TitleBlock:
    """Page 1 above the abstract: where the title and the author names stand."""

    title_key: str
    names: PrintedText  # a row of it for each of `lines`
    lines: tuple[Line, ...]  # the block's lines, top to bottom, down to an "Editors:" line
    authors: dict[int, _Lookup] = field(default_factory=dict)  # by position in papers.yaml


@dataclass(frozen=True)
class _Lookup:
    """Where an author of the metadata stands in the title block."""

    printed: str | None  # "" when spelt as in the metadata, None when not found
    span: tuple[int, int] | None  # the words in `_TitleBlock.names`, when they are known


def _lookup(block: _TitleBlock, number: int, author: Author) -> _Lookup:
    """Author `number` of the metadata in the title block, looked up once for all rules."""
    known = block.authors.get(number)
    if known is None:
        known = block.authors[number] = _find_author(author, block)
    return known


def _find_author(author: Author, block: _TitleBlock) -> _Lookup:
    spellings = _spellings(author)
    other: _Lookup | None = None
    for name, given, family in spellings:
        found = find_name(name, given, family, block.names)
        if found is not None and found.same:
            return _Lookup("", (found.first, found.last))
        if found is not None and other is None:
            other = _Lookup(found.printed, (found.first, found.last))
    if other is not None:
        return other
    # A text layer that glued words together, or set affiliation letters on the name
    # ("Jonathan Mamoui"), leaves words to compare letter for letter.
    for name, given, family in spellings:
        span = glued_span(name, given, family, block.names)
        if span is not None:
            return _Lookup("", span)
    return _Lookup(None, None)


def _spellings(author: Author) -> list[tuple[str, str, str]]:
    """(name, given, family) of the author's name and of its `latin` spelling."""
    spellings = [(author.name, author.given, author.family)]
    if author.latin:
        parts = split_name(author.latin)
        spellings.append(
            (author.latin, parts.given if parts else "", parts.family if parts else author.latin)
        )
    return spellings


def _has_text(document: Document) -> bool:
    return bool(document.pages) and document.pages[0].has_text


def _title_key(text: str) -> str:
    return match_key(text.replace("&", " and "))


def _title_block(paper: CheckedPaper) -> _TitleBlock:
    """The title block of page 1, read once for the three rules.

    Names and titles stand above the abstract; the body below would let a family name such
    as "Other" or "Young" match any sentence.
    """
    block = _TITLE_BLOCKS.get(paper)
    if block is None:
        assert paper.document is not None
        rows = _rows_above_abstract(paper.document.pages[0])
        # A jmlr-style "Editors: ..." line, the last of the block, names the volume's editors.
        people = list(
            itertools.takewhile(lambda row: not _text(row).lower().startswith("editor"), rows)
        )
        lines = tuple(line for row in people for line in row)
        names = printed_text([line.text for line in lines])
        block = _TitleBlock(
            title_key=_title_key(" ".join(_text(row) for row in rows)),
            names=names,
            lines=lines,
        )
        _TITLE_BLOCKS[paper] = block
    return block


# The title block of each paper, read once for the META rules; gone with the paper.
_TITLE_BLOCKS: WeakKeyDictionary[CheckedPaper, _TitleBlock] = WeakKeyDictionary()


def _text(row: list[Line]) -> str:
    return " ".join(line.text for line in row)


def _unlisted_authors(
    paper: CheckedPaper, block: _TitleBlock, authors: tuple[Author, ...]
) -> list[str]:
    """Names printed in the author block that match no author of the metadata.

    The author block is the lines in the face (font and size) of the lines where the
    metadata's authors are found, title lines aside: affiliations, addresses and notes are
    usually set in other faces. Where affiliations share the names' face, only the lines
    where authors are found are read.
    """
    document = paper.document
    if document is None:
        return []
    found: list[tuple[int, int, str]] = []
    for number, author in enumerate(authors, start=1):
        span = _lookup(block, number, author).span
        if span is not None:
            found.append((span[0], span[1], f"{author.given} {author.family}"))
    rows_found = {
        word.row
        for first, last, _ in found
        for word in block.names.words[first : last + 1]
        if word is not None
    }
    if not rows_found:
        return []
    faces = {_face(document, block.lines[row]) for row in rows_found}
    title = set(_words(paper.meta.title)) if paper.meta else set()
    rows = {
        row
        for row, line in enumerate(block.lines)
        if _face(document, line) in faces and not _mostly_in(_words(line.text), title)
    }
    if any(has_organisation_word(block.lines[row].text) for row in rows - rows_found):
        rows = rows_found
    return unlisted_names(block.names, found, rows)


def _words(text: str) -> list[str]:
    return [key for key in map(match_key, text.split()) if key]


def _mostly_in(words: list[str], title: set[str]) -> bool:
    """True for a line of the title, even of a title that the metadata words otherwise."""
    return bool(words) and sum(word in title for word in words) >= len(words) / 2


def _face(document: Document, line: Line) -> tuple[str, float]:
    style = document.line_style(1, line)
    return style.font, round(style.size * 2) / 2


def _rows_above_abstract(page: Page) -> list[list[Line]]:
    """The text above the abstract heading (the top half of the page without one), in rows
    from top to bottom, each row's pieces from left to right.

    On two-column pages the reading order puts the pieces of an author line that reach into
    the right column after the left column's abstract, so the block goes by position.
    """
    heading = _abstract_heading(page)
    if heading is not None:
        lines = [line for line in page.lines if line.bottom <= heading.top + 1]
    else:
        lines = [line for line in page.lines if line.top < page.height / 2]
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda item: item.top):
        row = rows[-1] if rows else None
        if row and line.top - row[0].top < max(2.0, 0.5 * min(row[0].height, line.height)):
            row.append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda item: item.x0) for row in rows]


# "Abstract", "ABSTRACT", the small caps "A BSTRACT"; then nothing, punctuation, or the
# abstract's own text run in.
_ABSTRACT = re.compile(r"\s*(?:A\s?BSTRACT|Abstract|abstract)(?P<rest>.*)", re.DOTALL)


def _abstract_heading(page: Page) -> Line | None:
    """The line of page 1 that is the abstract's heading, never a title line that merely
    begins with the letters "abstract" ("Abstractions of ...", "Abstract Reasoning in ...")."""
    upper = [line.size for line in page.lines if line.top < page.height / 2]
    title_size = max(upper, default=0.0)
    for line in page.lines:
        found = _ABSTRACT.match(line.text)
        if found is None:
            continue
        raw = found.group("rest")
        rest = raw.strip()
        if not rest or rest[0] in "-\u2013\u2014:.|":
            return line
        if line.size >= title_size - 0.5:
            continue  # in the title's face: a title line, not the heading
        if raw[0].isspace() and rest[0].isalpha():
            return line  # "Abstract We study ...": the heading run into its text
        if rest[0].isupper() and rest[1:2].islower():
            return line  # "AbstractWe study ...": the same without the space
    return None


def _printed_title(document: Document) -> str:
    """The largest text near the top of page 1: what a reader takes for the title."""
    lines = [line for line in document.pages[0].lines if line.top < document.pages[0].height / 2]
    if not lines:
        return ""
    largest = max(line.size for line in lines)
    title: list[Line] = [line for line in lines if abs(line.size - largest) < 0.5]
    return " ".join(line.text for line in title)[:160]
