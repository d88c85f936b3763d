"""The volume: `volume.yaml` and `papers.yaml` read into dataclasses.

Reading is lenient: whatever can be understood becomes a `Volume`, and the rules of subject
"volume" (rules/volume.py) report what is wrong with the sources, each with its file, line
and field path. Nothing here raises on bad metadata.
"""

from __future__ import annotations

import datetime
import math
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from proceedings.program import PROGRAM_FILE, Problem, Program, read_program
from proceedings.safe_read import file_kind
from proceedings.texts import NameParts, split_name
from proceedings.venues import (
    PAGE_SIZES,
    UNKNOWN_TRACK_LIMIT,
    VenueProfile,
    default_profile,
    get_profile,
    head_pattern_error,
)
from proceedings.venues import Track as Track  # re-exported: a volume's model
from proceedings.venues import VenueRules as VenueRules
from proceedings.yamlsource import YamlError, YamlSource, read_yaml
from proceedings.yamlsource import parse_date as parse_date  # re-exported

VOLUME_FILE = "volume.yaml"
PAPERS_FILE = "papers.yaml"


@dataclass(frozen=True)
class Author:
    name: str
    given: str
    family: str
    suffix: str = ""
    latin: str | None = None  # an ASCII spelling for PMLR when the name is in another script
    affiliation: str | None = None
    email: str | None = None
    orcid: str | None = None
    openreview: str | None = None


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    authors: tuple[Author, ...]
    abstract: str
    track: str
    archival: bool
    pdf: Path | None  # absolute; None when the path given leaves the volume folder
    pdf_shown: str  # as written, relative to the volume folder
    line: int  # where the entry starts in papers.yaml
    section: str | None = None
    openreview: str | None = None
    supplementary: Path | None = None
    pmlr_key: str | None = None
    order: int | None = None


@dataclass
class Volume:
    root: Path
    proceedings: dict[str, Any]
    tracks: tuple[Track, ...]
    venue: VenueRules
    frontmatter: dict[str, Any]
    papers: list[Paper]
    program: Program | None = None  # program.yaml, when there is one that can be read

    def track(self, track_id: str) -> Track | None:
        return next((track for track in self.tracks if track.id == track_id), None)


@dataclass
class VolumeSources:
    """The raw YAML of a volume folder, with positions: what the volume rules read."""

    root: Path
    volume: YamlSource | None
    papers: YamlSource | None
    errors: list[YamlError] = field(default_factory=list)
    program: YamlSource | None = None  # program.yaml is optional
    memo: dict[str, Any] = field(default_factory=dict)  # work shared between rules


def is_volume(folder: Path) -> bool:
    """Whether `folder` holds a papers.yaml or volume.yaml of any kind: one that is a FIFO,
    a folder or a broken link still makes a volume, whose reading reports it."""
    return any(os.path.lexists(folder / name) for name in (PAPERS_FILE, VOLUME_FILE))


def read_sources(root: Path) -> VolumeSources:
    sources = VolumeSources(root=root, volume=None, papers=None)
    for name in (VOLUME_FILE, PAPERS_FILE):
        path = root / name
        if not os.path.lexists(path):
            # Both are needed to build; a folder with neither is not a volume at all.
            sources.errors.append(YamlError(name, None, "is missing from the volume folder"))
            continue
        try:
            source = read_yaml(path, name)
        except YamlError as error:
            sources.errors.append(error)
            continue
        if name == VOLUME_FILE:
            sources.volume = source
        else:
            sources.papers = source
    if os.path.lexists(root / PROGRAM_FILE):
        try:
            sources.program = read_yaml(root / PROGRAM_FILE, PROGRAM_FILE)
        except YamlError as error:
            sources.errors.append(error)
    return sources


def program_of(sources: VolumeSources) -> tuple[Program | None, list[Problem]]:
    """The program of program.yaml checked against the papers and invited speakers of the
    volume, and its problems; (None, []) when there is no program.yaml."""
    if sources.program is None:
        return None, []
    data = _mapping(sources.volume.data if sources.volume else None)
    papers = _mapping(sources.papers.data if sources.papers else None).get("papers")
    ids = [
        _text(entry.get("id"))
        for entry in (papers if isinstance(papers, list) else [])
        if isinstance(entry, dict) and _text(entry.get("id"))
    ]
    speakers = _mapping(data.get("frontmatter")).get("invited_speakers")
    return read_program(
        sources.program,
        ids,
        speakers if isinstance(speakers, list) else [],
        _mapping(data.get("proceedings")).get("start"),
    )


