"""Rules about any BibTeX file, a reference list or a PMLR volume file: reading it, its syntax,
its keys, repeated fields and `@string` macros.
"""

from __future__ import annotations

from collections.abc import Iterator

from proceedings.bib.model import BibEntry, BibFile
from proceedings.report import Severity
from proceedings.rules import Violation, rule


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
