"""Rules about what names and identifies each paper in papers.yaml: its id, title, track,
authors' names and PMLR key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from proceedings.asciilatex import encode
from proceedings.bib.text import comparable
from proceedings.pmlr_ids import PMLR_KEY, safe_name, supplementary_extension
from proceedings.report import Severity
from proceedings.rules import Violation, rule
from proceedings.rules.volume_walk import at_path, paper_entries
from proceedings.texts import match_key
from proceedings.venues import default_profile
from proceedings.volume import VolumeSources, author_parts
from proceedings.yamlsource import PathKey, format_path


@rule(
    "VOL005",
    "duplicate-id",
    Severity.ERROR,
    fix="Give each paper its own id (the OpenReview number is a good choice).",
    subject="volume",
)
def duplicate_id(sources: VolumeSources) -> Iterator[Violation]:
    """Two papers share an id.

    ## What it catches
    The same `id` on two entries of papers.yaml.

    ## Why it matters
    The id names the PDF (`pdf/<id>.pdf`) and the paper in every report; two papers with one id
    get each other's PDF.

    ## Example
    Two papers with the id 12:

        error VOL005 papers.yaml:38 papers[1].id: the same id as papers[0] (line 4)

    ## How to fix
    Make the ids unique.
    """
    yield from _duplicates(sources, "id", lambda value: str(value).strip(), "id")


@rule(
    "VOL006",
    "unknown-track",
    Severity.ERROR,
    fix="Use one of the track ids defined under `tracks:` in volume.yaml.",
    subject="volume",
)
def unknown_track(sources: VolumeSources) -> Iterator[Violation]:
    """A paper's track is not one of the volume's tracks.

    ## What it catches
    `track: short` when volume.yaml defines only `long` and `tiny`.

    ## Why it matters
    The track sets the page limit and the section of the table of contents.

    ## Example
    `track: short` in a volume of long and tiny papers:

        error VOL006 papers.yaml:33 papers[0].track: 'short' is not a track of this volume (long,
        tiny)

    ## How to fix
    Use a track id from volume.yaml, or add the track there.
    """
    tracks = _track_ids(sources)
    for index, entry, source in paper_entries(sources):
        track = entry.get("track")
        if isinstance(track, str) and track.strip() and track.strip() not in tracks:
            path: PathKey = ("papers", index, "track")
            known = ", ".join(sorted(tracks))
            yield at_path(
                source,
                path,
                f"{format_path(path)}: {track!r} is not a track of this volume ({known})",
            )


@rule(
    "VOL009",
    "duplicate-title",
    Severity.ERROR,
    fix="Check that each entry carries its own paper's title.",
    subject="volume",
)
def duplicate_title(sources: VolumeSources) -> Iterator[Violation]:
    """Two papers carry the same title.

    ## What it catches
    Titles equal once case, accents and punctuation are ignored.

    ## Why it matters
    A past PMLR volume of this workshop went live with a paper carrying another paper's title:
    a copy-and-paste slip that nobody notices until it is published.

    ## Example
    One paper's title pasted into another's entry:

        error VOL009 papers.yaml:39 papers[1].title: the same title as papers[0] (line 5)

    ## How to fix
    Give each entry its own paper's title.
    """
    yield from _duplicates(sources, "title", _title_key, "title")


@rule(
    "VOL010",
    "name-unsplittable",
    Severity.WARNING,
    fix="Add `given:` and `family:` to this author so PMLR gets `Family, Given`.",
    subject="volume",
)
def name_unsplittable(sources: VolumeSources) -> Iterator[Violation]:
    """An author's name cannot be split into given and family names.

    ## What it catches
    A one-word name ("Madonna") with no explicit `given`/`family`: it is published as one
    name, braced (`{Madonna}`). An error when the word has more than one accented letter:
    PMLR's checker refuses such a braced name.

    ## Why it matters
    PMLR lists authors as `Family, Given`; the author index sorts by family name.

    ## Known problems
    Names are split at the last word (with particles such as van, de, von joining the family
    name), which is wrong for some naming traditions; explicit `given`/`family` always win.

    ## Example
    An author known by one name:

        warning VOL010 papers.yaml:16 papers[0].authors[2].name: 'Madonna' cannot be split into
        given and family names; it is published as one name

    ## How to fix
    Add `given:` and `family:` to the author.
    """
    for index, entry, source in paper_entries(sources):
        authors = entry.get("authors")
        for number, author in enumerate(authors if isinstance(authors, list) else []):
            if isinstance(author, str):
                author = {"name": author}
            if not isinstance(author, dict) or not isinstance(author.get("name"), str):
                continue
            if author_parts(author) is None:
                path: PathKey = ("papers", index, "authors", number, "name")
                # PMLR's checker takes a one-word name braced (`{Madonna}`), with at most one
                # brace group inside: one accented letter.
                groups = encode(author["name"]).latex.count("{")
                yield Violation(
                    f"{format_path(path)}: {author['name']!r} cannot be split into given and "
                    "family names"
                    + (
                        "; PMLR's checker refuses it as one word with more than one accent"
                        if groups > 1
                        else "; it is published as one name"
                    ),
                    file=source.file,
                    line=source.line(path),
                    severity=Severity.ERROR if groups > 1 else None,
                )


@rule(
    "VOL013",
    "unsafe-name",
    Severity.ERROR,
    fix="Use ASCII letters, digits, `-` and `_` (a `pmlr_key` in lower case, like `toner26a`); "
    "pack supplementary material as one `.pdf`, `.zip` or `.tar.gz`.",
    subject="volume",
)
def unsafe_name(sources: VolumeSources) -> Iterator[Violation]:
    """An id or `pmlr_key` that cannot be a file name, or a supplementary file PMLR does not take.

    ## What it catches
    An `id` that is not letters, digits, `.`, `_` and `-` (it names `pdf/<id>.pdf`: `../x`,
    `a/b`, a NUL, 200 characters or more); a `pmlr_key` that is not PMLR's form of an id
    (lower-case letters, digits, `-`, `_`), such as `../../pdf/17`; a supplementary file that is
    not a `.pdf`, `.zip` or `.tar.gz`.

    ## Why it matters
    These names become files of the PMLR upload (`<key>.pdf`, `<key>-supp.zip`) and paths of
    the volume: a key with `../` in it would write outside the build and overwrite other
    files; PMLR publishes supplementary material only as PDF, zip or tar.gz.

    ## Example
    A `pmlr_key` that climbs out of the upload:

        error VOL013 papers.yaml:149 papers[3].pmlr_key: '../../pdf/17' is not a PMLR id (lower-case
        letters, digits, `-`, `_`)

    ## How to fix
    Rename the id or key; pack the supplementary material as a zip.
    """
    for index, entry, source in paper_entries(sources):
        paper_id = entry.get("id")
        if isinstance(paper_id, (str, int)) and not isinstance(paper_id, bool):
            text = str(paper_id).strip()
            if text and not safe_name(text):
                path: PathKey = ("papers", index, "id")
                shown = text if len(text) <= 60 else text[:40] + f"... ({len(text)} characters)"
                yield at_path(
                    source,
                    path,
                    f"{format_path(path)}: {shown!r} cannot name the paper's files",
                )
        key = entry.get("pmlr_key")
        if isinstance(key, str) and key.strip() and not PMLR_KEY.match(key.strip()):
            path = ("papers", index, "pmlr_key")
            yield at_path(
                source,
                path,
                f"{format_path(path)}: {key!r} is not a PMLR id (lower-case letters, digits, "
                "`-`, `_`)",
            )
        supplementary = entry.get("supplementary")
        if (
            isinstance(supplementary, str)
            and supplementary.strip()
            and supplementary_extension(Path(supplementary.strip())) is None
        ):
            path = ("papers", index, "supplementary")
            yield at_path(
                source,
                path,
                f"{format_path(path)}: {supplementary!r} is not a .pdf, .zip or .tar.gz "
                "file, which PMLR publishes beside a paper",
            )


def _track_ids(sources: VolumeSources) -> set[str]:
    data = sources.volume.data if sources.volume is not None else None
    tracks = data.get("tracks") if isinstance(data, dict) else None
    if not isinstance(tracks, list) or not tracks:  # the volume then takes the default venue's
        return {track.id for track in default_profile().tracks}
    return {
        str(track["id"]).strip()
        for track in tracks
        if isinstance(track, dict) and isinstance(track.get("id"), str)
    }


def _title_key(title: str) -> str:
    """Titles compared as PMLR020 compares them in the bib the build writes: "∞" and "∞." are
    one title, `$\\infty$` once written."""
    return comparable(encode(title).latex) or match_key(title)


def _duplicates(sources: VolumeSources, name: str, key: Any, noun: str) -> Iterator[Violation]:
    seen: dict[str, list[int]] = defaultdict(list)
    source = sources.papers
    for index, entry, _ in paper_entries(sources):
        value = entry.get(name)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and key(str(value)):
            seen[key(str(value))].append(index)
    if source is None:
        return
    for indexes in seen.values():
        first = indexes[0]
        for index in indexes[1:]:
            path: PathKey = ("papers", index, name)
            first_line = source.line(("papers", first, name))
            yield at_path(
                source,
                path,
                f"{format_path(path)}: the same {noun} as papers[{first}] (line {first_line})",
            )
