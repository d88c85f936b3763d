"""The author index of the front matter: one entry per person, in filing order.

Who is one person. Occurrences of authors across papers are merged by their identifiers, in
order of trust: the OpenReview profile id, then the ORCID, then the e-mail address (case
folded). Two occurrences with the same OpenReview id are one person whatever their spelling
("José Álvarez" and "Jose Alvarez"); an ORCID or e-mail never joins two groups whose OpenReview
ids (or, for e-mail, ORCIDs) differ. An occurrence with no identifier at all joins the one
person of the same name (accents and case aside) when there is exactly one; otherwise the
unidentified occurrences of a name form a person of their own. People who share a name but
not an identifier stay apart, and their entries are told apart in print by affiliation.

How an entry is printed. The name as written, in the spelling used most often (ties: the
spelling with more accents, then the first one), inverted as "Family, Given": the family name
without its lower-case particles first, the particles after the given name, a suffix last:
"Berg, Ludwig van der", "King, Martin Luther, Jr.". A name in Chinese, Japanese or Korean
characters (family name first) or in Arabic or Hebrew script is not inverted ("王芳"). A name
in another script is followed by its inverted Latin spelling in parentheses when `latin` is
given, which is where it files: "王芳 (Wang, Fang)", "Петрова, Ирина (Petrova, Irina)". A
name without a given name is printed alone.

How entries are sorted. By the family name without particles, then the given name, then the
particles and suffix, with accents, case, spaces and punctuation folded away (so "Łukasz",
"Álvarez", "Ölmez" and "van der Berg" file under L, A, O and B). A name in another script
sorts by its `latin` spelling when given; names in other scripts without one come after all
Latin names, in code-point order of their folded family and given names. The family name
decides: "Ирина Zhang" files under Z.

Pages. Each entry lists the volume page on which each of that person's archival papers starts.
Non-archival papers have no volume pages: a person with one or more of them is listed with the
marker "(non-archival)" after the pages, once, so that every author of the front matter's list
of papers can be found in the index.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from proceedings.build.plan import Plan
from proceedings.texts import NameParts, match_key, non_latin_script, split_name
from proceedings.volume import Author, Paper

NON_ARCHIVAL_MARK = "(non-archival)"


@dataclass(frozen=True)
class Occurrence:
    """One author of one paper; `first_page` is None for a non-archival paper."""

    author: Author
    paper: Paper
    position: int  # 1-based place in the paper's author list
    first_page: int | None

    @property
    def where(self) -> str:
        return f"paper {self.paper.id} author {self.position}"


@dataclass(frozen=True)
class IndexEntry:
    heading: str  # the name as printed, "Berg, Ludwig van der"
    note: str | None  # the affiliation, when another entry prints the same name
    pages: tuple[int, ...]  # volume pages where this person's archival papers start
    non_archival: bool  # has at least one non-archival paper
    letter: str  # the group the entry files under: "A", "B", ..., or a character
    sort_key: tuple[object, ...]
    where: str  # the first occurrence, for source markers: "paper 17 author 2"
    papers: tuple[str, ...]  # paper ids, in volume order


@dataclass(frozen=True)
class SortName:
    """The parts of a name that decide where it files."""

    latin: bool  # sortable as a Latin name (written in Latin, or a Latin spelling given)
    core: str  # family name without particles
    given: str
    particle: str
    suffix: str


def sort_name(author: Author) -> SortName:
    """The filing parts of an author's name (the Latin spelling for other scripts).

    The family name decides the script: "Ирина Zhang" files with the Latin names under Z.
    """
    if author.latin and non_latin_script(author.name):
        parts = split_name(author.latin) or NameParts(given="", family=author.latin)
        return _sort_name(parts)
    return _sort_name(NameParts(author.given, author.family, author.suffix))


def _sort_name(parts: NameParts) -> SortName:
    particle = parts.particle
    core = (parts.family[len(particle) :].strip() if particle else parts.family) or parts.family
    return SortName(not non_latin_script(core), core, parts.given, particle, parts.suffix)


def sort_key(author: Author) -> tuple[object, ...]:
    """Where `author` files: Latin names by folded family (without particles), given name."""
    name = sort_name(author)
    return (
        0 if name.latin else 1,
        _fold(name.core),
        _fold(name.given),
        _fold(name.particle),
        _fold(name.suffix),
        author.name.casefold(),
    )


def person_sort_key(name: str) -> tuple[object, ...]:
    """`sort_key` for a person known only by a printed name (committees, speakers)."""
    parts = split_name(name) or NameParts(given="", family=" ".join(name.split()))
    return sort_key(Author(name=name, given=parts.given, family=parts.family, suffix=parts.suffix))


def index_heading(author: Author) -> str:
    """The name as the index prints it: "Berg, Ludwig van der", "王芳 (Wang, Fang)"."""
    if _printed_as_written(author.name):
        native = author.name
    else:
        native = _inverted(NameParts(author.given, author.family, author.suffix))
    if author.latin and non_latin_script(author.name):
        parts = split_name(author.latin)
        return f"{native} ({_inverted(parts) if parts else author.latin})"
    return native


def _inverted(parts: NameParts) -> str:
    particle = parts.particle
    core = parts.family[len(particle) :].strip() if particle else parts.family
    given = " ".join(part for part in (parts.given, particle) if part)
    text = f"{core}, {given}" if given else (core or parts.family)
    return f"{text}, {parts.suffix}" if parts.suffix else text


_AS_WRITTEN = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "ARABIC", "HEBREW")


def _printed_as_written(name: str) -> bool:
    """Names in CJK (family name first) and right-to-left scripts are not inverted."""
    letters = [char for char in name if char.isalpha()]
    return bool(letters) and all(
        unicodedata.name(char, "").startswith(_AS_WRITTEN) for char in letters
    )


def _fold(text: str) -> str:
    return match_key(text)


def occurrences(plan: Plan) -> list[Occurrence]:
    """Every author of every paper, archival papers first in volume order."""
    found: list[Occurrence] = []
    for item in plan.archival:
        for position, author in enumerate(item.paper.authors, start=1):
            found.append(Occurrence(author, item.paper, position, item.first_page))
    for paper in plan.non_archival:
        for position, author in enumerate(paper.authors, start=1):
            found.append(Occurrence(author, paper, position, None))
    return found


# The identifiers in order of trust; a weaker one may not join groups a stronger one tells apart.
_IDENTIFIERS = ("openreview", "orcid", "email")


def people(found: list[Occurrence]) -> list[list[Occurrence]]:
    """`found` grouped by person (see the module docstring), groups in order of appearance."""
    groups = _Groups([occurrence.author for occurrence in found])
    for rank, kind in enumerate(_IDENTIFIERS):
        first: dict[str, int] = {}
        for index, occurrence in enumerate(found):
            value = _identifier(occurrence.author, kind)
            if value is None:
                continue
            if value in first:
                groups.join(first[value], index, _IDENTIFIERS[:rank])
            else:
                first[value] = index
    identified = {
        index
        for index, occurrence in enumerate(found)
        if any(_identifier(occurrence.author, kind) for kind in _IDENTIFIERS)
    }
    owners: dict[str, set[int]] = {}
    for index in sorted(identified):
        owners.setdefault(match_key(found[index].author.name), set()).add(groups.find(index))
    unidentified: dict[str, int] = {}
    for index, occurrence in enumerate(found):
        if index in identified:
            continue
        name = match_key(occurrence.author.name)
        candidates = owners.get(name, set())
        if len(candidates) == 1:
            groups.join(next(iter(candidates)), index, ())
        elif name in unidentified:
            groups.join(unidentified[name], index, ())
        else:
            unidentified[name] = index
    collected: dict[int, list[Occurrence]] = {}
    for index, occurrence in enumerate(found):
        collected.setdefault(groups.find(index), []).append(occurrence)
    return list(collected.values())


def _identifier(author: Author, kind: str) -> str | None:
    value = getattr(author, kind)
    if not value:
        return None
    text = " ".join(str(value).split())
    if kind == "orcid":
        text = text.rstrip("/").rsplit("/", 1)[-1].replace("-", "").upper()
    elif kind == "email":
        text = text.casefold().removeprefix("mailto:")
    return text or None


class _Groups:
    """Union-find over occurrences that keeps each group's identifiers."""

    def __init__(self, authors: list[Author]) -> None:
        self.parent = list(range(len(authors)))
        self.ids: list[dict[str, set[str]]] = []
        for author in authors:
            known: dict[str, set[str]] = {}
            for kind in _IDENTIFIERS:
                value = _identifier(author, kind)
                if value is not None:
                    known[kind] = {value}
            self.ids.append(known)

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def join(self, first: int, second: int, must_agree: Iterable[str]) -> None:
        """Join the groups of `first` and `second` unless a stronger identifier differs."""
        a, b = sorted((self.find(first), self.find(second)))
        if a == b:
            return
        for kind in must_agree:
            left, right = self.ids[a].get(kind, set()), self.ids[b].get(kind, set())
            if left and right and not left & right:
                return
        self.parent[b] = a
        for kind, values in self.ids[b].items():
            self.ids[a].setdefault(kind, set()).update(values)


