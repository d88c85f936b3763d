"""Rules comparing a paper's metadata (papers.yaml) with its PDF, and with what PMLR accepts."""

from __future__ import annotations

from collections.abc import Iterator

from proceedings.checks import CheckedPaper, Violation, rule
from proceedings.pdf.layout import Document, Line
from proceedings.report import Severity
from proceedings.texts import letters_key, match_key


@rule(
    "META001",
    "title-mismatch",
    Severity.ERROR,
    fix="Make the title in papers.yaml and the title in the PDF the same.",
)
def title_mismatch(paper: CheckedPaper) -> Iterator[Violation]:
    """The title in the metadata is not the title on the PDF's first page.

    ## What it catches
    A metadata title that does not appear on page 1 of the PDF, compared without case,
    accents, punctuation, spaces, hyphenation or line breaks.

    ## Why it matters
    PMLR prints the metadata title on the paper's page and in the index; a past volume of this
    workshop published a paper under another paper's title.

    ## Known problems
    A title whose PDF version has math typeset differently (`$\\alpha$` against α) may be
    reported.

    ## How to fix
    Correct whichever of the two is out of date.
    """
    meta, document = paper.meta, paper.document
    if meta is None or document is None or not meta.title or not _has_text(document):
        return
    if match_key(meta.title) in _first_page_key(paper):
        return
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
    """An author in the metadata does not appear on the PDF's first page.

    ## What it catches
    Each author `name` (or its `latin` spelling) looked up on page 1, without case, accents
    or spacing. When only the family name is found, the finding is a warning-worthy mismatch
    of spelling and says so.

    ## Why it matters
    The metadata is what PMLR and indexes publish; an author missing from the PDF, or the
    wrong person listed, is a correction after publication.

    ## Known problems
    A name printed with initials only ("A. M. García") is reported as a spelling mismatch.

    ## How to fix
    Correct the author's name in papers.yaml or in the PDF.
    """
    meta, document = paper.meta, paper.document
    if meta is None or document is None or not _has_text(document):
        return
    page = _first_page_key(paper)
    for number, author in enumerate(meta.authors, start=1):
        spellings = [author.name] + ([author.latin] if author.latin else [])
        if any(match_key(spelling) and match_key(spelling) in page for spelling in spellings):
            continue
        if author.family and match_key(author.family) in page:
            yield Violation(
                f"author {number} {author.name!r} is spelt differently on the PDF's first page "
                f"(only the family name {author.family!r} is found)",
                page=1,
                hint="Write the name in papers.yaml exactly as the PDF prints it.",
            )
        else:
            yield Violation(
                f"author {number} {author.name!r} is not on the PDF's first page", page=1
            )


def _has_text(document: Document) -> bool:
    return bool(document.pages) and document.pages[0].has_text


def _first_page_key(paper: CheckedPaper) -> str:
    """The title block of page 1 as a match key: everything above the abstract.

    Names and titles stand above the abstract; the body below would let a family name such
    as "Other" or "Young" match any sentence.
    """
    key = paper.notes.get("first_page_key")
    if not isinstance(key, str):
        assert paper.document is not None
        page = paper.document.pages[0]
        block: list[str] = []
        for line in page.lines:
            if letters_key(line.text).startswith("abstract"):
                break
            block.append(line.text)
        else:
            block = [line.text for line in page.lines if line.top < page.height / 2]
        key = match_key(" ".join(block))
        paper.notes["first_page_key"] = key
    return key


def _printed_title(document: Document) -> str:
    """The largest text near the top of page 1: what a reader takes for the title."""
    lines = [line for line in document.pages[0].lines if line.top < document.pages[0].height / 2]
    if not lines:
        return ""
    largest = max(line.size for line in lines)
    title: list[Line] = [line for line in lines if abs(line.size - largest) < 0.5]
    return " ".join(line.text for line in title)[:160]
