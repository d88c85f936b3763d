"""Rules about the files the volume's metadata names: each paper's PDF and supplementary file,
the preface, and paths that would leave the volume folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from proceedings.pmlr_ids import safe_name
from proceedings.report import Severity
from proceedings.rules import Violation, rule
from proceedings.rules.volume_walk import at_path, paper_entries
from proceedings.safe_read import ReadError, read_text
from proceedings.volume import VolumeSources, file_problem, inside, page_limit
from proceedings.yamlsource import PathKey, YamlSource, format_path


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
    for index, entry, source in paper_entries(sources):
        paper_id = entry.get("id")
        if paper_id is None or isinstance(paper_id, (dict, list)):
            continue
        written = entry.get("pdf")
        shown = written if isinstance(written, str) and written.strip() else f"pdf/{paper_id}.pdf"
        path = inside(sources.root, shown)
        problem = file_problem(path) if path is not None else None
        if problem is not None:
            key: PathKey = ("papers", index, "pdf") if written else ("papers", index, "id")
            yield at_path(
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
    for index, entry, source in paper_entries(sources):
        for name in ("pdf", "supplementary"):
            checks.append((source, ("papers", index, name), entry.get(name)))
    if sources.volume is not None and isinstance(sources.volume.data, dict):
        front = sources.volume.data.get("frontmatter")
        if isinstance(front, dict):
            checks.append((sources.volume, ("frontmatter", "preface"), front.get("preface")))
    for source, path, value in checks:
        if isinstance(value, str) and value.strip() and inside(sources.root, value) is None:
            yield at_path(
                source,
                path,
                f"{format_path(path)}: {value!r} leaves the volume folder",
            )
    for index, entry, source in paper_entries(sources):
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
            yield at_path(
                source,
                ("papers", index, "id"),
                f"{format_path(('papers', index))}: the PDF {default} is a link that leaves "
                "the volume folder",
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
        yield at_path(
            source,
            where,
            f"{format_path(where)}: {name.strip()!r} {error.message}",
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
    for index, entry, source in paper_entries(sources):
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
            yield at_path(source, where, f"{format_path(where)}: {written.strip()!r} {problem}")


def _supplementary_limit(sources: VolumeSources) -> float:
    data = sources.volume.data if sources.volume is not None else None
    venue = data.get("venue") if isinstance(data, dict) else None
    value = venue.get("supplementary_max_mb") if isinstance(venue, dict) else None
    limit = page_limit(value)  # a positive finite number, else None (VOL003 reports it)
    return limit if limit is not None else DEFAULT_SUPPLEMENTARY_MB
