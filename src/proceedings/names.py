"""Names as the metadata writes them, found among the words a PDF's first page prints.

A person's name reaches the page in many forms: with or without middle names and initials
("Timothy M. Hospedales"), given and family swapped, a hyphen dropped, accents lost or added,
followed by affiliation marks ("Zhang1*,"). `printed_text` reads the title block of a page
into words; `find_name` finds the words that spell the same person as a metadata name, and
says whether they spell it the same way; `unlisted_names` finds the printed names that no
author of the metadata accounts for.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from proceedings.texts import PARTICLES, SUFFIXES, match_key

# Marks set after a name to point at affiliations and notes: digits, stars, daggers.
_MARKS = "0-9*+#\u2217\u2020\u2021\u00a7\u00b6\u22c6\u271d\u204e\u2605\u2606\u2709"
_MARKS += "\u00b9\u00b2\u00b3\u2070-\u2079"  # superscript digits
_LEADING_MARKS = re.compile(f"^[{_MARKS}]+")
_TRAILING_MARKS = re.compile(f"[{_MARKS}]+$")
# An affiliation letter set as a superscript comes out glued to the name ("TimorW", "GordonW").
_GLUED_CAPITAL = re.compile(r"(?<=[a-z\u00df-\u00ff])[A-Z]$")
_WORD = re.compile(r"[^\s,;:&\u00b7|/()\[\]{}]+")
_SEPARATOR = re.compile(r"[,;:&\u00b7|/()\[\]{}]")
# E-mail addresses and URLs spell names too ("jeremy_wong@..."), but they are not how the
# paper prints a name. A brace list "{ann.lee, bo.wu}@x.org" is one address; so is
# "ann lee@x.org", whose underscore the text layer turned into a space.
_ADDRESSES = re.compile(
    r"(?<!\S)(?:\{[^{}]*\}\s*@\S*|(?:[a-z0-9._-]+ )*\S+@\S+|(?:https?://|www\.)\S+)"
)
_PART = re.compile(r"[^\-\u2010\u2011\u2012\u2013\u2014.\u00ad\ufffe]+")

FULL, SHORT, INITIAL = 3, 2, 1  # how well two name words agree


@dataclass(frozen=True)
class Word:
    """One part of a printed word (a hyphen or a period splits words into parts)."""

    key: str
    row: int
    start: int  # offsets of the whole word in its row, for showing it as printed
    end: int


@dataclass(frozen=True)
class PrintedText:
    """The words of a page's title block, with the breaks between names.

    `words` holds a `Word` per word part, or None where punctuation, "and" or an affiliation
    mark ends a name. The breaks between rows are not name breaks: a long author list wraps.
    """

    rows: tuple[str, ...]
    words: tuple[Word | None, ...]
    loose_accents: frozenset[int] = frozenset()  # rows whose accents the text layer lost track of

    def show(self, first: int, last: int) -> str:
        """The words `first`..`last` as the page prints them."""
        pieces: list[str] = []
        start = self.words[first]
        assert start is not None
        row, begin, end = start.row, start.start, start.end
        for word in self.words[first + 1 : last + 1]:
            if word is None:
                continue
            if word.row != row:
                pieces.append(self.rows[row][begin:end])
                row, begin = word.row, word.start
            end = word.end
        pieces.append(self.rows[row][begin:end])
        return " ".join(pieces)


def printed_text(rows: list[str]) -> PrintedText:
    """The words of `rows` (a title block, top to bottom), addresses and marks left out."""
    words: list[Word | None] = []
    loose = frozenset(number for number, row in enumerate(rows) if _UNJOINED.search(row))
    rows = [_DETACHED.sub(lambda found: "" if " " in found[0] else found[0], row) for row in rows]
    for number, raw in enumerate(rows):
        text = _ADDRESSES.sub(lambda found: "," + " " * (len(found.group(0)) - 1), raw)
        previous_end = 0
        for found in _WORD.finditer(text):
            if _SEPARATOR.search(text, previous_end, found.start()):
                words.append(None)
            previous_end = found.end()
            token = found.group(0)
            if token.lower() == "and":
                words.append(None)
                continue
            start, end = found.start(), found.end()
            lead = _LEADING_MARKS.match(token)
            if lead:
                words.append(None)
                start += lead.end()
            core = text[start:end]
            trail = False
            for marks in (_TRAILING_MARKS, _GLUED_CAPITAL, _TRAILING_MARKS):  # "TimorW*"
                found_mark = marks.search(core)
                if found_mark:
                    trail = True
                    end = start + found_mark.start()
                    core = text[start:end]
            parts = [_word_key(part) for part in _PART.findall(core)]
            for key in parts:
                if key:
                    words.append(Word(key=key, row=number, start=start, end=end))
            if trail:
                words.append(None)
        if _SEPARATOR.search(text, previous_end):  # "Smith," ending a line
            words.append(None)
    return PrintedText(rows=tuple(rows), words=tuple(words), loose_accents=loose)


@dataclass(frozen=True)
class Found:
    """Where a metadata name stands on the page, and how it is printed there."""

    printed: str  # the words as the page prints them
    same: bool  # the same spelling: only case, spacing and affiliation marks differ
    first: int  # the span of words in `PrintedText.words`
    last: int


def find_name(name: str, given: str, family: str, text: PrintedText) -> Found | None:
    """The printed name that spells the same person as the metadata's `name`, whose parts
    are `given` and `family`.

    The family name must be printed in full (accents and hyphens aside); the given names
    must agree where both sides have them, in full, shortened ("Kim" for "Kimberly") or as
    initials. Middle names or initials may stand on one side only, and the order may be
    swapped. Two or more given names printed in full may come with the family name as an
    initial ("R. Gnana Praveen"). A shared initial alone does not make "John A. Smith" the
    "Mary A. Smith" on the page.
    """
    meta = [(key, False) for key in _name_keys(given)] + [(key, True) for key in _name_keys(family)]
    best: tuple[tuple[int, bool, int, int], int, int] | None = None
    for (agreement, natural, left), first, last in _spans(meta, text.words):
        rank = (agreement, natural, -left, -(last - first))
        if best is None or rank > best[0]:
            best = (rank, first, last)
    if best is None:
        return None
    _, first, last = best
    printed = text.show(first, last)
    rows = {word.row for word in text.words[first : last + 1] if word is not None}
    loose = bool(rows & text.loose_accents)
    spellings = {_strict(name, loose), _strict(f"{given} {family}", loose)}
    same = _strict(printed, loose) in spellings
    return Found(printed=printed, same=same, first=first, last=last)


def nearest_name(name: str, text: PrintedText, *, cutoff: float = 0.8) -> str | None:
    """The run of printed words closest in letters to `name`, when it is close: a typo,
    two words glued ("MohammadAli"), a name that wrapped onto the next line."""
    target = match_key(name)
    size = len(name.split()) + 1
    best: tuple[float, str] | None = None
    words = text.words
    for first, word in enumerate(words):
        if word is None:
            continue
        key = ""
        for last in range(first, min(first + size, len(words))):
            following = words[last]
            if following is None:
                break
            key += following.key
            ratio = difflib.SequenceMatcher(None, target, key).ratio()
            if ratio >= cutoff and (best is None or ratio > best[0]):
                best = (ratio, text.show(first, last))
    return best[1] if best else None


_Meta = list[tuple[str, bool]]  # the metadata name's words, each flagged True in the family


def _spans(
    meta: _Meta, words: tuple[Word | None, ...]
) -> list[tuple[tuple[int, bool, int], int, int]]:
    """The spans of printed words that can be this person, with their scores."""
    family = [key for key, in_family in meta if in_family]
    glued_family = "".join(family)
    given = [key for key, in_family in meta if not in_family]
    # Two given names printed in full may carry a family name reduced to its initial
    # ("R. Gnana Praveen" for Gnana Praveen Rajasekhar).
    named = given if len(given) >= 2 else []
    anchors = [
        index
        for index, word in enumerate(words)
        if word is not None
        and (
            word.key == glued_family
            or any(_agree(word.key, key, given=False) == FULL for key in family + named)
        )
    ]
    spans = []
    for anchor in anchors:
        low = anchor
        while low > 0 and anchor - low < _REACH and words[low - 1] is not None:
            low -= 1
        high = anchor
        while high + 1 < len(words) and high - anchor < _REACH and words[high + 1] is not None:
            high += 1
        for first in range(low, anchor + 1):
            for last in range(anchor, high + 1):
                score = _score(meta, words, first, last)
                if score is not None:
                    spans.append((score, first, last))
    return spans


_REACH = 5  # words either side of the family name that may still belong to the name


def _score(
    meta: _Meta, words: tuple[Word | None, ...], first: int, last: int
) -> tuple[int, bool, int] | None:
    """(agreement, given names first, printed words left over) of the printed words
    `first`..`last` read as this person, or None when they cannot be this person."""
    printed = [word.key for word in words[first : last + 1] if word is not None]
    pairs = _pair(printed, meta)
    if 0 not in pairs or len(printed) - 1 not in pairs:
        return None  # a span starts and ends on words of this name, not on a neighbour's
    agreements = [
        (position, index, strength)
        for position, matched in pairs.items()
        for index, strength in matched
    ]
    particles = _particles(meta)
    family = [
        strength for _, index, strength in agreements if meta[index][1] and index not in particles
    ]
    given = [strength for _, index, strength in agreements if not meta[index][1]]
    given_words = sum(1 for _, in_family in meta if not in_family)
    if FULL not in family:
        initials_only = family and set(family) == {INITIAL}
        if not (initials_only and given_words >= 2 and given == [FULL] * given_words):
            return None
    elif given_words and not given:
        return None
    given_at = [position for position, index, _ in agreements if not meta[index][1]]
    family_at = [position for position, index, _ in agreements if meta[index][1]]
    natural = not given_at or max(given_at) <= min(family_at)
    if not natural and min(given_at) < max(family_at):
        return None  # given names on both sides of the family name: a neighbour's initial
    matched = {index for _, index, _ in agreements}
    meta_left = [
        key
        for index, (key, _) in enumerate(meta)
        if index not in matched and index not in particles and key not in _SUFFIX_KEYS
    ]
    printed_left = len(printed) - len(pairs)
    if meta_left and printed_left:
        return None  # each side has words the other lacks: two people
    if given and max(given) == INITIAL and meta_left and first > 0 and words[first - 1]:
        return None  # "Mary A. Smith" printed where the metadata has "John A. Smith"
    return sum(strength for _, _, strength in agreements), natural, printed_left


def _particles(meta: _Meta) -> set[int]:
    """The metadata words that are particles of the family name ("van der" of "van der
    Berg"): lower-case words before its last word, which may itself be "Das" or "Van"."""
    family = [index for index, (_, in_family) in enumerate(meta) if in_family]
    return {index for index in family[:-1] if meta[index][0] in PARTICLES}


def _pair(printed: list[str], meta: _Meta) -> dict[int, list[tuple[int, int]]]:
    """The metadata words each printed word stands for, with how well they agree.

    The strongest agreements are taken first. A printed word may stand for metadata words
    glued together ("MohammadAli"); printed words glued may stand for one metadata word
    (an empty list for the words after the first).
    """
    pairs: dict[int, list[tuple[int, int]]] = {}
    used: set[int] = set()
    for index, key in enumerate(printed):
        for start in range(len(meta) - 1):
            for stop in range(start + 2, min(start + 4, len(meta) + 1)):
                span = range(start, stop)
                open_span = index not in pairs and not used.intersection(span)
                if open_span and key == "".join(meta[i][0] for i in span):
                    pairs[index] = [(i, FULL) for i in span]
                    used.update(span)
    for index in range(len(printed) - 1):
        for stop in range(index + 2, min(index + 4, len(printed) + 1)):
            if any(i in pairs for i in range(index, stop)):
                continue
            glued = "".join(printed[index:stop])
            free = [i for i, (key, _) in enumerate(meta) if i not in used and key == glued]
            if free:
                pairs[index] = [(free[0], FULL)]
                pairs.update({i: [] for i in range(index + 1, stop)})
                used.add(free[0])
    for wanted in (FULL, SHORT, INITIAL):
        for index, key in enumerate(printed):
            if index in pairs:
                continue
            for meta_index, (part, in_family) in enumerate(meta):
                if meta_index not in used and _agree(key, part, given=not in_family) == wanted:
                    pairs[index] = [(meta_index, wanted)]
                    used.add(meta_index)
                    break
    return pairs


def _agree(printed: str, meta: str, *, given: bool) -> int:
    short, long = sorted((printed, meta), key=len)
    if len(short) == 1:  # an initial, even against the same initial, says little
        return INITIAL if long.startswith(short) else 0
    if printed == meta or _loose(printed) == _loose(meta):
        return FULL
    if not given:
        return 0
    if len(short) >= 3 and long.startswith(short):
        return SHORT
    return 0


_SUFFIX_KEYS = frozenset(match_key(suffix) for suffix in SUFFIXES)


def _name_keys(text: str) -> list[str]:
    keys = []
    for word in text.split():
        for part in _PART.findall(word):
            key = _word_key(part)
            if key:
                keys.append(key)
    return keys


def _word_key(text: str) -> str:
    return "".join(char for char in match_key(text) if not char.isdigit())


def _loose(key: str) -> str:
    """German umlauts written out ("Mueller" for "Müller") and the letters folded alike."""
    return key.replace("ae", "a").replace("oe", "o").replace("ue", "u")


# Accents a text layer keeps apart from their letter when a font has no accented glyphs
# ("M¨uller", "Garc´ıa"): joined again so that only real differences of spelling remain.
_SPACING_ACCENTS = {
    "\u00a8": "\u0308",
    "\u00b4": "\u0301",
    "`": "\u0300",
    "\u02c6": "\u0302",
    "^": "\u0302",
    "\u02dc": "\u0303",
    "~": "\u0303",
    "\u00b8": "\u0327",
    "\u02da": "\u030a",
    "\u02c7": "\u030c",
    "\u00af": "\u0304",
    "\u02d8": "\u0306",
    "\u02d9": "\u0307",
    "\u02dd": "\u030b",
    "\u02db": "\u0328",
}
_SPACING_ACCENT = re.compile(f"([{''.join(_SPACING_ACCENTS)}])\\s?([^\\W\\d_])")
# A spacing accent that stands apart from any letter: the text layer lost track of which
# letter it sits on ("Fernandez ´"), so accents of that row say nothing.
_UNJOINED = re.compile("[\u00a8\u00b4\u02c6\u02dc\u00b8\u02da\u02c7\u00af\u02d8\u02d9\u02dd\u02db]")
# The same, set between two pieces of a word ("Moroll ´ on", "Mar ´ ´ıa"): taken out, so
# that the pieces are one word again.
_DETACHED = re.compile(f"(?<=[^\\W\\d_])(?: ?{_UNJOINED.pattern})+ ?(?=[^\\W\\d_])")
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014]")


