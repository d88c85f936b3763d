"""The plan of a volume: archival papers in order, their PMLR keys and page ranges.

Order: by track (in the order volume.yaml lists the tracks), then by an explicit `order`, then
by title. Keys are PMLR's ids, derived as its `create_volume.rb` does: the first author's family
name as BibTeX reads it (without a lower-case `van der`), folded and hyphenated, the two-digit
year of `published` and a letter (`garcia26a`, `garcia26b`, `loaiza-ganem23a`); `pmlr_key` in
the metadata overrides. Page ranges run consecutively from 1 over
the archival papers, each as long as its PDF.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from proceedings.pdf.layout import page_count
from proceedings.pmlr_ids import paper_id
from proceedings.texts import match_key
from proceedings.volume import Author, Paper, Track, Volume, parse_date

PageCounter = Callable[[Path], int]


class PlanError(Exception):
    """The volume cannot be planned; the message says which paper and why."""


@dataclass(frozen=True)
class PlannedPaper:
    paper: Paper
    track: Track
    key: str
    first_page: int
    last_page: int

    @property
    def pages(self) -> int:
        return self.last_page - self.first_page + 1

    @property
    def page_range(self) -> str:
        return f"{self.first_page}-{self.last_page}"


@dataclass(frozen=True)
class Plan:
    volume: Volume
    archival: tuple[PlannedPaper, ...]
    non_archival: tuple[Paper, ...]  # listed in the front matter and on the site only

    @property
    def total_pages(self) -> int:
        return self.archival[-1].last_page if self.archival else 0

    def by_track(self) -> list[tuple[Track, list[PlannedPaper]]]:
        return [
            (track, [item for item in self.archival if item.track.id == track.id])
            for track in self.volume.tracks
            if any(item.track.id == track.id for item in self.archival)
        ]


def plan_volume(volume: Volume, count_pages: PageCounter = page_count) -> Plan:
    year = _year(volume)
    track_order = {track.id: index for index, track in enumerate(volume.tracks)}
    tracks = {track.id: track for track in volume.tracks}
    archival = sorted(
        (paper for paper in volume.papers if paper.archival),
        key=lambda paper: (
            track_order.get(paper.track, len(track_order)),
            paper.order is None,
            paper.order or 0,
            match_key(paper.title),
        ),
    )
    keys = _keys(archival, year)
    planned: list[PlannedPaper] = []
    next_page = 1
    for paper in archival:
        if paper.pdf is None or not paper.pdf.is_file():
            raise PlanError(f"paper {paper.id}: its PDF {paper.pdf_shown} is missing")
        try:
            pages = count_pages(paper.pdf)
        except Exception as error:  # noqa: BLE001 - any reader failure means the same to a person
            raise PlanError(
                f"paper {paper.id}: {paper.pdf_shown} cannot be read ({error})"
            ) from None
        if pages < 1:
            raise PlanError(f"paper {paper.id}: {paper.pdf_shown} has no pages")
        track = tracks.get(paper.track) or Track(paper.track, paper.track.title(), 5)
        planned.append(
            PlannedPaper(
                paper=paper,
                track=track,
                key=keys[paper.id],
                first_page=next_page,
                last_page=next_page + pages - 1,
            )
        )
        next_page += pages
    non_archival = tuple(
        sorted(
            (paper for paper in volume.papers if not paper.archival),
            key=lambda paper: (
                track_order.get(paper.track, len(track_order)),
                match_key(paper.title),
            ),
        )
    )
    return Plan(volume=volume, archival=tuple(planned), non_archival=non_archival)


def _keys(papers: list[Paper], year: int) -> dict[str, str]:
    """PMLR's ids, given in volume order as `create_volume.rb` gives them: the stem, the
    two-digit year, and the first letter that no earlier paper took."""
    keys: dict[str, str] = {}
    taken = Counter(paper.pmlr_key for paper in papers if paper.pmlr_key)
    for key, count in taken.items():
        if count > 1:
            raise PlanError(f"pmlr_key {key!r} is given to {count} papers")
    used = set(taken)
    for paper in papers:
        if paper.pmlr_key:
            keys[paper.id] = paper.pmlr_key
            continue
        first = paper.authors[0] if paper.authors else Author("", "", "paper")
        candidate = next(
            key
            for key in (paper_id(first, f"{year % 100:02d}{letter}") for letter in _suffixes())
            if key not in used
        )
        used.add(candidate)
        keys[paper.id] = candidate
    return keys


def _suffixes() -> Iterator[str]:
    """a, b, ..., z, then aa, ab, ...: PMLR's way past 26 papers of one name and year."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    for length in itertools.count(2):
        for combination in itertools.product(letters, repeat=length):
            yield "".join(combination)


def _year(volume: Volume) -> int:
    """The year of the ids: PMLR takes it from `published` (ICBINB 2022 was published in
    2023: `saul23a`), else the workshop's year."""
    for name in ("published", "start"):
        date = parse_date(volume.proceedings.get(name))
        if date is not None:
            return date.year
    year = volume.proceedings.get("year")
    if isinstance(year, int) and not isinstance(year, bool):
        return year
    raise PlanError("volume.yaml: proceedings.published is missing; it is needed for the PMLR keys")
