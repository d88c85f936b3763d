"""The names PMLR gives things: the ids of papers and the names of sections."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

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
