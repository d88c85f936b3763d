"""Rules about each paper entry of a PMLR volume file: the fields PMLR requires and its key."""

from __future__ import annotations

import re
from collections.abc import Iterator

from proceedings.bib.model import BibEntry, BibFile
from proceedings.bib.text import comparable, family_name, latex_to_text, split_names
from proceedings.report import Severity
from proceedings.rules import Violation, rule
from proceedings.rules.bib_walk import pmlr_volume
from proceedings.texts import split_name

PAPER_FIELDS = ("title", "author", "pages", "abstract")

PMLR_KEY = re.compile(r"^[a-z]+\d{2}[a-z]$")

SAFE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


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
    if not pmlr_volume(bib):
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
    if not pmlr_volume(bib):
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
    if not pmlr_volume(bib):
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
