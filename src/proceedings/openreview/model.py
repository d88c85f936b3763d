"""The shapes an import works with: options, notes left out, entries, changes."""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

RECORD_SUFFIX = ".imported.json"
# An export of every submission to a large conference, abstracts included, stays well below.
MAX_EXPORT_BYTES = 200 << 20
RECORD_VERSION = 1

# Keys of a papers.yaml entry and of an author, in the order of docs/volume-format.md.
PAPER_KEYS = (
    "id",
    "title",
    "authors",
    "abstract",
    "track",
    "archival",
    "section",
    "openreview",
    "pdf",
    "supplementary",
    "pmlr_key",
    "order",
)
AUTHOR_KEYS = ("name", "given", "family", "affiliation", "email", "orcid", "openreview")
# The fields an import fills; everything else in papers.yaml belongs to the organizers.
IMPORTED_KEYS = (
    "id",
    "title",
    "authors",
    "abstract",
    "track",
    "archival",
    "openreview",
    "pdf",
    "supplementary",
)
REQUIRED_KEYS = frozenset({"id", "title", "authors", "abstract", "track", "archival"})

DEFAULT_TRACK_VALUES: Mapping[str, str] = {"tiny": "tiny", "long": "long"}
DEFAULT_ARCHIVAL_VALUES = ("yes", "true", "archival")

NOT_ACCEPTED = {
    "Rejected_Submission": "rejected",
    "Withdrawn_Submission": "withdrawn",
    "Desk_Rejected_Submission": "desk rejected",
}
UNDER_REVIEW = "Submission"


class OpenReviewImportError(Exception):
    """An input the importer cannot use. The message names the file (and line) and says why."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


class VenueChoiceError(OpenReviewImportError):
    """The export holds accepted papers of several venues, and none was chosen."""

    def __init__(self, message: str, counts: Mapping[str, int], path: str | None = None) -> None:
        super().__init__(message, path)
        self.counts = dict(counts)


@dataclass(frozen=True)
class ImportOptions:
    venue_id: str | None = None  # None: infer from the export
    track_field: str | None = None  # content field holding the track ("track", "submission_type")
    track_values: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_TRACK_VALUES))
    default_track: str = "long"
    archival_field: str | None = None  # None: every paper archival
    archival_values: tuple[str, ...] = ()  # exact, case-insensitive; empty: yes / true / archival
    supplementary_field: str | None = None  # content field of the supplementary file, if wanted


@dataclass(frozen=True)
class SkippedNote:
    """A note that is not imported, and why."""

    id: str
    title: str
    forum: str
    reason: str


@dataclass
class ImportResult:
    papers: list[dict[str, Any]]  # papers.yaml entries, in order of paper number
    skipped: list[SkippedNote]
    warnings: list[str]
    venue_id: str | None  # None: no note had a venue id; accepted by venue label
    venue_id_inferred: bool = False


@dataclass(frozen=True)
class FieldChange:
    """One field of one paper: `authors[Ana García].affiliation`, `abstract`, ..."""

    field: str
    old: Any  # the value in papers.yaml before the import (None: absent)
    new: Any  # the value from OpenReview (None: absent)


ChangeStatus = Literal["added", "updated", "unchanged", "gone"]


@dataclass(frozen=True)
class PaperChange:
    id: str
    title: str
    status: ChangeStatus
    updated: tuple[FieldChange, ...] = ()  # fields that took the new value
    kept: tuple[FieldChange, ...] = ()  # hand edits kept: `old` stays, `new` is not applied
    reason: str = ""  # for "gone": why the paper is not among the accepted ones


@dataclass
class MergeResult:
    text: str  # the new papers.yaml
    record: dict[str, dict[str, Any]]  # the new import record: paper id -> imported entry
    changes: list[PaperChange]  # one per paper of the new papers.yaml that came from OpenReview
    warnings: list[str]
    changed: bool  # whether `text` differs from the existing papers.yaml
    imported: ImportResult | None = None  # set by import_openreview

    def with_status(self, status: ChangeStatus) -> list[PaperChange]:
        return [change for change in self.changes if change.status == status]

    @property
    def added(self) -> list[PaperChange]:
        return self.with_status("added")

    @property
    def updated(self) -> list[PaperChange]:
        return self.with_status("updated")

    @property
    def gone(self) -> list[PaperChange]:
        return self.with_status("gone")

    @property
    def kept(self) -> list[PaperChange]:
        """Papers with at least one hand edit that differs from OpenReview."""
        return [change for change in self.changes if change.kept]

    def summary(self) -> str:
        """`2 added, 1 updated, 1 with hand edits kept, 1 no longer accepted`."""
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.kept)} with hand edits kept",
            f"{len(self.gone)} no longer accepted",
        ]
        return ", ".join(parts)

    def lines(self) -> list[str]:
        """The changes paper by paper, for a person to read; unchanged papers are left out."""
        out: list[str] = []
        for change in self.changes:
            head = f"{change.id} {_short(change.title)}"
            if change.status == "added":
                out.append(f"added   {head}")
            elif change.status == "gone":
                out.append(
                    f"gone    {head}: {change.reason}; still in papers.yaml, remove it by hand"
                    " if it should not be published"
                )
            elif change.updated or change.kept:
                out.append(f"{'updated' if change.updated else 'kept   '} {head}")
            for item in change.updated:
                old, new = _short_pair(item.old, item.new)
                out.append(f"    {item.field}: {old} -> {new}")
            for item in change.kept:
                old, new = _short_pair(item.old, item.new)
                out.append(f"    {item.field}: kept the hand edit {old} (OpenReview: {new})")
        return out


def _value(content: Mapping[str, Any], key: str) -> Any:
    """A content field: API v2 wraps each as {"value": ...}, API v1 gives it plain."""
    value = content.get(key)
    if isinstance(value, Mapping) and "value" in value:
        return value["value"]
    return value


def _line(value: Any) -> str:
    """Text on one line: NFC, runs of white space as one space, no space at the ends."""
    if not isinstance(value, str):
        return ""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _paragraphs(value: Any) -> str:
    """Like `_line` per line, keeping line breaks and at most one blank line between paragraphs."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    blank = False
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            blank = True
            continue
        if blank and lines:
            lines.append("")
        lines.append(line)
        blank = False
    return "\n".join(lines)


