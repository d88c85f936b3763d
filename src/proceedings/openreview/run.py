"""An import as the command line runs it: the options remembered beside papers.yaml, the
notes from a file or from the venue itself, and the venue's files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proceedings.openreview import download, live
from proceedings.openreview.export import read_notes
from proceedings.openreview.files import import_notes
from proceedings.openreview.model import ImportResult, MergeResult, OpenReviewImportError
from proceedings.openreview.settings import (
    Given,
    Resolved,
    read_settings,
    resolve,
    settings_path,
    settings_text,
    with_venue,
)


@dataclass
class ImportRun:
    merge: MergeResult
    notes: list[str]  # options taken from the settings file, or replacing its values
    settings_file: Path
    downloads: list[download.Downloaded] = field(default_factory=list)

    @property
    def failed(self) -> list[download.Downloaded]:
        return [item for item in self.downloads if not item.ok]


def import_file(notes_path: Path, papers_yaml: Path, given: Given) -> ImportRun:
    """Import an export file, with the options remembered beside papers.yaml."""
    resolved, path = _resolve(papers_yaml, given)
    notes = read_notes(notes_path)
    merge = import_notes(
        notes, str(notes_path), papers_yaml, resolved.options, _settings(resolved, papers_yaml)
    )
    return ImportRun(merge, resolved.notes, path)


def import_venue(
    papers_yaml: Path,
    given: Given,
    credentials: Callable[[], live.Credentials],
    *,
    pdfs: bool = False,
    retries: int = 4,
    backoff: float = 1.0,
    page_size: int = live.PAGE_SIZE,
    on_file: Callable[[download.Downloaded], None] | None = None,
    on_files: Callable[[int], None] | None = None,
) -> ImportRun:
    """Import the accepted papers of a venue from the API, and with `pdfs` their files.

    `credentials` is called once the options are known to be usable, so that nobody is asked
    for a password by a run that stops anyway. `on_files` is told how many files will be
    fetched, `on_file` of each file as it is done.
    """
    resolved, path = _resolve(papers_yaml, given)
    venue_id = resolved.options.venue_id
    if not venue_id:
        raise OpenReviewImportError(
            f"no venue id: give --venue-id (e.g. ICLR.cc/2026/Workshop/ICBINB); it is remembered"
            f" in {path} for the re-imports"
        )
    if not papers_yaml.parent.is_dir():
        raise OpenReviewImportError(
            f"{papers_yaml}: the folder {papers_yaml.parent} does not exist", str(papers_yaml)
        )
    api_url = resolved.api_url or live.PUBLIC_API_URL
    options = live.ClientOptions(api_url=api_url, retries=retries, backoff=backoff)
    client = live.connect(credentials(), options)
    notes = live.fetch_notes(client, venue_id, page_size)
    if not notes:
        raise OpenReviewImportError(
            f"{api_url} has no note with venue id {venue_id}: check the venue id (the one of"
            " the accepted papers, as in the venue's URL on OpenReview)"
        )
    source = f"{api_url} (venue {venue_id})"
    merge = import_notes(
        notes, source, papers_yaml, resolved.options, _settings(resolved, papers_yaml)
    )
    run = ImportRun(merge, resolved.notes, path)
    if pdfs and merge.imported is not None:
        jobs = download.plan(notes, merge.imported.papers, resolved.options.supplementary_field)
        if on_files is not None:
            on_files(len(jobs))
        run.downloads = download.download_all(
            client, papers_yaml.parent, jobs, download.downloads_path(papers_yaml), on_file
        )
    return run


def _resolve(papers_yaml: Path, given: Given) -> tuple[Resolved, Path]:
    path = settings_path(papers_yaml)
    return resolve(given, read_settings(path), str(path)), path


def _settings(
    resolved: Resolved, papers_yaml: Path
) -> Callable[[ImportResult], Sequence[tuple[Path, str]]]:
    def writes(imported: ImportResult) -> Sequence[tuple[Path, str]]:
        values: dict[str, Any] = with_venue(resolved, imported.venue_id).values
        return [(settings_path(papers_yaml), settings_text(values, papers_yaml.name))]

    return writes
