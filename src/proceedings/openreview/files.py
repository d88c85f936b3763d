"""Writing papers.yaml and its import record: all or nothing, and only what changed."""

from __future__ import annotations

import json
import os
import secrets
import stat
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from proceedings.openreview.export import _read_problem, read_notes
from proceedings.openreview.merge import merge_papers
from proceedings.openreview.model import (
    RECORD_SUFFIX,
    RECORD_VERSION,
    ImportOptions,
    ImportResult,
    MergeResult,
    OpenReviewImportError,
)
from proceedings.openreview.notes import notes_to_papers
from proceedings.openreview.review import review
from proceedings.safe_read import ReadError, read_bytes


def record_path(papers_yaml: Path) -> Path:
    """The import record that belongs to `papers_yaml`: `papers.yaml.imported.json`."""
    return papers_yaml.with_name(papers_yaml.name + RECORD_SUFFIX)


def read_record(path: Path) -> dict[str, dict[str, Any]] | None:
    """The papers of an import record; None when there is none."""
    if not os.path.lexists(path):
        return None
    hint = "delete it to start afresh (values that differ from OpenReview are then kept)"
    try:
        data = json.loads(read_bytes(path, str(path)).decode("utf-8"))
    except ReadError as error:
        raise OpenReviewImportError(
            f"{path}: cannot read the record of the last import ({error.message}); {hint}",
            str(path),
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise OpenReviewImportError(
            f"{path}: cannot read the record of the last import ({error}); {hint}", str(path)
        ) from None
    papers = data.get("papers") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("version") != RECORD_VERSION
        or not isinstance(papers, dict)
        or not all(isinstance(entry, dict) for entry in papers.values())
    ):
        raise OpenReviewImportError(
            f"{path}: not a version {RECORD_VERSION} record of an OpenReview import; {hint}",
            str(path),
        )
    return {str(key): entry for key, entry in papers.items()}


def record_text(record: Mapping[str, Mapping[str, Any]], venue_id: str | None) -> str:
    data = {
        "about": "The values of the last OpenReview import, to tell hand edits in papers.yaml"
        " from imported values. Written by `proceedings`; do not edit.",
        "version": RECORD_VERSION,
        "venue_id": venue_id,
        "papers": record,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def import_openreview(
    notes_path: Path, papers_yaml: Path, options: ImportOptions | None = None
) -> MergeResult:
    """Import the accepted papers of an OpenReview export into papers.yaml (see `import_notes`)."""
    return import_notes(read_notes(notes_path), str(notes_path), papers_yaml, options)


def import_notes(
    notes: Sequence[Mapping[str, Any]],
    source: str,
    papers_yaml: Path,
    options: ImportOptions | None = None,
    also_write: Callable[[ImportResult], Sequence[tuple[Path, str]]] | None = None,
) -> MergeResult:
    """Import the accepted papers among `notes` (read from `source`) into papers.yaml.

    Writes papers.yaml and `papers.yaml.imported.json`, and the files `also_write` gives once
    the venue id is known, only once everything that can fail has run: the merge, the printout
    of the changes, and each file written in full to a temporary file beside it; then the
    renames, papers.yaml first, so an interruption between the two can only make a later
    import keep values, never overwrite hand edits. Files whose content would not change are
    not touched. papers.yaml is edited in place: its comments, blank lines, key order and
    quoting stay as they are (see `roundtrip`).
    """
    imported = notes_to_papers(notes, options)
    if not imported.papers:
        reasons = Counter(note.reason for note in imported.skipped)
        listed = "; ".join(f"{reason} ({n})" for reason, n in reasons.most_common(5))
        raise OpenReviewImportError(
            f"{source}: no accepted paper among {len(notes)} notes ({listed or 'no notes'})",
            source,
        )
    if not papers_yaml.parent.is_dir():
        raise OpenReviewImportError(
            f"{papers_yaml}: the folder {papers_yaml.parent} does not exist", str(papers_yaml)
        )
    existing = _read_text(papers_yaml) if os.path.lexists(papers_yaml) else None
    record_file = record_path(papers_yaml)
    previous = read_record(record_file)
    result = merge_papers(
        existing,
        imported.papers,
        previous=previous,
        skipped=imported.skipped,
        source=str(papers_yaml),
    )
    result.imported = imported
    result.warnings[:0] = imported.warnings
    result.warnings += _archival_changes(result)
    result.warnings += _to_review(result, imported)
    result.lines()  # what the command prints after the writes must not fail after them
    writes: list[tuple[Path, bytes]] = []
    if result.changed:
        writes.append((papers_yaml, result.text.encode("utf-8")))
    text = record_text(result.record, imported.venue_id)
    if previous is None or _read_text(record_file) != text:
        writes.append((record_file, text.encode("utf-8")))
    for path, content in also_write(imported) if also_write else ():
        if not path.is_file() or _read_text(path) != content:
            writes.append((path, content.encode("utf-8")))
    _write_all(writes)
    return result


def _archival_changes(result: MergeResult) -> list[str]:
    """One warning per paper whose `archival` the import changes, or keeps against OpenReview:
    it decides whether the paper is published."""
    out: list[str] = []
    for change in result.changes:
        for item in change.updated:
            if item.field == "archival":
                out.append(
                    f"paper {change.id}: archival changes from {_flag(item.old)} to"
                    f" {_flag(item.new)}, as OpenReview now says; check that the authors chose so"
                )
        for item in change.kept:
            if item.field == "archival":
                out.append(
                    f"paper {change.id}: archival stays {_flag(item.old)} as edited in"
                    f" papers.yaml, though OpenReview says {_flag(item.new)}"
                )
    return out


def _to_review(result: MergeResult, imported: ImportResult) -> list[str]:
    """Text to review in the imported papers as papers.yaml will hold them: a name split by
    hand there (`given` / `family`) is no longer in doubt."""
    ids = {str(paper["id"]) for paper in imported.papers}
    data = yaml.safe_load(result.text) or {}
    entries = data.get("papers") if isinstance(data, dict) else None
    kept = [e for e in entries or [] if isinstance(e, dict) and str(e.get("id")) in ids]
    return review(kept)


def _flag(value: Any) -> str:
    return "absent" if value is None else str(value).lower()


def _read_text(path: Path) -> str:
    try:
        return read_bytes(path, str(path)).decode("utf-8")
    except ReadError as error:
        raise OpenReviewImportError(_read_problem(error), str(path)) from None
    except UnicodeDecodeError as error:
        raw = error.object
        line = raw[: error.start].count(b"\n") + 1
        raise OpenReviewImportError(
            f"{path}, line {line}: not UTF-8 text (byte {error.start}); nothing was written",
            str(path),
            line,
        ) from None


def _write_all(writes: Sequence[tuple[Path, bytes]]) -> None:
    """Write each `data` to its `path`: all of them in full to temporary files beside their
    targets first, then the renames in order, so a failure while writing changes nothing."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in writes:
            staged.append((_stage(path, data), path))
        for temporary, path in staged:
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise OpenReviewImportError(
                    f"{path}: cannot be written ({error.strerror or error})", str(path)
                ) from None
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def _stage(path: Path, data: bytes) -> Path:
    """`data` in a new temporary file in the folder of `path`, with the mode of `path`."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OpenReviewImportError(
            f"{path}: cannot be written ({error.strerror or error})", str(path)
        ) from None
    return temporary