def inside(root: Path, relative: str) -> Path | None:
    """`relative` resolved under `root`, or None when it leaves the folder (`../`, `/etc`)."""
    candidate = Path(relative)
    if candidate.is_absolute():
        return None
    base = root.resolve()
    try:
        resolved = (root / candidate).resolve()
    except (OSError, ValueError):  # a NUL byte: no file has that name; judge it as written
        resolved = Path(os.path.normpath(base / candidate))
    if not resolved.is_relative_to(base):
        return None
    return root / candidate


def build_volume(sources: VolumeSources) -> Volume:
    """The volume as far as the sources allow; problems are the volume rules' to report."""
    data = _mapping(sources.volume.data if sources.volume else None)
    venue_data = _mapping(data.get("venue"))
    profile = venue_profile(venue_data)
    tracks = _tracks(data.get("tracks"), profile or default_profile())
    venue = _venue(venue_data, profile)
    papers_data = _mapping(sources.papers.data if sources.papers else None).get("papers")
    papers = []
    for index, entry in enumerate(papers_data if isinstance(papers_data, list) else []):
        paper = _paper(sources, index, entry)
        if paper is not None:
            papers.append(paper)
    return Volume(
        root=sources.root,
        proceedings=_mapping(data.get("proceedings")),
        tracks=tracks,
        venue=venue,
        frontmatter=_mapping(data.get("frontmatter")),
        papers=papers,
        program=program_of(sources)[0],
    )


def load_volume(root: Path) -> tuple[Volume, VolumeSources]:
    sources = read_sources(root)
    return build_volume(sources), sources