def _strict(text: str, loose: bool = False) -> str:
    """`text` for telling spellings apart: case, spaces, periods and marks dropped, accents
    (unless `loose`) and hyphens kept. Spacing accents before a letter join it."""
    text = _SPACING_ACCENT.sub(
        lambda found: found.group(2).replace("\u0131", "i") + _SPACING_ACCENTS[found.group(1)],
        text,
    )
    text = _DASHES.sub("-", text.replace("\u00ad", "")).casefold()
    if loose:  # a dotless i is what a text layer leaves of an i under a lost accent
        text = "".join(
            char
            for char in unicodedata.normalize("NFKD", text.replace("\u0131", "i"))
            if not unicodedata.combining(char)
        )
    text = unicodedata.normalize("NFC", text)
    return "".join(char for char in text if char.isalpha() or char == "-")


# Words of the names of institutions, never of people: "Stability AI Language Team".
ORGANISATION_WORDS = frozenset(
    "university universitat universite universidad universita universiteit universidade "
    "institute institut instituto istituto laboratory laboratories lab labs department dept "
    "school college faculty center centre research inc ltd llc gmbh corp corporation company "
    "foundation team group consortium collaboration hospital academy sciences science "
    "technology technologies polytechnic politecnico ecole council agency ministry "
    "unit division".split()
)