def author_index(plan: Plan) -> list[IndexEntry]:
    """The author index of the volume, in filing order."""
    groups = people(occurrences(plan))
    spellings = [_spelling(group) for group in groups]
    headings = Counter(match_key(index_heading(author)) for author in spellings)
    entries: list[IndexEntry] = []
    for group, author in zip(groups, spellings, strict=True):
        heading = index_heading(author)
        key = sort_key(author)
        note = None
        if headings[match_key(heading)] > 1:
            affiliations = Counter(item.author.affiliation for item in group)
            del affiliations[None]
            note = affiliations.most_common(1)[0][0] if affiliations else None
        entries.append(
            IndexEntry(
                heading=heading,
                note=note,
                pages=tuple(sorted({item.first_page for item in group if item.first_page})),
                non_archival=any(item.first_page is None for item in group),
                letter=_letter(sort_name(author).core or author.name, latin=key[0] == 0),
                sort_key=key,
                where=group[0].where,
                papers=tuple(dict.fromkeys(item.paper.id for item in group)),
            )
        )
    return sorted(entries, key=lambda entry: (entry.sort_key, entry.note or "", entry.pages))


def _spelling(group: list[Occurrence]) -> Author:
    """The spelling used most often; ties go to the one with more accents, then the first."""
    counts = Counter(item.author.name for item in group)
    best = max(counts, key=lambda name: (counts[name], sum(not char.isascii() for char in name)))
    chosen = next(item.author for item in group if item.author.name == best)
    latin = chosen.latin or next((item.author.latin for item in group if item.author.latin), None)
    return replace(chosen, latin=latin)


def _letter(core: str, latin: bool) -> str:
    folded = _fold(core)
    if latin and folded and folded[0].isascii():
        return folded[0].upper() if folded[0].isalpha() else "#"
    first = core.strip()[:1]
    return first.upper() if first else "#"


def index_groups(entries: list[IndexEntry]) -> list[tuple[str, list[IndexEntry]]]:
    """The entries under their letters, in order."""
    groups: list[tuple[str, list[IndexEntry]]] = []
    for entry in entries:
        if groups and groups[-1][0] == entry.letter:
            groups[-1][1].append(entry)
        else:
            groups.append((entry.letter, [entry]))
    return groups
