"""Rules about the names of a PMLR volume file: the papers' `author` and the volume's `editor`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from proceedings.asciilatex import encode
from proceedings.bib.model import BibEntry, BibField, BibFile
from proceedings.bib.text import NameItem, split_names
from proceedings.checks import Violation, rule
from proceedings.checks.bib_walk import pmlr_volume
from proceedings.report import Severity
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
    if not pmlr_volume(bib):
        return
    for entry, found in _name_fields(bib):
        names = split_names(found.value)
        what = f"{found.name} list of `{entry.key}`"
        if names.leading_and:
            line = _raw_line(found, r"^\s*and\b")
            yield Violation(f"{what} starts with `and`", line=line)
        if names.trailing_and:
            yield Violation(f"{what} ends with `and`", line=_raw_line(found, r"\band\s*\}?\s*$"))
        if names.doubled_and:
            line = _raw_line(found, r"\band\s+and\b")
            yield Violation(f"{what} holds `and and` (an empty name)", line=line)
        for name in names.names:
            problem = _name_problem(name)
            if problem:
                yield Violation(
                    f"{found.name} `{name.text}` of `{entry.key}` {problem}",
                    line=_name_line(found, name),
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
    if not pmlr_volume(bib):
        return
    for entry, found in _name_fields(bib):
        for name in split_names(found.value).names:
            if not name.text.isascii():
                yield Violation(
                    f"{found.name} `{name.text}` of `{entry.key}` has raw Unicode; "
                    f"write `{encode(name.text).latex}`",
                    line=_name_line(found, name),
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
    if not pmlr_volume(bib):
        return
    for entry, found in _name_fields(bib):
        listed = [name for name in split_names(found.value).names if _first_last(name)]
        if not listed:
            continue
        shown = ", ".join(f"`{name.text}`" for name in listed[:3])
        more = f" and {len(listed) - 3} more" if len(listed) > 3 else ""
        parts = split_name(listed[0].text)
        example = f"; write `{parts.family}, {parts.given}`" if parts is not None else ""
        yield Violation(
            f"{found.name} names of `{entry.key}` in First Last order: {shown}{more}{example}",
            line=_name_line(found, listed[0]),
        )


def _name_fields(bib: BibFile) -> Iterator[tuple[BibEntry, BibField]]:
    for entry in bib.proceedings[:1]:
        found = entry.field("editor")
        if found is not None and found.value.strip():
            yield entry, found
    for entry in bib.papers:
        found = entry.field("author")
        if found is not None and found.value.strip():
            yield entry, found


def _name_line(found: BibField, name: NameItem) -> int:
    words_of_name = name.text.split()
    if not words_of_name:
        return found.line
    pattern = r"\s+".join(re.escape(word) for word in words_of_name)
    match = re.search(pattern, found.raw)
    return found.line + found.raw.count("\n", 0, match.start()) if match else found.line


def _raw_line(found: BibField, pattern: str) -> int:
    """The line of the first match of `pattern` in the field as written (else the field's)."""
    match = re.search(pattern, found.raw, flags=re.IGNORECASE)
    return found.line + found.raw.count("\n", 0, match.start()) if match else found.line


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