def has_organisation_word(text: str) -> bool:
    return any(_word_key(word) in ORGANISATION_WORDS for word in re.split(r"[\s,;()]+", text))


def unlisted_names(
    text: PrintedText, found: list[tuple[int, int, str]], rows: set[int] | None = None
) -> list[str]:
    """Printed names that the authors found in `text` do not account for.

    `found` holds, for each author found (by `find_name` or `glued_span`), the first and last
    of its words and the author's given and family names. The words left over in `rows` (all
    rows when None) that form runs of two or more capitalised words (lower-case particles
    allowed inside) are names no author accounts for. A run with a word of an institution's
    name, or made of the name words of authors found on the same row (an address "Ai Ti@..."
    printed with spaces), is left out.
    """
    covered: set[int] = set()
    echoes: dict[int, set[str]] = {}  # row -> name words of the authors found on it
    for first, last, words in found:
        covered.update(range(first, last + 1))
        for word in text.words[first : last + 1]:
            if word is not None:
                echoes.setdefault(word.row, set()).update(_name_keys(words))
    found_names: list[str] = []
    run: list[tuple[int, int, str]] = []  # each word's first part, row and letters

    def close() -> None:
        keys = [key for _, _, key in run]
        institution = any(key in ORGANISATION_WORDS for key in keys)
        echo = all(key in echoes.get(row, set()) for _, row, key in run)
        if len(run) >= 2 and sum(map(len, keys)) >= 4 and not (institution or echo):
            found_names.append(text.show(run[0][0], _last_part(text, run[-1][0])))
        run.clear()

    index = 0
    while index < len(text.words):
        word = text.words[index]
        if word is None or index in covered or (rows is not None and word.row not in rows):
            close()
            index += 1
            continue
        last = _last_part(text, index)
        shown = text.rows[word.row][word.start : word.end]
        key = _whole_key(text, index)
        # "UK", "USA", "AI": abbreviations of places and institutions, not names
        abbreviation = shown.isupper() and len(key) <= 3 and len(shown.rstrip(".")) > 1
        if abbreviation or not shown[:1].isupper():
            if abbreviation or not (run and key in PARTICLES):
                close()
        else:
            run.append((index, word.row, key))
        index = last + 1
    close()
    return found_names


