"""Rules about the volume's metadata: volume.yaml and papers.yaml."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from proceedings.asciilatex import encode
from proceedings.bib.text import comparable
from proceedings.checks import Violation, rule, unknown_codes
from proceedings.metadata_schema import PAPERS_FILE, VOLUME_FILE, SchemaProblem, schema_problems
from proceedings.pmlr_ids import (
    PMLR_KEY,
    raw_field_problem,
    safe_name,
    section_names,
    supplementary_extension,
)
from proceedings.report import Severity
from proceedings.safe_read import ReadError, read_text
from proceedings.texts import match_key
from proceedings.venues import PAGE_SIZES, PROFILES, get_profile, head_pattern_error
from proceedings.volume import (
    SEVERITY_LEVELS,
    Track,
    VolumeSources,
    author_parts,
    file_problem,
    inside,
    page_limit,
    parse_date,
    published_problem,
    severity_code,
    severity_level,
)
from proceedings.yamlsource import PathKey, YamlSource, format_path


@rule(
    "VOL001",
    "metadata-unreadable",
    Severity.ERROR,
    fix="Correct the YAML at the line given (indentation, quotes, a missing colon).",
    subject="volume",
)
def metadata_unreadable(sources: VolumeSources) -> Iterator[Violation]:
    """volume.yaml or papers.yaml cannot be read.

    ## What it catches
    A YAML syntax error, text that is not UTF-8, a missing papers.yaml, or YAML anchors and
    aliases (refused because metadata never needs them and they allow "billion laughs" files).

    ## Why it matters
    Nothing in an unreadable file can be checked or published.

    ## Example
    A quote left open in papers.yaml:

        error VOL001 papers.yaml:40 YAML syntax error: did not find expected key

    ## How to fix
    Correct the file at the line given; an editor with YAML highlighting helps.
    """
    for error in sources.errors:
        yield Violation(f"{error.message}", file=error.file, line=error.line)


@rule(
    "VOL002",
    "missing-field",
    Severity.ERROR,
    fix="Add the field; docs/volume-format.md lists what each entry needs.",
    subject="volume",
)
def missing_field(sources: VolumeSources) -> Iterator[Violation]:
    """A required metadata field is missing or empty.

    ## What it catches
    A paper without an id, title, authors, track or archival choice; an author without a
    name; a volume without the PMLR fields or tracks. A paper without an abstract is a
    warning: PMLR publishes such papers (AFME 2024, COLT 2024).

    ## Why it matters
    PMLR needs every one of them, and the build would otherwise stop on it later.

    ## Example
    An empty title:

        error VOL002 papers.yaml:5 papers[0].title: missing

    ## How to fix
    Fill in the field named by its path (`papers[6].authors[2].name`).
    """
    yield from _schema(sources, "missing")


@rule(
    "VOL003",
    "wrong-type",
    Severity.ERROR,
    fix="Write the value in the form the field expects (text, a list, true/false, a date).",
    subject="volume",
)
def wrong_type(sources: VolumeSources) -> Iterator[Violation]:
    """A metadata value has the wrong form: a number for a title, a string for a list.

    ## What it catches
    Values YAML reads as another type than the field needs: `title: 2026`, `authors: Ana`,
    `archival: "yes"`, `page_limit: five`.

    ## Why it matters
    The value would be published wrong or not at all.

    ## Example
    `title: 2026`:

        error VOL003 papers.yaml:5 papers[0].title: must be text, not 2026

    ## How to fix
    Quote text that looks like a number or a date; write lists with `-`; use `true`/`false`.
    """
    yield from _schema(sources, "type")


@rule(
    "VOL004",
    "unknown-key",
    Severity.WARNING,
    fix="Rename the key to a known one (the message suggests the closest) or remove it.",
    subject="volume",
)
def unknown_key(sources: VolumeSources) -> Iterator[Violation]:
    """A metadata key that no part of proceedings reads: usually a typo.

    ## What it catches
    `titel:` for `title:`, `affilation:` for `affiliation:`, and other keys the format does not
    define.

    ## Why it matters
    A misspelt key is silently ignored, so its value never reaches the volume.

    ## Example
    A misspelt key:

        warning VOL004 papers.yaml:8 papers[0].authors[0].affilation: unknown key; did you mean
        'affiliation'?

    ## How to fix
    Use the key the message suggests, or remove it.
    """
    yield from _schema(sources, "unknown")


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
    for index, entry, source in _papers(sources):
        track = entry.get("track")
        if isinstance(track, str) and track.strip() and track.strip() not in tracks:
            path: PathKey = ("papers", index, "track")
            known = ", ".join(sorted(tracks))
            yield _at(
                source,
                path,
                f"{format_path(path)}: {track!r} is not a track of this volume ({known})",
            )


@rule(
    "VOL007",
    "pdf-missing",
    Severity.ERROR,
    fix="Put the camera-ready PDF at the path given, or correct `pdf:` for this paper.",
    subject="volume",
)
def pdf_missing(sources: VolumeSources) -> Iterator[Violation]:
    """A paper's PDF file is not in the volume folder.

    ## What it catches
    A paper whose `pdf:` path (by default `pdf/<id>.pdf`) names no file, a link to nothing,
    or something other than a regular file (a folder, a FIFO, a device).

    ## Why it matters
    A paper without its PDF cannot be checked or published.

    ## Example
    A PDF not copied into the volume:

        error VOL007 papers.yaml:305 papers[9]: the PDF pdf/71.pdf does not exist

    ## How to fix
    Copy the camera-ready PDF to the path given.
    """
    for index, entry, source in _papers(sources):
        paper_id = entry.get("id")
        if paper_id is None or isinstance(paper_id, (dict, list)):
            continue
        written = entry.get("pdf")
        shown = written if isinstance(written, str) and written.strip() else f"pdf/{paper_id}.pdf"
        path = inside(sources.root, shown)
        problem = file_problem(path) if path is not None else None
        if problem is not None:
            key: PathKey = ("papers", index, "pdf") if written else ("papers", index, "id")
            yield _at(
                source,
                key,
                f"{format_path(('papers', index))}: the PDF {shown} {problem}",
            )


@rule(
    "VOL008",
    "path-outside-volume",
    Severity.ERROR,
    fix="Give a path inside the volume folder, such as `pdf/<id>.pdf`.",
    subject="volume",
)
def path_outside_volume(sources: VolumeSources) -> Iterator[Violation]:
    """A path in the metadata leaves the volume folder.

    ## What it catches
    `pdf: ../../etc/passwd`, absolute paths, and links that lead out of the folder, in `pdf`,
    `supplementary` and the preface; and a paper without `pdf:` whose `pdf/<id>.pdf` is a
    link out of the folder (a link to nothing there is VOL007).

    ## Why it matters
    The volume must be self-contained, and a build must never read or publish files from
    elsewhere on the machine.

    ## Example
    A supplementary file outside the volume:

        error VOL008 papers.yaml:36 papers[0].supplementary: '../../etc/passwd' leaves the volume
        folder

    ## How to fix
    Copy the file into the volume folder and give its path relative to it.
    """
    checks: list[tuple[YamlSource, PathKey, Any]] = []
    for index, entry, source in _papers(sources):
        for name in ("pdf", "supplementary"):
            checks.append((source, ("papers", index, name), entry.get(name)))
    if sources.volume is not None and isinstance(sources.volume.data, dict):
        front = sources.volume.data.get("frontmatter")
        if isinstance(front, dict):
            checks.append((sources.volume, ("frontmatter", "preface"), front.get("preface")))
    for source, path, value in checks:
        if isinstance(value, str) and value.strip() and inside(sources.root, value) is None:
            yield _at(
                source,
                path,
                f"{format_path(path)}: {value!r} leaves the volume folder",
            )
    for index, entry, source in _papers(sources):
        paper_id = entry.get("id")
        written = entry.get("pdf")
        if isinstance(written, str) and written.strip():
            continue  # judged above, as written
        if not isinstance(paper_id, (str, int)) or isinstance(paper_id, bool):
            continue
        text = str(paper_id).strip()
        if not text or not safe_name(text):
            continue  # VOL013 reports an id that cannot name a file
        default = f"pdf/{text}.pdf"
        if inside(sources.root, default) is None:
            yield _at(
                source,
                ("papers", index, "id"),
                f"{format_path(('papers', index))}: the PDF {default} is a link that leaves "
                "the volume folder",
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
    for index, entry, source in _papers(sources):
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
    "VOL011",
    "bad-dates",
    Severity.ERROR,
    fix="Write dates as YYYY-MM-DD, with start <= end <= published.",
    subject="volume",
)
def bad_dates(sources: VolumeSources) -> Iterator[Violation]:
    """The volume's dates are not ISO dates, or are out of order.

    ## What it catches
    `start`, `end` or `published` not in `YYYY-MM-DD` form; `start` after `end`; `published`
    more than 60 days before `start` (an error: a wrong year, as when ICBINB 2023's editors
    typed 2023 for 2024). `published` before `end` by less is a warning: PMLR releases some
    volumes days before their workshop (ENLSP 2024, UniReps 2024).

    ## Why it matters
    PMLR requires ISO dates; the date is printed on every paper's page and its year is in
    every paper's id.

    ## Known problems
    A volume released on purpose months before its workshop is reported as an error; turn
    it into a warning with `venue: {severities: {VOL011: warning}}`.

    ## Example
    A workshop that ends the day before it starts:

        error VOL011 volume.yaml:14 proceedings.end: 2026-04-26 is before start (2026-04-27)

    ## How to fix
    Correct the dates.
    """
    source = sources.volume
    if source is None or not isinstance(source.data, dict):
        return
    fields = source.data.get("proceedings")
    if not isinstance(fields, dict):
        return
    dates = {}
    for name in ("start", "end", "published"):
        value = fields.get(name)
        if value is None:
            continue
        date = parse_date(value)
        path: PathKey = ("proceedings", name)
        if date is None:
            yield _at(
                source,
                path,
                f"{format_path(path)}: {value!r} is not a date in YYYY-MM-DD form",
            )
        else:
            dates[name] = date
    if "start" in dates and "end" in dates and dates["start"] > dates["end"]:
        path = ("proceedings", "end")
        yield _at(
            source,
            path,
            f"{format_path(path)}: {dates['end'].isoformat()} is before start "
            f"({dates['start'].isoformat()})",
        )
    problem = published_problem(dates.get("start"), dates.get("end"), dates.get("published"))
    if problem is not None:
        path = ("proceedings", "published")
        yield Violation(
            f"{format_path(path)}: {problem.message}",
            file=source.file,
            line=source.line(path),
            severity=None if problem.serious else Severity.WARNING,
            hint="Check the year: a volume is published after its workshop, or days before "
            "it when released for the event."
            if problem.serious
            else "Nothing to do if the volume is released before the workshop on purpose.",
        )


def _schema(sources: VolumeSources, kind: str) -> Iterator[Violation]:
    problems: list[tuple[YamlSource, SchemaProblem]] = sources.memo.get("schema") or []
    if "schema" not in sources.memo:
        for source, schema in ((sources.volume, VOLUME_FILE), (sources.papers, PAPERS_FILE)):
            if source is not None:
                problems += [(source, problem) for problem in schema_problems(source, schema)]
        sources.memo["schema"] = problems
    for source, problem in problems:
        if problem.kind == kind:
            where = format_path(problem.path)
            # PMLR publishes papers without an abstract (AFME 2024, COLT 2024).
            no_abstract = kind == "missing" and problem.path[-1:] == ("abstract",)
            yield Violation(
                f"{where}: {problem.message}" if where else problem.message,
                file=source.file,
                line=source.line(problem.path),
                severity=Severity.WARNING if no_abstract else None,
                hint="PMLR publishes a paper without an abstract, but its page is bare: add "
                "the abstract from the paper."
                if no_abstract
                else None,
            )


def _at(source: YamlSource, path: PathKey, message: str, **where: Any) -> Violation:
    """A finding on the value at `path` of `source`, with its file and line."""
    return Violation(message, file=source.file, line=source.line(path), **where)


def _papers(sources: VolumeSources) -> Iterator[tuple[int, dict[str, Any], YamlSource]]:
    source = sources.papers
    if source is None or not isinstance(source.data, dict):
        return
    papers = source.data.get("papers")
    for index, entry in enumerate(papers if isinstance(papers, list) else []):
        if isinstance(entry, dict):
            yield index, entry, source


def _track_ids(sources: VolumeSources) -> set[str]:
    data = sources.volume.data if sources.volume is not None else None
    tracks = data.get("tracks") if isinstance(data, dict) else None
    if not isinstance(tracks, list) or not tracks:
        return {"long", "tiny"}
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
    for index, entry, _ in _papers(sources):
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
            yield _at(
                source,
                path,
                f"{format_path(path)}: the same {noun} as papers[{first}] (line {first_line})",
            )


@rule(
    "VOL012",
    "track-section",
    Severity.ERROR,
    fix="Give each track an id that stays distinct as letters, digits and hyphens, and a "
    "title without `|` or `=`.",
    subject="volume",
)
def track_section(sources: VolumeSources) -> Iterator[Violation]:
    """A track that cannot become a section of the PMLR volume.

    ## What it catches
    Two tracks whose ids give the same PMLR section name (a name is the id when it is
    letters, digits, `-` and `_`, else the id in lower case with hyphens: `Original Papers`
    and `original-papers` meet), and a track title holding `|` or `=`.

    ## Why it matters
    A volume with several tracks is published with `sections = {name=Title|...}`; PMLR
    splits that field at `|` and `=`, so such a title is cut, and two tracks with one name
    would be merged on PMLR's pages.

    ## Example
    A track title with a `|`:

        error VOL012 volume.yaml:25 tracks[1].title: 'Tiny | Short Papers' holds `|` or `=`, which
        PMLR's `sections` field cannot carry

    ## How to fix
    Rename one of the tracks, or reword the title.
    """
    source = sources.volume
    data = source.data if source is not None else None
    tracks = data.get("tracks") if isinstance(data, dict) else None
    if source is None or not isinstance(tracks, list):
        return
    parsed: list[tuple[int, Track]] = []
    for index, entry in enumerate(tracks):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"].strip():
            track_id = " ".join(entry["id"].split())
            title = entry.get("title")
            title_text = " ".join(title.split()) if isinstance(title, str) else track_id
            parsed.append((index, Track(track_id, title_text, 0)))
            if any(char in title_text for char in "|="):
                path: PathKey = ("tracks", index, "title" if isinstance(title, str) else "id")
                yield _at(
                    source,
                    path,
                    f"{format_path(path)}: {title_text!r} holds `|` or `=`, which PMLR's "
                    "`sections` field cannot carry",
                )
    names = section_names(track for _, track in parsed)
    seen: dict[str, int] = {}
    for position, (index, track) in enumerate(parsed):
        name = names[track.id]
        if name in seen and parsed[seen[name]][1].id != track.id:
            path = ("tracks", index, "id")
            yield _at(
                source,
                path,
                f"{format_path(path)}: {track.id!r} gives the PMLR section name {name!r}, "
                f"as tracks[{parsed[seen[name]][0]}] does",
            )
        seen.setdefault(name, position)


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
    for index, entry, source in _papers(sources):
        paper_id = entry.get("id")
        if isinstance(paper_id, (str, int)) and not isinstance(paper_id, bool):
            text = str(paper_id).strip()
            if text and not safe_name(text):
                path: PathKey = ("papers", index, "id")
                shown = text if len(text) <= 60 else text[:40] + f"... ({len(text)} characters)"
                yield _at(
                    source,
                    path,
                    f"{format_path(path)}: {shown!r} cannot name the paper's files",
                )
        key = entry.get("pmlr_key")
        if isinstance(key, str) and key.strip() and not PMLR_KEY.match(key.strip()):
            path = ("papers", index, "pmlr_key")
            yield _at(
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
            yield _at(
                source,
                path,
                f"{format_path(path)}: {supplementary!r} is not a .pdf, .zip or .tar.gz "
                "file, which PMLR publishes beside a paper",
            )


@rule(
    "VOL014",
    "raw-field",
    Severity.ERROR,
    fix="Write the OpenReview forum id, the address or the number alone, as the message says.",
    subject="volume",
)
def raw_field(sources: VolumeSources) -> Iterator[Violation]:
    """A field the PMLR bib carries as it is that holds more than its kind of value.

    ## What it catches
    A paper's `openreview` that is not a forum id (letters, digits, `-`, `_`), a
    `conference_url` that is not an http(s) address without spaces, braces or quotes, and a
    `volume`, `year` or `conference_number` that is not a number.

    ## Why it matters
    These values are written into the bib without LaTeX; a brace in one (`X}, pdf =
    {https://...`) would close the field and add another to the published entry.

    ## Example
    An `openreview` id that closes its field and adds another:

        error VOL014 papers.yaml:35 papers[0].openreview: 'Hk7vQ2mRtA}, pdf = {https://example.org'
        is not letters, digits, `-` and `_`

    ## How to fix
    Give the value alone: `openreview: AbC123xyz`, `conference_url: https://...`.
    """
    volume = sources.volume
    fields = (
        volume.data.get("proceedings")
        if volume is not None and isinstance(volume.data, dict)
        else None
    )
    if volume is not None and isinstance(fields, dict):
        for name in ("conference_url", "volume", "year", "conference_number"):
            value = fields.get(name)
            if value is not None and not isinstance(value, (dict, list)):
                problem = raw_field_problem(name, value)
                if problem is not None:
                    path: PathKey = ("proceedings", name)
                    yield Violation(
                        f"{format_path(path)}: {problem}", file=volume.file, line=volume.line(path)
                    )
    for index, entry, source in _papers(sources):
        value = entry.get("openreview")
        if isinstance(value, (str, int)) and str(value).strip():
            problem = raw_field_problem("openreview", value)
            if problem is not None:
                path = ("papers", index, "openreview")
                yield Violation(
                    f"{format_path(path)}: {problem}", file=source.file, line=source.line(path)
                )


@rule(
    "VOL015",
    "bad-severity-setting",
    Severity.ERROR,
    fix="Name a rule or family by its code (`FONT002`, `MARGIN`) and give error, warning, "
    "info or off.",
    subject="volume",
)
def bad_severity_setting(sources: VolumeSources) -> Iterator[Violation]:
    """An entry of `venue.severities` that names no rule or no severity.

    ## What it catches
    A key that is empty (`'': off`) or is not the code of a rule or the start of one
    (`FONT02`, `MARGN`), and a value that is not `error`, `warning`, `info` or `off`.

    ## Why it matters
    A key is matched as a prefix of rule codes: an empty one would turn every rule off and
    the check would pass anything; a misspelt one silently changes nothing. Such entries are
    not applied.

    ## Example
    A code with a digit missing:

        error VOL015 volume.yaml:34 venue.severities.FONT02: 'FONT02' is not the code of a rule or
        family; the entry is not applied

    ## How to fix
    Use the codes `proceedings rules` lists; write `off` (or `"off"`) to turn a rule off.
    """
    source = sources.volume
    data = source.data if source is not None else None
    venue = data.get("venue") if isinstance(data, dict) else None
    severities = venue.get("severities") if isinstance(venue, dict) else None
    if source is None or not isinstance(severities, dict):
        return
    levels = ", ".join(SEVERITY_LEVELS)
    for key, value in severities.items():
        path: PathKey = ("venue", "severities", str(key))
        code = severity_code(key)
        if code is None or unknown_codes([code]):
            yield _at(
                source,
                path,
                f"{format_path(path)}: {key!r} is not the code of a rule or family; the "
                "entry is not applied",
            )
        elif severity_level(value) is None:
            yield _at(
                source,
                path,
                f"{format_path(path)}: {value!r} is not a severity ({levels}); the entry is "
                "not applied",
            )


@rule(
    "VOL016",
    "preface-unreadable",
    Severity.ERROR,
    fix="Make `frontmatter.preface` name a UTF-8 text file in the volume folder.",
    subject="volume",
)
def preface_unreadable(sources: VolumeSources) -> Iterator[Violation]:
    """The preface named in volume.yaml cannot be read.

    ## What it catches
    A `frontmatter.preface` that names no file, a folder, a FIFO or a device, a file larger
    than 20 MB, or text that is not UTF-8. (A path that leaves the volume is VOL008.)

    ## Why it matters
    The build sets the preface in the front matter and stops on a preface it cannot read;
    `check` says so first.

    ## Example
    A misspelt preface file name:

        error VOL016 volume.yaml:36 frontmatter.preface: 'prefaces.md' does not exist

    ## How to fix
    Put the preface, as UTF-8 text, at the path given.
    """
    source = sources.volume
    data = source.data if source is not None else None
    front = data.get("frontmatter") if isinstance(data, dict) else None
    name = front.get("preface") if isinstance(front, dict) else None
    if source is None or not isinstance(name, str) or not name.strip():
        return
    path = inside(sources.root, name.strip())
    if path is None:
        return
    try:
        read_text(path, name.strip())
    except ReadError as error:
        where: PathKey = ("frontmatter", "preface")
        yield _at(
            source,
            where,
            f"{format_path(where)}: {name.strip()!r} {error.message}",
        )


@rule(
    "VOL017",
    "template-override",
    Severity.ERROR,
    fix="Keep overrides to plain LaTeX and the template's own tags, as regular files in the "
    "volume's templates/latex/.",
    subject="volume",
)
def template_override(sources: VolumeSources) -> Iterator[Violation]:
    """A front-matter template override the build would refuse.

    ## What it catches
    A file of the volume's `templates/latex/` that is not a regular file inside the volume
    (a link out of it, a FIFO, a folder), is over 1 MB or not UTF-8, or holds what could read
    or run things outside the typesetting: Lua (`\\directlua`, `\\latelua`, ...), `\\input`,
    `\\write`, `\\catcode`, `^^` escapes, pdfTeX's file embedding, Jinja `filter` blocks.

    ## Why it matters
    A volume may come from elsewhere; an override is LaTeX the build runs, and such commands
    would read the machine's files into the front matter. The build stops on them; `check`
    says so first.

    ## Known problems
    Legitimate uses of `\\csname`, `\\input` or `\\write` are refused too; an override copied
    from the shipped preamble is refused for its font set-up in Lua.

    ## Example
    An override that runs Lua:

        error VOL017 templates/latex/preface.tex.j2, line 3: `\\directlua{os.execute('ls')}` runs
        Lua. Templates may not run Lua, read files or build commands from pieces ...

    ## How to fix
    Remove the command, or the override, and build again.
    """
    if not os.path.lexists(sources.root / "templates"):
        return
    # Imported here: the front matter's modules (Jinja2) are needed only by volumes that
    # override its templates.
    from proceedings.build.frontmatter import override_problems

    for problem in override_problems(sources.root):
        yield Violation(problem)  # it names the file (and line) itself


@rule(
    "VOL018",
    "bad-venue-setting",
    Severity.ERROR,
    fix="Give a setting proceedings can apply: a known `venue.profile` (`proceedings venues`), "
    "`page_size: letter` or `a4`, a running head as text or a valid `/regular expression/`.",
    subject="volume",
)
def bad_venue_setting(sources: VolumeSources) -> Iterator[Violation]:
    """A `venue` setting in volume.yaml that cannot be applied, so it is not.

    ## What it catches
    A `venue.profile` that names no shipped venue profile; a `venue.page_size` other than
    `letter` or `a4`; a `venue.running_head` written as a `/regular expression/` that does not
    compile (`/ICLR [2026/`). Values of the wrong type are VOL003, `venue.severities` entries
    VOL015, `venue.layout` LAYOUT003.

    ## Why it matters
    Replaced quietly, a bad setting fails every paper on a rule the author cannot satisfy (an
    invalid head pattern matches no head) or checks nothing at all. The setting is reported
    once, here, and not applied: papers are not checked against it.

    ## Example
    `page_size: legal`:

        error VOL018 volume.yaml:33 venue.page_size: 'legal' is not a page size proceedings checks
        (letter or a4); no page size is checked

    ## How to fix
    Correct the value; `proceedings venues` lists the profiles.
    """
    source = sources.volume
    data = source.data if source is not None else None
    venue = data.get("venue") if isinstance(data, dict) else None
    if source is None or not isinstance(venue, dict):
        return
    profile = venue.get("profile")
    if isinstance(profile, str) and get_profile(profile) is None:
        path: PathKey = ("venue", "profile")
        yield _at(
            source,
            path,
            f"{format_path(path)}: no venue profile is called {profile!r}; known: "
            f"{', '.join(PROFILES)}",
        )
    size = venue.get("page_size")
    if isinstance(size, str):
        key = size.strip().lower().replace(" ", "")
        if {"usletter": "letter"}.get(key, key) not in PAGE_SIZES:
            path = ("venue", "page_size")
            yield _at(
                source,
                path,
                f"{format_path(path)}: {size!r} is not a page size proceedings checks "
                f"({' or '.join(PAGE_SIZES)}); no page size is checked",
            )
    head = venue.get("running_head")
    if isinstance(head, str):
        why = head_pattern_error(" ".join(head.split()))
        if why is not None:
            path = ("venue", "running_head")
            yield _at(
                source,
                path,
                f"{format_path(path)}: {head!r} is not a valid regular expression ({why}); "
                "no running head is checked",
            )


DEFAULT_SUPPLEMENTARY_MB = 100


@rule(
    "VOL019",
    "supplementary-file",
    Severity.ERROR,
    fix="Put the supplementary file at the path given, make it smaller than the venue's limit, "
    "or remove `supplementary:` from the paper's entry.",
    subject="volume",
)
def supplementary_file(sources: VolumeSources) -> Iterator[Violation]:
    """A paper's supplementary file is missing, not a regular file, or too large.

    ## What it catches
    A `supplementary:` path that names no file (deleted, renamed, a link to nothing), a folder
    or a FIFO, or a file larger than the venue allows (`venue.supplementary_max_mb`, 100 MB
    unless set). A path that leaves the volume is VOL008; a type PMLR does not take, VOL013.

    ## Why it matters
    The build writes a `supplementary` field only for a file it copies: a missing file would
    silently drop the paper's supplementary material from PMLR, and PMLR refuses large files.

    ## Example
    A supplementary file deleted from the volume:

        error VOL019 papers.yaml:36 papers[0].supplementary: 'supp/12.zip' does not exist

    ## How to fix
    Copy the file into the volume folder at the path given, or shrink it.
    """
    limit_mb = _supplementary_limit(sources)
    for index, entry, source in _papers(sources):
        written = entry.get("supplementary")
        if not isinstance(written, str) or not written.strip():
            continue
        path = inside(sources.root, written.strip())
        if path is None:
            continue  # VOL008
        where: PathKey = ("papers", index, "supplementary")
        problem = file_problem(path)
        if problem is None:
            try:
                size = path.stat().st_size
            except OSError:
                continue
            if size > limit_mb * 1_000_000:
                problem = f"is {size / 1_000_000:.0f} MB, over the venue's {limit_mb:g} MB"
        if problem is not None:
            yield _at(source, where, f"{format_path(where)}: {written.strip()!r} {problem}")


def _supplementary_limit(sources: VolumeSources) -> float:
    data = sources.volume.data if sources.volume is not None else None
    venue = data.get("venue") if isinstance(data, dict) else None
    value = venue.get("supplementary_max_mb") if isinstance(venue, dict) else None
    limit = page_limit(value)  # a positive finite number, else None (VOL003 reports it)
    return limit if limit is not None else DEFAULT_SUPPLEMENTARY_MB
