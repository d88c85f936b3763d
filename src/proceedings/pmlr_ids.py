"""The names PMLR gives things: the ids of papers and the names of sections."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from proceedings.asciilatex import bibtex_last_name, encode, pmlr_id
from proceedings.texts import FOLD, split_name
from proceedings.volume import Author, Track


def paper_id(author: Author, suffix: str) -> str:
    """The PMLR id of a paper whose first author is `author`, with `suffix` (`26a`): the family
    name as BibTeX reads it from the bib (`van der Berg, Ludwig` -> `Berg`; `De Schouwer`
    whole), as PMLR's `create_volume.rb` turns it into an id (`berg26a`, `de-schouwer26a`,
    `loaiza-ganem26a`)."""
    family = author.family
    if author.latin:
        parts = split_name(author.latin)
        family = parts.family if parts else author.latin
    return pmlr_id(bibtex_last_name(encode(family).latex), suffix)


# A PMLR section name: printable ASCII without what `sections = {name=Title|...}` splits at or
# BibTeX counts, with no space at either end (`Original Papers` is one).
SECTION_NAME = re.compile(r"^[!-~](?:[ -~]*[!-~])?$")
_NOT_IN_SECTION_NAME = frozenset("|={}%")


def section_names(tracks: Iterable[Track]) -> dict[str, str]:
    """The PMLR section name of each track: its id as written when it can be one
    (`long`, `Original Papers`), else the id in letters, digits and hyphens (`Théorie & Pratique`
    -> `theorie-pratique`): PMLR splits `sections` at `|` and `=`, and a name is a key of its
    pages. `check` refuses ids that meet (VOL012)."""
    names: dict[str, str] = {}
    for track in tracks:
        if is_section_name(track.id):
            names[track.id] = track.id
        else:
            names[track.id] = section_slug(track.id)
    return names


def is_section_name(text: str) -> bool:
    return bool(SECTION_NAME.match(text)) and not _NOT_IN_SECTION_NAME & set(text)


def section_slug(text: str) -> str:
    """`Model Design \\& Architecture` -> `model-design-architecture`."""
    folded = unicodedata.normalize("NFKD", text.translate(FOLD)).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", folded.decode("ascii").lower()).strip("-") or "section"


# The kinds of supplementary file PMLR publishes beside a paper (`<key>-supp.<ext>`).
SUPPLEMENTARY_EXTENSIONS = ("pdf", "zip", "tar.gz")


def supplementary_extension(path: Path | None) -> str | None:
    """The extension PMLR would give `path` (`tar.gz` whole), or None when it takes no such
    file."""
    if path is None:
        return None
    name = path.name.lower()
    return next((ext for ext in SUPPLEMENTARY_EXTENSIONS if name.endswith(f".{ext}")), None)


# A `pmlr_key` given in the metadata: what PMLR's ids are made of, so that it is a safe file
# name too.
PMLR_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")

# What a file name written by the build may hold: PMLR's own ids are letters, digits and `-`.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def safe_name(name: str) -> bool:
    """True when `name` can be a file name of the build or the volume: ASCII letters, digits,
    `.`, `_`, `-`, not starting with a dot, under 200 characters, no `..`."""
    return bool(SAFE_NAME.match(name)) and ".." not in name


# Fields written into the PMLR bib as they are (no LaTeX): what each may hold, so that no
# value can close its braces and add a field of its own (`X}, pdf = {https://...`).
RAW_FIELDS = {
    "openreview": (re.compile(r"^[A-Za-z0-9_-]{1,100}$"), "letters, digits, `-` and `_`"),
    "conference_url": (
        re.compile(r"^https?://[^\s{}\\\"<>]{1,2000}$"),
        "an http(s) address without spaces, braces, quotes or backslashes",
    ),
    "volume": (re.compile(r"^[0-9]{1,6}$"), "a number"),
    "year": (re.compile(r"^[0-9]{4}$"), "a four-digit year"),
    "conference_number": (re.compile(r"^[0-9]{1,4}$"), "a number"),
}


def raw_field_problem(name: str, value: object) -> str | None:
    """Why `value` cannot be written raw as the bib field `name`, or None when it can."""
    pattern, form = RAW_FIELDS[name]
    text = str(value).strip()
    if isinstance(value, bool) or not pattern.match(text):
        shown = text if len(text) <= 60 else text[:40] + "..."
        return f"{shown!r} is not {form}"
    return None