def is_file(path: Path) -> bool:
    """`path.is_file()`, and False for a name no file can have (too long, a NUL byte), on
    which `Path.is_file` raises."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def file_problem(path: Path) -> str | None:
    """Why `path` is not a regular file to read ("does not exist", "is a FIFO (named pipe),
    not a regular file", ...), or None when it is one."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            return "is a link to a file that does not exist"
        return "does not exist"
    except (OSError, ValueError):
        return "does not exist"  # no file can have this name (too long, a NUL byte)
    if stat.S_ISREG(mode):
        return None
    return f"is {file_kind(mode)}, not a regular file"


def leaves_volume(root: Path, path: Path) -> bool:
    """Whether `path` (in `root`), once its links are followed, is outside `root`."""
    try:
        return not path.resolve().is_relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a loop of links
        return False


def author_parts(entry: dict[str, Any]) -> NameParts | None:
    """Given and family names: explicit ones in the metadata win over the split of `name`."""
    given, family = entry.get("given"), entry.get("family")
    if isinstance(family, str) and family.strip():
        return NameParts(given=str(given or "").strip(), family=family.strip())
    name = entry.get("name")
    return split_name(name) if isinstance(name, str) else None


# PMLR releases some volumes days before their workshop; months before is a wrong year.
EARLY_RELEASE_DAYS = 60


@dataclass(frozen=True)
class DateProblem:
    message: str
    serious: bool  # a wrong date (an error), not an early release (a warning)


def published_problem(
    start: datetime.date | None, end: datetime.date | None, published: datetime.date | None
) -> DateProblem | None:
    """What is wrong with a volume's `published` date, by PMLR's practice: more than
    `EARLY_RELEASE_DAYS` before `start` is a wrong date; before `end` by less, an early
    release worth a warning."""
    if published is None:
        return None
    if start is not None and (start - published).days > EARLY_RELEASE_DAYS:
        days = (start - published).days
        return DateProblem(
            f"{published.isoformat()} is {days} days before the workshop starts "
            f"({start.isoformat()}): a wrong year?",
            serious=True,
        )
    last = end or start
    if last is not None and published < last:
        return DateProblem(
            f"{published.isoformat()} is before the workshop ends ({last.isoformat()}); "
            "PMLR publishes such a volume as released before its workshop",
            serious=False,
        )
    return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return " ".join(str(value).split()) if not isinstance(value, bool) else ""


def _optional(value: Any) -> str | None:
    text = _text(value)
    return text or None


def venue_profile(venue: dict[str, Any]) -> VenueProfile | None:
    """The shipped profile `venue.profile` names, or None (none named, or unknown: VOL018)."""
    name = venue.get("profile")
    return get_profile(name) if isinstance(name, str) else None


def _tracks(value: Any, profile: VenueProfile) -> tuple[Track, ...]:
    if not isinstance(value, list) or not value:
        return profile.tracks
    tracks = []
    for entry in value:
        if not isinstance(entry, dict) or not _text(entry.get("id")):
            continue
        track_id = _text(entry.get("id"))
        limit = page_limit(entry.get("page_limit"))
        if limit is None:  # VOL003 reports it; the papers are still checked against a limit
            known = profile.track(track_id)
            limit = known.page_limit if known is not None else UNKNOWN_TRACK_LIMIT
        tracks.append(
            Track(
                id=track_id,
                title=_text(entry.get("title")) or track_id,
                page_limit=limit,
            )
        )
    return tuple(tracks)


def page_limit(value: Any) -> float | None:
    """A track's `page_limit` as a number of pages, or None when it cannot be one: not a
    number, `true`, `.nan`, `.inf`, zero or less (each of which would disable the limit)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        limit = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return limit if math.isfinite(limit) and limit > 0 else None


SEVERITY_LEVELS = ("error", "warning", "info", "off")


def severity_level(value: Any) -> str | None:
    """A `venue.severities` value as a level, or None when it is none of SEVERITY_LEVELS."""
    if value is False:  # YAML reads a bare `off` as false
        return "off"
    if isinstance(value, str) and value.strip().lower() in SEVERITY_LEVELS:
        return value.strip().lower()
    return None


def severity_code(value: Any) -> str | None:
    """A `venue.severities` key as a rule code or prefix (`FONT002`, `MARGIN`), or None when
    it is empty: applied, `""` would match every rule. A key that names no rule is kept here
    and never matches (`checks.with_severities`); VOL015 reports it."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().upper()


def _venue(data: dict[str, Any], profile: VenueProfile | None) -> VenueRules:
    """The venue's rules: the profile's, with what volume.yaml sets in their place. A value
    that cannot be used (VOL003, VOL015, VOL018 report it) is not applied: a bad running-head
    pattern checks no head, rather than failing every paper on it."""
    rules = profile.rules if profile is not None else VenueRules()
    changes: dict[str, Any] = {}
    if "page_size" in data:
        size = _text(data["page_size"]).lower().replace(" ", "")
        size = {"usletter": "letter"}.get(size, size)
        changes["page_size"] = size if size in PAGE_SIZES else ""
    if "running_head" in data:
        head = _optional(data["running_head"])
        changes["running_head"] = head if head is None or head_pattern_error(head) is None else None
    names = data.get("not_counted")
    if isinstance(names, list):
        changes["not_counted"] = tuple(_text(name) for name in names if _text(name))
    if isinstance(data.get("disclosure_required"), bool):
        changes["disclosure_required"] = data["disclosure_required"]
    if isinstance(data.get("layout"), dict):
        changes["layout"] = tuple((str(key), value) for key, value in data["layout"].items())
    if "severities" in data:
        # An entry that is not a known rule and level is refused by VOL015, never applied.
        changes["severities"] = tuple(
            (code, level)
            for code, level in (
                (severity_code(key), severity_level(value))
                for key, value in _mapping(data.get("severities")).items()
            )
            if code is not None and level is not None
        )
    return replace(rules, **changes)


def _paper(sources: VolumeSources, index: int, entry: Any) -> Paper | None:
    if not isinstance(entry, dict) or _text(entry.get("id")) == "":
        return None
    assert sources.papers is not None
    paper_id = _text(entry["id"])
    pdf_shown = _text(entry.get("pdf")) or f"pdf/{paper_id}.pdf"
    pdf = inside(sources.root, pdf_shown)
    supplementary = _optional(entry.get("supplementary"))
    order = entry.get("order")
    return Paper(
        id=paper_id,
        title=_text(entry.get("title")),
        authors=tuple(_authors(entry.get("authors"))),
        abstract=str(entry.get("abstract") or "").strip(),
        track=_text(entry.get("track")) or "long",
        archival=entry.get("archival") is not False,
        pdf=pdf.absolute() if pdf is not None else None,
        pdf_shown=pdf_shown,
        line=sources.papers.line(("papers", index)) or 1,
        section=_optional(entry.get("section")),
        openreview=_optional(entry.get("openreview")),
        supplementary=inside(sources.root, supplementary) if supplementary else None,
        pmlr_key=_optional(entry.get("pmlr_key")),
        order=order if isinstance(order, int) and not isinstance(order, bool) else None,
    )


def _authors(value: Any) -> list[Author]:
    authors = []
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict) or not _text(entry.get("name")):
            continue
        parts = author_parts(entry) or NameParts(given="", family=_text(entry["name"]))
        authors.append(
            Author(
                name=_text(entry["name"]),
                given=parts.given,
                family=parts.family,
                suffix=parts.suffix,
                latin=_optional(entry.get("latin")),
                affiliation=_optional(entry.get("affiliation")),
                email=_optional(entry.get("email")),
                orcid=_optional(entry.get("orcid")),
                openreview=_optional(entry.get("openreview")),
            )
        )
    return authors