def glued_span(name: str, given: str, family: str, text: PrintedText) -> tuple[int, int] | None:
    """The words that spell `name` letter for letter, where a text layer glued words
    together or set an affiliation mark as a letter on the name ("Jonathan Mamoui").

    Up to two letters more at the end are marks only after a family name of four letters
    or more: "Liu" is another person than "Li", and "Bergman" than "Berg".
    """
    last = (_name_keys(family) or [""])[-1]
    extra = 2 if len(last) >= 4 else 0
    for key in dict.fromkeys((match_key(name), match_key(f"{given} {family}"))):
        span = _spelt_span(key, extra, text) if key else None
        if span is not None:
            return span
    return None


def _spelt_span(key: str, extra: int, text: PrintedText) -> tuple[int, int] | None:
    words = text.words
    for first, word in enumerate(words):
        if word is None or not key.startswith(word.key):
            continue
        letters = ""
        for last in range(first, len(words)):
            following = words[last]
            if following is None:
                break
            letters += following.key
            if len(letters) >= len(key):
                if letters.startswith(key) and len(letters) - len(key) <= extra:
                    return first, last
                break
    return None


def _last_part(text: PrintedText, index: int) -> int:
    """The index of the last part of the printed word whose first part is at `index`."""
    word = text.words[index]
    assert word is not None
    last = index
    while last + 1 < len(text.words):
        following = text.words[last + 1]
        if following is None or (following.row, following.start) != (word.row, word.start):
            break
        last += 1
    return last


def _whole_key(text: PrintedText, index: int) -> str:
    return "".join(
        part.key for part in text.words[index : _last_part(text, index) + 1] if part is not None
    )
