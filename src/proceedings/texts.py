"""Text normalisation shared by every place that compares what a PDF says with a name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NOT_LETTER = re.compile(r"[^a-z]+")
# Letters that Unicode does not decompose into an ASCII letter and a mark.
FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "ð": "d", "þ": "th"}
)


def letters_key(text: str) -> str:
    """`text` as lower-case letters only: accents, digits, spaces and punctuation dropped.

    Small-caps headings come out of PDF text layers split (`R EFERENCES`) and ligatures
    decomposed, so names are compared on their letters alone.
    """
    if text.isascii():
        return _NOT_LETTER.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(FOLD))
    return _NOT_LETTER.sub("", decomposed)


def match_key(text: str) -> str:
    """`text` reduced for matching across a PDF and metadata, in any script.

    Case, accents, spaces, punctuation and hyphens (including a word broken at a line end)
    are dropped; letters and digits of every script are kept, so "王芳" and "Ирина" still
    compare. PDFium's soft-hyphen mark and ligatures are handled by NFKC/NFKD.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(FOLD))
    return "".join(
        char for char in decomposed if char.isalnum() and not unicodedata.combining(char)
    )


# Lower-case words that belong to the family name: "van Dijk", "de la Cruz", "von Kügelgen".
PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "la"}
    | {"le", "ten", "ter", "zu", "bin", "ibn", "al", "el"}
)
# Capitalised particles that begin a family name after a given name ("Greg Ver Steeg",
# "Erwan Le Pennec", "Ana Da Silva"). "Van" is left out: it is as often a Vietnamese middle
# name ("Thanh Van Nguyen") as a Dutch particle; "Bin" too ("Al Zadid Sultan Bin Habib").
CAPITAL_PARTICLES = frozenset(
    {"Ver", "De", "Del", "Della", "Da", "Di", "Dos", "Das", "Du", "Le", "La", "El", "Al"}
    | {"Von", "Ten", "Ter"}
)
SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"])


@dataclass(frozen=True)
class NameParts:
    """A person's name in parts. `family` includes particles ("van Dijk")."""

    given: str
    family: str
    suffix: str = ""

    @property
    def particle(self) -> str:
        """The lower-case particles at the start of the family name ("van", "de la")."""
        words = self.family.split()
        taken = [word for word in words[:-1] if word.lower() in PARTICLES and word.islower()]
        return " ".join(taken[: len(words) - 1])


def split_name(name: str) -> NameParts | None:
    """Split a name as printed into given and family names; None when it cannot be split.

    "First Last" and "Last, First" are understood; lower-case particles before the last word
    join the family name; a suffix (Jr., III) is kept apart; a name in Chinese, Japanese or
    Korean characters without spaces is family name first. A single word cannot be split.
    """
    text = " ".join(name.split())
    if not text:
        return None
    if "," in text:
        family, _, rest = (part.strip() for part in text.partition(","))
        suffix = ""
        if "," in rest:  # "Last, Jr., First"
            suffix, _, rest = (part.strip() for part in rest.partition(","))
        if not family or not rest:
            return None
        return NameParts(given=rest, family=family, suffix=suffix)
    words = text.split(" ")
    if len(words) == 1:
        if _is_cjk(text) and len(text) >= 2:
            return NameParts(given=text[1:], family=text[0])
        return None
    suffix = ""
    if words[-1].lower().rstrip(",") in SUFFIXES and len(words) > 2:
        suffix = words.pop()
    start = len(words) - 1
    while start > 1 and (words[start - 1] in PARTICLES or words[start - 1] in CAPITAL_PARTICLES):
        start -= 1
    return NameParts(given=" ".join(words[:start]), family=" ".join(words[start:]), suffix=suffix)


def _is_cjk(text: str) -> bool:
    return all(
        "\u4e00" <= char <= "\u9fff"  # CJK unified ideographs
        or "\u3040" <= char <= "\u30ff"  # kana
        or "\uac00" <= char <= "\ud7af"  # hangul
        for char in text
    )


_NON_LATIN_SCRIPTS: tuple[str, ...] = ("CYRILLIC", "CJK", "GREEK", "ARABIC", "HIRAGANA")
_NON_LATIN_SCRIPTS += ("KATAKANA", "HANGUL", "HEBREW", "DEVANAGARI", "THAI")


def non_latin_script(text: str) -> bool:
    """True when `text` is written (partly) in a script other than Latin: 王芳, Ирина."""
    return any(
        unicodedata.name(char, "").startswith(_NON_LATIN_SCRIPTS)
        for char in text
        if ord(char) > 127
    )
