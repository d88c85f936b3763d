"""Rules about a PMLR volume file: the `@Proceedings` entry, the papers, their pages and PDFs.

They apply only to a .bib with an `@Proceedings` entry and `@InProceedings` entries (see
`BibFile.is_pmlr_volume`); reference lists are checked by the `BIB` rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from proceedings.asciilatex import encode
from proceedings.bib.folder import page_count, pdf_files
from proceedings.bib.model import BibEntry, BibField, BibFile
from proceedings.bib.text import (
    NameItem,
    comparable,
    family_name,
    latex_to_text,
    split_names,
    words,
)
from proceedings.checks import Violation, rule
from proceedings.pmlr_ids import is_section_name
from proceedings.report import Severity
from proceedings.texts import split_name
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
PAPER_FIELDS = ("title", "author", "pages", "abstract")
DATE_FIELDS = ("start", "end", "published")
# Fields holding links, where `%` is URL encoding and not a LaTeX comment.
LINK_FIELDS = frozenset(
    {"url", "conference_url", "openreview", "software", "video", "supplementary", "pdf"}
)
PMLR_KEY = re.compile(r"^[a-z]+\d{2}[a-z]$")
SAFE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
PAGES = re.compile(r"^(\d+)-(\d+)$")
UNESCAPED_PERCENT = re.compile(r"(?<!\\)(?:\\\\)*%")
# Words that say nothing about what a paper is about, left out when a title meets its abstract.
STOP_WORDS = frozenset(
    "a an the of in on for to and or with by from at as is are be do does not no its it their "
    "our we how what when why which can via into through than over under about between across "
    "toward towards".split()
)
MISMATCH_SHARE = 0.35  # a title with fewer of its words in the abstract may belong elsewhere


def _volume(bib: BibFile) -> bool:
    return bib.load_error is None and bib.is_pmlr_volume


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
    if not _volume(bib):
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
    if not _volume(bib):
        return
    for entry in bib.proceedings[:1]:
        for name in DATE_FIELDS:
            found = entry.field(name)
            if found is None or not found.value.strip():
                continue
            if _iso_date(found.value) is None:
                yield Violation(
                    f"`{name}` is `{found.value.strip()}`, not a date `YYYY-MM-DD`",
                    line=found.line,
                )


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
    if not _volume(bib):
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
    "PMLR004",
    "paper-field",
    Severity.ERROR,
    fix="Add the missing fields: every paper needs `title`, `author`, `pages` and `abstract`.",
    subject="bib",
)
def paper_field(bib: BibFile) -> Iterator[Violation]:
    """An `@InProceedings` entry without `title`, `author`, `pages` or `abstract`.

    ## What it catches
    A paper entry that lacks one of the fields PMLR requires, or leaves it empty. Without
    only the abstract it is a warning: PMLR publishes such papers (AFME 2024, COLT 2024).

    ## Why it matters
    PMLR's page for the paper shows these fields; without them the volume is sent back.

    ## Example
    A paper without its page range:

        error PMLR004 line 23 paper `rahman26a` lacks `pages`

    ## How to fix
    Fill in the fields from the camera-ready paper.
    """
    if not _volume(bib):
        return
    for entry in bib.papers:
        missing = [name for name in PAPER_FIELDS if not entry.get(name)]
        if missing:
            names = ", ".join(f"`{name}`" for name in missing)
            yield Violation(
                f"paper `{entry.key}` lacks {names}",
                line=entry.line,
                # PMLR publishes papers without an abstract (AFME 2024, COLT 2024).
                severity=Severity.WARNING if missing == ["abstract"] else None,
            )


@rule(
    "PMLR005",
    "paper-key",
    Severity.ERROR,
    fix="Use a key of ASCII letters and digits only, e.g. `toner26a`.",
    subject="bib",
)
def paper_key(bib: BibFile) -> Iterator[Violation]:
    """A paper key that cannot be a PMLR file name: non-ASCII, spaces or punctuation.

    ## What it catches
    Keys with accented letters (`köller26a`), spaces, or characters other than ASCII
    letters, digits, `-` and `_`.

    ## Why it matters
    The key names the paper's PDF (`<key>.pdf`) and its page on the PMLR site; such keys
    break links and uploads.

    ## Example
    A key with an accented letter:

        error PMLR005 line 18 key `köller26a` is not ASCII

    ## How to fix
    Spell the family name in ASCII (`koller26a`) and keep to letters and digits.
    """
    if not _volume(bib):
        return
    for entry in bib.papers:
        if not entry.key or SAFE_KEY.match(entry.key):
            continue
        if entry.key.isascii():
            what = "holds characters other than letters, digits, `-` and `_`"
        else:
            what = "is not ASCII"
        yield Violation(f"key `{entry.key}` {what}", line=entry.line)


@rule(
    "PMLR006",
    "key-style",
    Severity.WARNING,
    fix="Name each paper by the first author's family name in lower case, the volume's "
    "two-digit year and a letter: `toner26a`.",
    subject="bib",
)
def key_style(bib: BibFile) -> Iterator[Violation]:
    """A paper key not of PMLR's form: family name, two-digit year, a letter (`toner26a`).

    ## What it catches
    Keys not made of a lower-case name and two digits (the letter, `a`, `b`, is needed only
    where two papers would share a key), with another year than the volume's, or
    starting with something other than the first author's family name (`simran22` for a
    paper by Kaur, Simran). A family name of several words or parts may be written whole
    (`vandijk26a`) or by one part (`dijk26a`, `loaiza26a` for Loaiza-Ganem). The key of
    the `@Proceedings` entry is reported when it names another year than the volume's
    `year` (`icbinb-2023` on the 2025 volume 296, copied from the year before).

    ## Why it matters
    PMLR's own volumes follow this form, and readers and tools guess paper URLs from it;
    a key naming the wrong author or year suggests that fields were copied from another
    entry or volume.

    ## Example
    A key naming another author:

        warning PMLR006 line 46 key `simran26a` does not start with the first author's family name
        `Kaur` (e.g. `kaur26a`)

    ## How to fix
    Rename the key (and its PDF) to the first author's family name, the year and `a`; use
    `b`, `c` for further papers by authors of the same name.
    """
    if not _volume(bib):
        return
    proceedings = bib.proceedings[0]
    year = proceedings.get("year")
    year_digits = year[-2:] if re.match(r"^\d{4}$", year) else None
    named_year = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", proceedings.key)
    if year_digits and named_year and named_year.group(1) != year:
        yield Violation(
            f"`@Proceedings` key `{proceedings.key}` names the year {named_year.group(1)}, "
            f"but the volume's year is {year} (copied from an earlier volume?)",
            line=proceedings.line,
        )
    for entry in bib.papers:
        key = entry.key
        if not key or not SAFE_KEY.match(key):
            continue  # PMLR005
        problems: list[str] = []
        match = re.match(r"^([A-Za-z]*)(\d*)(.*)$", key)
        name_part, digits, _ = match.groups() if match else ("", "", key)
        # The letter is needed only where two papers would share a key; earlier volumes of
        # this workshop went without it (`toner25`).
        if not PMLR_KEY.match(key) and not re.match(r"^[a-z]+\d{2}$", key):
            problems.append("is not a lower-case name, two digits and a letter")
        if year_digits and len(digits) == 2 and digits != year_digits:
            problems.append(f"has year `{digits}`, but the volume's year is {year}")
        family = _first_family(entry)
        named = not family or not name_part or _key_names(name_part.lower(), family)
        if not named:
            problems.append(f"does not start with the first author's family name `{family}`")
        if problems:
            base = name_part.lower() if named and name_part else family
            wanted = _suggested_key(base, name_part, year_digits or digits)
            suggestion = f" (e.g. `{wanted}`)" if wanted and wanted != key else ""
            yield Violation(f"key `{key}` {'; '.join(problems)}{suggestion}", line=entry.line)


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
    if not _volume(bib):
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
    if not _volume(bib):
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
    if not _volume(bib):
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


@rule(
    "PMLR010",
    "non-ascii-text",
    Severity.ERROR,
    fix="Replace typographic characters by their ASCII LaTeX forms: `'` for a curly "
    'apostrophe, `--` for an en dash, `\\"{a}` for an accented letter.',
    subject="bib",
)
def non_ascii_text(bib: BibFile) -> Iterator[Violation]:
    """A title or abstract with raw non-ASCII characters (curly quotes, dashes, accents).

    ## What it catches
    Characters outside ASCII in a paper's `title` or `abstract`: typographic apostrophes
    (`’`) pasted from a word processor, en and em dashes, accented letters.

    ## Why it matters
    PMLR requires ASCII abstracts; raw Unicode shows up garbled on the paper's page and in
    citation exports.

    ## Example
    An en dash pasted into a title:

        error PMLR010 line 18 title of `rangel26a` has raw `–` (U+2013 en dash); write `--`

    ## How to fix
    Type the ASCII form: `'` for `’`, `--` for `–`, `\\"{a}` for `ä`.
    """
    if not _volume(bib):
        return
    for entry in bib.papers:
        for name in ("title", "abstract"):
            found = entry.field(name)
            if found is None or found.value.isascii():
                continue
            others = [char for char in found.value if not char.isascii()]
            char = others[0]
            spelling = encode(char).latex
            hint = f"; write `{spelling}`" if spelling.isascii() else ""
            count = f" ({len(others)} non-ASCII characters in all)" if len(others) > 1 else ""
            yield Violation(
                f"{name} of `{entry.key}` has raw `{char}` ({_char_name(char)}){hint}{count}",
                line=found.line_of(char),
            )


@rule(
    "PMLR011",
    "unescaped-percent",
    Severity.ERROR,
    fix="Write a percent sign as `\\%`.",
    subject="bib",
)
def unescaped_percent(bib: BibFile) -> Iterator[Violation]:
    """A `%` not written `\\%` in a title, abstract or other text field.

    ## What it catches
    A bare `%` in any field of the volume file other than links (`url`, `openreview`,
    `conference_url`, ...).

    ## Why it matters
    To LaTeX, `%` starts a comment: the rest of the line disappears from the printed
    abstract or title ("accuracy of 95" instead of "accuracy of 95% on...").

    ## Example
    A percentage in an abstract:

        error PMLR011 line 29 `abstract` of `eiras26a` has a `%` that is not written `\\%`

    ## How to fix
    Escape it: `95\\%`.
    """
    if not _volume(bib):
        return
    for entry in [*bib.proceedings, *bib.papers]:
        for found in entry.fields.values():
            if found.name in LINK_FIELDS:
                continue
            match = UNESCAPED_PERCENT.search(found.raw)
            if match is not None:
                yield Violation(
                    f"`{found.name}` of `{entry.key}` has a `%` that is not written `\\%`",
                    line=found.line + found.raw.count("\n", 0, match.start()),
                )


@rule(
    "PMLR012",
    "unsupported-latex",
    Severity.ERROR,
    fix="Remove `\\\\` line breaks and `\\color`; in titles and abstracts, rephrase around "
    "`\\$`, `\\{`, `\\}` and `\\_` (`100 USD`, `$\\lbrace a \\rbrace$`, `snake case`).",
    subject="bib",
)
def unsupported_latex(bib: BibFile) -> Iterator[Violation]:
    """LaTeX that PMLR's pipeline does not accept: `\\\\`, `\\color`, escaped `$ { } _`.

    ## What it catches
    A forced line break `\\\\` or a `\\color` command in any field, and the escaped specials
    `\\$`, `\\{`, `\\}`, `\\_` in a title or abstract.

    ## Why it matters
    PMLR converts titles and abstracts for its web pages and citation exports; these
    commands break that conversion or the brace counting of BibTeX itself (BibTeX counts the
    brace in `\\{` as a real brace).

    ## Example
    A line break in a title:

        error PMLR012 line 35 `title` of `ong26a` uses `\\\\`

    ## How to fix
    Delete line breaks and colours. Instead of `\\$`, write the currency (`100 USD`); for
    braces use `\\lbrace` and `\\rbrace` in math mode; leave underscores out of running
    text.
    """
    if not _volume(bib):
        return
    for entry in [*bib.proceedings, *bib.papers]:
        for found in entry.fields.values():
            constructs = ["\\\\", "\\color"]
            if found.name in ("title", "abstract"):
                constructs += ["\\$", "\\{", "\\}", "\\_"]
            for construct in constructs:
                index = _find_command(found.raw, construct)
                if index >= 0:
                    yield Violation(
                        f"`{found.name}` of `{entry.key}` uses `{construct}`",
                        line=found.line + found.raw.count("\n", 0, index),
                    )


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
    if not _volume(bib):
        return
    for entry in bib.papers:
        found = entry.field("pages")
        if found is None or not found.value.strip():
            continue
        value = found.value.strip()
        parsed = _pages(value)
        if parsed is not None:
            first, last = parsed
            if first < 1:
                yield Violation(f"pages `{value}` of `{entry.key}` start at 0", line=found.line)
            elif last < first:
                yield Violation(f"pages `{value}` of `{entry.key}` run backwards", line=found.line)
            continue
        loose = re.match(r"^(\d+)\s*(?:-+|\u2013|\u2014)\s*(\d+)$", value)
        if loose:
            message = (
                f"pages `{value}` of `{entry.key}`: PMLR wants `{loose.group(1)}-{loose.group(2)}`"
            )
        else:
            message = f"pages `{value}` of `{entry.key}` are not a range `N-M`"
        yield Violation(message, line=found.line)


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
    if not _volume(bib):
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
    if not _volume(bib):
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
    if not _volume(bib):
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
    if not _volume(bib):
        return
    files = pdf_files(bib)
    if not files.any:
        return
    for entry in bib.papers:
        match = _pdf_for(entry.key, files.flat, files.nested)
        if match.path is None:
            continue
        count = page_count(bib, match.path)
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
    if not _volume(bib):
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
    if not _volume(bib):
        return
    proceedings = bib.proceedings[0]
    found = proceedings.field("sections")
    names: set[str] = set()
    if found is not None:
        parts = [part.strip() for part in found.value.split("|")]
        for part in parts:
            # `name` alone is a section whose title is its name, as PMLR reads it.
            name, equals, title = (item.strip() for item in part.partition("="))
            if not name or (equals and not title) or "=" in title:
                yield Violation(f"section `{part}` is not `name=Title`", line=found.line)
            elif not is_section_name(name):
                yield Violation(
                    f"section name `{name}` holds `|`, `=`, braces, `%` or characters outside "
                    "ASCII",
                    line=found.line,
                )
            elif name in names:
                yield Violation(f"section `{name}` is defined twice", line=found.line)
            else:
                names.add(name)
        if len(parts) < 2:
            yield Violation(
                "`sections` defines fewer than two sections; leave it out for a single one",
                line=found.line,
            )
    for entry in bib.papers:
        section = entry.field("section")
        if section is None:
            continue
        value = section.value.strip()
        if found is None:
            yield Violation(
                f"`{entry.key}` is in section `{value}`, but `@Proceedings` defines no `sections`",
                line=section.line,
            )
        elif value not in names:
            known = ", ".join(f"`{name}`" for name in sorted(names)) or "none"
            yield Violation(
                f"`{entry.key}` is in section `{value}`, which `sections` does not define "
                f"(defined: {known})",
                line=section.line,
            )


@rule(
    "PMLR020",
    "duplicate-title",
    Severity.ERROR,
    fix="Give the paper its own title, from its camera-ready PDF.",
    subject="bib",
)
def duplicate_title(bib: BibFile) -> Iterator[Violation]:
    """Two papers with the same title: one carries another paper's title.

    ## What it catches
    Papers whose titles are equal once case, LaTeX, accents and punctuation are set aside.

    ## Why it matters
    A title copied onto the wrong entry publishes a paper under another paper's name; it
    is then cited and indexed wrongly for good.

    ## Example
    One paper's title copied onto another:

        error PMLR020 line 30 `wu26a` has the same title as `lazovich26a` (line 18)

    ## How to fix
    Copy each title from its paper's PDF.
    """
    if not _volume(bib):
        return
    seen: dict[str, BibEntry] = {}
    for entry in bib.papers:
        title = comparable(entry.get("title"))
        if not title:
            continue
        earlier = seen.setdefault(title, entry)
        if earlier is not entry:
            yield Violation(
                f"`{entry.key}` has the same title as `{earlier.key}` (line {earlier.line})",
                line=entry.line_of("title"),
            )


@rule(
    "PMLR021",
    "abstract-mismatch",
    Severity.WARNING,
    fix="Check the title against the paper's PDF: it may belong to another paper.",
    subject="bib",
)
def title_abstract_mismatch(bib: BibFile) -> Iterator[Violation]:
    """A title whose words hardly appear in its abstract: it may be another paper's title.

    ## What it catches
    Papers whose abstract (30 words or more) contains fewer than a third of the title's
    words (three or more, leaving out words like "the" and "of"; word endings are
    compared loosely). In PMLR volume 296, a paper on black-box attacks against cloud APIs
    carries the title "Filter bubbles and affective polarization in user-personalized large
    language model outputs", the title of a paper from the year before.

    ## Why it matters
    A title pasted from another paper publishes the work under the wrong name; checking the
    volume file alone shows no other symptom.

    ## Known problems
    Short or playful titles ("Know Thy Judge") may share few words with their abstracts.
    The rule is a heuristic: it reports, a person decides.

    ## Example
    The paper of PMLR volume 296 that carries another paper's title:

        warning PMLR021 line 30 title of `wu26a` shares few words with its abstract (`filter`,
        `bubbles`, `affective`, `polarization`, `personalized` are missing): it may be another
        paper's title

    ## How to fix
    Compare the title with the paper's PDF and fix whichever is wrong.
    """
    if not _volume(bib):
        return
    for entry in bib.papers:
        title_words = [word for word in words(entry.get("title")) if word not in STOP_WORDS]
        abstract_words = words(entry.get("abstract"))
        if len(title_words) < 3 or len(abstract_words) < 30:
            continue
        stems = {_stem(word) for word in abstract_words}
        absent = [word for word in title_words if not _word_in(word, stems)]
        share = 1 - len(absent) / len(title_words)
        if share < MISMATCH_SHARE:
            shown = ", ".join(f"`{word}`" for word in absent[:5])
            yield Violation(
                f"title of `{entry.key}` shares few words with its abstract ({shown} are "
                "missing): it may be another paper's title",
                line=entry.line_of("title"),
            )


def _iso_date(value: str) -> date | None:
    match = ISO_DATE.match(value.strip())
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


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


def _first_family(entry: BibEntry) -> str:
    names = split_names(entry.get("author")).names
    if not names or not names[0].text:
        return ""
    family = family_name(names[0].text)
    if names[0].commas == 0:
        parts = split_name(latex_to_text(names[0].text))
        return parts.family if parts is not None else latex_to_text(family)
    return latex_to_text(family).strip("{} ")


def _key_names(name_part: str, family: str) -> bool:
    """Whether a key's name part spells the family name, whole or one of its parts."""
    whole = comparable(family)
    pieces = {comparable(piece) for piece in re.split(r"[\s\-']+", family)}
    letters = re.sub(r"\d", "", whole)
    return name_part in {letters, whole} | pieces


def _suggested_key(family: str, name_part: str, digits: str) -> str:
    base = re.sub(r"\d", "", comparable(family)) or name_part.lower()
    return f"{base}{digits}a" if base and len(digits) == 2 else ""


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


def _find_command(raw: str, construct: str) -> int:
    """Where `construct` (`\\\\`, `\\color`, `\\$`, ...) starts in `raw`, or -1.

    A backslash escaped by another one does not start a command: `\\\\_` is a line break
    and an underscore, not `\\_`.
    """
    start = 0
    while True:
        index = raw.find(construct, start)
        if index < 0:
            return -1
        backslashes = 0
        while index - backslashes - 1 >= 0 and raw[index - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            if construct == "\\color" and index + 6 < len(raw) and raw[index + 6].isalpha():
                start = index + 1  # `\colorbox` and the like are other commands
                continue
            return index
        start = index + 1


def _stem(word: str) -> str:
    for suffix in ("ing", "es", "s", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _word_in(word: str, stems: set[str]) -> bool:
    stem = _stem(word)
    if stem in stems:
        return True
    return len(stem) >= 5 and any(other.startswith(stem[:5]) for other in stems)


def _char_name(char: str) -> str:
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"{code} {name.lower()}" if name else code
