"""Reading an export file: the shapes OpenReview and its users write notes in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from proceedings.openreview.model import MAX_EXPORT_BYTES, OpenReviewImportError
from proceedings.safe_read import ReadError, read_bytes


def read_notes(path: Path) -> list[dict[str, Any]]:
    """The notes of an OpenReview export.

    Accepts a JSON list of notes, an object `{"notes": [...]}` (what API v2 returns), a single
    note, or JSON lines (one note per line).
    """
    try:
        data = read_bytes(path, str(path), MAX_EXPORT_BYTES)
    except ReadError as error:
        raise OpenReviewImportError(_read_problem(error), str(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise OpenReviewImportError(
            f"{path}: not UTF-8 text (byte {error.start}); expected an OpenReview export in JSON",
            str(path),
        ) from error
    if not text.strip():
        raise OpenReviewImportError(
            f"{path}: the file is empty; expected an OpenReview export in JSON", str(path)
        )
    notes = _parse_notes(text, path)
    if not notes:
        raise OpenReviewImportError(f"{path}: the export has no notes", str(path))
    for number, note in enumerate(notes, 1):
        if not isinstance(note, dict):
            raise OpenReviewImportError(
                f"{path}: note {number} is not a JSON object but {_json_kind(note)}", str(path)
            )
    return notes


def _parse_notes(text: str, path: Path) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return _json_lines(text, path, error)
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if "notes" in data:
            notes = data["notes"]
            if not isinstance(notes, list):
                raise OpenReviewImportError(
                    f'{path}: "notes" is {_json_kind(notes)}, not a list of notes', str(path)
                )
            return notes
        if "content" in data:
            return [data]
    raise OpenReviewImportError(
        f"{path}: {_json_kind(data)} is not an OpenReview export; expected a list of notes,"
        ' {"notes": [...]} or one note per line',
        str(path),
    )


def _json_lines(text: str, path: Path, document_error: json.JSONDecodeError) -> list[Any]:
    notes: list[Any] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            notes.append(json.loads(line))
        except json.JSONDecodeError as line_error:
            # When the first line is no JSON either, the file is one broken document.
            error = line_error if notes else document_error
            number = number if notes else error.lineno
            raise OpenReviewImportError(
                f"{path}, line {number}: not valid JSON ({error.msg}, column {error.colno})",
                str(path),
                number,
            ) from error
    return notes


def _json_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return f"the value {value!r}"


def _read_problem(error: ReadError) -> str:
    if error.missing:
        return f"{error.file}: cannot be read (no such file)"
    return f"{error.file}: {error.message}"
