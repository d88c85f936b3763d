"""Rules about the names of a PMLR volume file: the papers' `author` and the volume's `editor`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from proceedings.asciilatex import encode
from proceedings.bib.model import BibEntry, BibField, BibFile
from proceedings.bib.text import NameItem, split_names
from proceedings.report import Severity
from proceedings.rules import Violation, rule
from proceedings.rules.bib_walk import (
    FieldJudge,
    FieldProblem,
    field_violations,
    pmlr_volume,
    search,
)
from proceedings.texts import split_name


@rule(
    "PMLR007",
    "name-list",
    Severity.ERROR,
    fix="Write names as `Last, First and Last, First`: one `and` between two names, no comma "
    "at the end of a name.",
    subject="bib",
)
def name_list(bib: BibFile) -> Iterator[Violation]:
    """A malformed `author` or `editor` list: empty names, stray `and`s, trailing commas.

    ## What it catches
    Author and editor lists that start or end with `and`, hold `and and` (an empty name),
    or a name ending in a comma (`Tran, Dung, and Azemi, Erdrin`), starting with one, or
    with more commas than `Last, Jr., First` allows.

    ## Why it matters
    BibTeX reads `Tran, Dung,` as family name "Tran", suffix "Dung" and no given name; the
    published volume then lists a garbled name, as happened in PMLR volume 296.

    ## Example
    A comma after a given name:

        error PMLR007 line 20 author `Tran, Dung,` of `mitra26a` ends with a comma

    ## How to fix
    Remove the stray comma or `and`; separate names with ` and ` only.
    """
    if pmlr_volume(bib):
        yield from _name_field_violations(bib, _list_problems)


def _list_problems(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    names = split_names(found.value)
    what = f"{found.name} list of `{entry.key}`"
    if names.leading_and:
        yield FieldProblem(f"{what} starts with `and`", _raw_at(found, r"^\s*and\b"))
    if names.trailing_and:
        yield FieldProblem(f"{what} ends with `and`", _raw_at(found, r"\band\s*\}?\s*$"))
    if names.doubled_and:
        at = _raw_at(found, r"\band\s+and\b")
        yield FieldProblem(f"{what} holds `and and` (an empty name)", at)
    for name in names.names:
        problem = _name_problem(name)
        if problem:
            yield FieldProblem(
                f"{found.name} `{name.text}` of `{entry.key}` {problem}", _name_at(found, name)
            )


@rule(
    "PMLR008",
    "unicode-name",
    Severity.ERROR,
    fix="Write accents as LaTeX: `K\\\"{o}ller`, `\\'{E}mile`, `\\c{c}`.",
    subject="bib",
)
def unicode_name(bib: BibFile) -> Iterator[Violation]:
    """A name with raw Unicode characters instead of LaTeX accents.

    ## What it catches
    Author and editor names holding non-ASCII characters, such as `Wiedemer, Thaddäus` or
    `Öğüt, Sevda` in PMLR volume 296.

    ## Why it matters
    PMLR requires LaTeX accents in names: its tools and the citation exports built from the
    bib mangle raw Unicode, and names sort and index wrongly.

    ## Example
    A name in raw Unicode:

        error PMLR008 line 36 author `Öğüt, Sevda` of `wiedemer26a` has raw Unicode; write
        `\\"{O}\\u{g}\\"{u}t, Sevda`

    ## How to fix
    Replace each accented letter by its LaTeX form; the message shows the name rewritten.
    """
    if pmlr_volume(bib):
        yield from _name_field_violations(bib, _unicode_problems)


def _unicode_problems(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    for name in split_names(found.value).names:
        if not name.text.isascii():
            yield FieldProblem(
                f"{found.name} `{name.text}` of `{entry.key}` has raw Unicode; "
                f"write `{encode(name.text).latex}`",
                _name_at(found, name),
            )


@rule(
    "PMLR009",
    "first-last-order",
    Severity.WARNING,
    fix="Write each name as `Last, First` (`Moturu, Abhishek`).",
    subject="bib",
)
def first_last_order(bib: BibFile) -> Iterator[Violation]:
    """Names written `First Last` instead of PMLR's `Last, First`.

    ## What it catches
    Author or editor lists with names of two or more words and no comma, such as
    `Abhishek Moturu and Sayali Joshi` (PMLR volume 187).

    ## Why it matters
    BibTeX guesses the family name from the last word, which is wrong for many names
    ("Lara Rangel", "Van Dijk", names given family-name first); PMLR asks for the explicit
    `Last, First` form so that names are indexed and cited correctly.

    ## Known problems
    A name in braces (`{Royal Society}`) or a single word is not reported.

    ## Example
    Names in `First Last` order:

        warning PMLR009 line 43 author names of `moturu26a` in First Last order: `Abhishek Moturu`,
        `Sayali Joshi`; write `Moturu, Abhishek`

    ## How to fix
    Rewrite the names as `Last, First`; the message shows the first one rewritten.
    """
    if pmlr_volume(bib):
        yield from _name_field_violations(bib, _order_problems)


def _order_problems(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    listed = [name for name in split_names(found.value).names if _first_last(name)]
    if not listed:
        return
    shown = ", ".join(f"`{name.text}`" for name in listed[:3])
    more = f" and {len(listed) - 3} more" if len(listed) > 3 else ""
    parts = split_name(listed[0].text)
    example = f"; write `{parts.family}, {parts.given}`" if parts is not None else ""
    yield FieldProblem(
        f"{found.name} names of `{entry.key}` in First Last order: {shown}{more}{example}",
        _name_at(found, listed[0]),
    )


def _name_field_violations(bib: BibFile, judge: FieldJudge) -> Iterator[Violation]:
    """`judge` on the volume's `editor`, then on each paper's `author`."""
    yield from field_violations(bib.proceedings[:1], judge, ("editor",))
    yield from field_violations(bib.papers, judge, ("author",))


def _name_at(found: BibField, name: NameItem) -> int:
    """Where `name` is written in the field (its words may be split across lines), or -1."""
    words_of_name = name.text.split()
    if not words_of_name:
        return -1
    return search(found, r"\s+".join(re.escape(word) for word in words_of_name))


def _raw_at(found: BibField, pattern: str) -> int:
    return search(found, pattern, re.IGNORECASE)


def _name_problem(name: NameItem) -> str | None:
    text = name.text.strip()
    if not text:
        return None  # reported as a stray `and`
    if text.endswith(","):
        return "ends with a comma"
    if text.startswith(","):
        return "starts with a comma"
    if name.commas > 2:
        return f"has {name.commas} commas (at most `Last, Jr., First`)"
    if name.commas:
        parts = [part.strip() for part in text.split(",")]
        if any(not part for part in parts):
            return "has an empty part between commas"
    return None


def _first_last(name: NameItem) -> bool:
    return name.commas == 0 and name.words >= 2