def _short_pair(old: Any, new: Any, limit: int = 70) -> tuple[str, str]:
    """Both values short enough to read, long texts cut to show where they differ."""
    if not (isinstance(old, str) and isinstance(new, str)):
        return _short(old, limit), _short(new, limit)
    old, new = " ".join(old.split()), " ".join(new.split())
    if max(len(old), len(new)) + 2 <= limit:
        return _short(old, limit), _short(new, limit)
    common = len(os.path.commonprefix([old, new]))
    start = old.rfind(" ", 0, max(common - 15, 0)) + 1
    if start <= 0:
        return _short(old, limit), _short(new, limit)
    return _short("..." + old[start:], limit), _short("..." + new[start:], limit)


def _short(value: Any, limit: int = 70) -> str:
    if value is None:
        return "(absent)"
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        text = "; ".join(value)
    elif isinstance(value, str):
        text = " ".join(value.split())
    else:
        # YAML gives dates and other values JSON has no form for (`title: 2024-01-01`).
        text = json.dumps(value, ensure_ascii=False, default=str)
    text = f'"{text}"' if isinstance(value, str | list) else text
    return text if len(text) <= limit else text[: limit - 4] + '..."'


def _ordered_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    out = {key: entry[key] for key in PAPER_KEYS if key in entry}
    out.update({key: value for key, value in entry.items() if key not in out})
    if isinstance(out.get("authors"), list):
        out["authors"] = [
            _ordered_author(a) if isinstance(a, Mapping) else a for a in out["authors"]
        ]
    return out


def _ordered_author(author: Mapping[str, Any]) -> dict[str, Any]:
    out = {key: author[key] for key in AUTHOR_KEYS if key in author}
    out.update({key: value for key, value in author.items() if key not in out})
    return out
