"""OpenReview export -> papers.yaml, without losing what the organizers edited by hand.

`import_openreview` is the Python API that the command line wraps: it reads an export of
submission notes (`read_notes`), keeps the accepted papers as papers.yaml entries
(`notes_to_papers`), merges them into the existing papers.yaml (`merge_papers`) and writes
papers.yaml and its import record atomically.

Accepted papers
    A note is accepted when `content.venueid` equals the venue id (`ImportOptions.venue_id`).
    Without one, the venue id is the most common `venueid` of the export that does not end in
    `/Rejected_Submission`, `/Withdrawn_Submission`, `/Desk_Rejected_Submission` or
    `/Submission` (still under review). A note with a venue label starting "Submitted to" is
    never accepted (API v1 gave rejected papers the venue's own id and that label). A note
    without `venueid` (older API v1 exports) is judged by its `venue` label alone: accepted
    unless the label starts "Submitted to" or names a withdrawal or a rejection.

Tracks
    The value of `track_field`, then the venue label, is looked up in `track_values`: first a
    key equal to the text (case-insensitive), then the longest key contained in the text. No
    match gives `default_track` and, when `track_field` is set, a warning.

Archival
    Without `archival_field` every paper is archival. With it, a paper is archival when the
    field is `true` or one of its values equals one of `archival_values`, compared
    case-insensitively with spaces normalised; exact, never as a substring, because
    "Non-archival" contains "archival". Empty `archival_values` means "yes", "true",
    "archival". A paper without the field is non-archival (publishing a paper whose authors
    did not choose is the mistake that cannot be undone), with a warning.

The import record
    `papers.yaml.imported.json`, next to papers.yaml, holds the entries exactly as the last
    import produced them, keyed by paper id. A value in papers.yaml that differs from the
    recorded one was edited by hand: re-imports keep it and report it. Values equal to the
    record take the new import. Without a record, every value that differs from OpenReview is
    kept. The format::

        {
          "about": "...",
          "version": 1,
          "venue_id": "ICLR.cc/2026/Workshop/ICBINB",
          "papers": {"7": {"id": "7", "title": "...", "authors": [...], ...}}
        }
"""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from proceedings.safe_read import ReadError, read_bytes
from proceedings.texts import letters_key, split_name
from proceedings.yamlsource import YamlError, YamlSource, parse_yaml

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
IMPORTED_KEYS = ("id", "title", "authors", "abstract", "track", "archival", "openreview", "pdf")
REQUIRED_KEYS = frozenset({"id", "title", "authors", "abstract", "track", "archival"})

DEFAULT_TRACK_VALUES: Mapping[str, str] = {"tiny": "tiny", "long": "long"}
DEFAULT_ARCHIVAL_VALUES = ("yes", "true", "archival")

NOT_ACCEPTED = {
    "Rejected_Submission": "rejected",
    "Withdrawn_Submission": "withdrawn",
    "Desk_Rejected_Submission": "desk rejected",
}
UNDER_REVIEW = "Submission"

# Chinese and Korean family names of two characters; a name written without a space that starts
# with one of these is split after it, not after the first character.
COMPOUND_SURNAMES = tuple(
    "欧阳 歐陽 司马 司馬 诸葛 諸葛 上官 司徒 东方 東方 夏侯 皇甫 尉迟 尉遲"
    " 公孙 公孫 慕容 长孙 長孫 宇文 令狐 轩辕 軒轅 南宫 南宮 端木 申屠"
    " 남궁 황보 제갈 선우 독고".split()
)


class OpenReviewImportError(Exception):
    """An input the importer cannot use. The message names the file (and line) and says why."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


@dataclass(frozen=True)
class ImportOptions:
    venue_id: str | None = None  # None: infer from the export
    track_field: str | None = None  # content field holding the track ("track", "submission_type")
    track_values: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_TRACK_VALUES))
    default_track: str = "long"
    archival_field: str | None = None  # None: every paper archival
    archival_values: tuple[str, ...] = ()  # exact, case-insensitive; empty: yes / true / archival


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
    backup: Path | None = None  # a copy of the previous papers.yaml, when comments were dropped

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


# --- reading the export --------------------------------------------------------------------


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


# --- notes -> entries ----------------------------------------------------------------------


def notes_to_papers(
    notes: Iterable[Mapping[str, Any]], options: ImportOptions | None = None
) -> ImportResult:
    """The accepted papers of `notes` as papers.yaml entries, and the notes left out and why.

    Entries hold `id`, `title`, `authors`, `abstract`, `track`, `archival`, `openreview` (the
    forum id) and `pdf` (`pdf/<id>.pdf`), in that order. Authors hold `name`, `given` and
    `family` only where `split_name` would split the name wrongly or not at all,
    `affiliation`, `email` and `openreview` where known.
    """
    options = options or ImportOptions()
    notes = list(notes)
    venue_id, inferred, warnings = _venue_id(notes, options)
    papers: list[dict[str, Any]] = []
    skipped: list[SkippedNote] = []
    seen: set[str] = set()
    archival_seen: Counter[str] = Counter()
    for index, note in enumerate(notes, 1):
        if not isinstance(note, Mapping):
            skipped.append(SkippedNote(f"#{index}", "", "", "not a JSON object"))
            continue
        paper_id = _note_id(note) or f"#{index}"
        forum = _line(note.get("forum")) or _line(note.get("id"))
        content = note.get("content")
        if not isinstance(content, Mapping):
            skipped.append(SkippedNote(paper_id, "", forum, "the note has no content"))
            continue
        title = _line(_value(content, "title"))
        reason = _not_accepted(note, content, venue_id)
        if reason is None and paper_id.startswith("#"):
            reason = "accepted, but the note has neither a number nor an id"
        if reason is None and paper_id in seen:
            reason = f"accepted, but another accepted note has the same number {paper_id}"
        if reason is None:
            entry, reason = _entry(paper_id, forum, content, options, warnings, archival_seen)
            if entry is not None:
                papers.append(entry)
                seen.add(paper_id)
                continue
        skipped.append(SkippedNote(paper_id, title, forum, reason or "not accepted"))
    if options.archival_field and archival_seen and not any(p["archival"] for p in papers):
        values = ", ".join(f"{value!r} ({count})" for value, count in archival_seen.most_common())
        wanted = ", ".join(repr(v) for v in options.archival_values or DEFAULT_ARCHIVAL_VALUES)
        warnings.append(
            f"no accepted paper is archival: {options.archival_field} is never one of {wanted};"
            f" values seen: {values}"
        )
    papers.sort(key=lambda entry: _number_key(entry["id"]))
    return ImportResult(papers, skipped, warnings, venue_id, inferred)


def _number_key(paper_id: str) -> tuple[int, int, str]:
    return (0, int(paper_id), "") if paper_id.isdigit() else (1, 0, paper_id)


def _value(content: Mapping[str, Any], key: str) -> Any:
    """A content field: API v2 wraps each as {"value": ...}, API v1 gives it plain."""
    value = content.get(key)
    if isinstance(value, Mapping) and "value" in value:
        return value["value"]
    return value


def _note_id(note: Mapping[str, Any]) -> str:
    number = note.get("number")
    if isinstance(number, int) and not isinstance(number, bool):
        return str(number)
    if isinstance(number, str) and number.strip():
        return number.strip()
    return _line(note.get("id"))


def _venue_id(notes: Sequence[Any], options: ImportOptions) -> tuple[str | None, bool, list[str]]:
    if options.venue_id:
        return options.venue_id.strip().rstrip("/"), False, []
    counts: Counter[str] = Counter()
    for note in notes:
        content = note.get("content") if isinstance(note, Mapping) else None
        if isinstance(content, Mapping):
            venue_id = _line(_value(content, "venueid"))
            if venue_id and _venue_id_decision(venue_id) is None:
                counts[venue_id] += 1
    if not counts:
        return None, False, []
    (best, count), *others = counts.most_common()
    warnings = []
    if others:
        also = ", ".join(f"{venue_id} ({n})" for venue_id, n in others)
        warnings.append(
            f"accepted papers are those with venue id {best} ({count} notes); also seen: {also};"
            " give the venue id to choose another"
        )
    return best, True, warnings


def _venue_id_decision(venue_id: str) -> str | None:
    """Why a venue id means "not accepted" (rejected, withdrawn, ...); None if it does not."""
    last = venue_id.rstrip("/").rpartition("/")[2]
    if last in NOT_ACCEPTED:
        return NOT_ACCEPTED[last]
    if last == UNDER_REVIEW:
        return "not decided (still under review)"
    return None


def _not_accepted(
    note: Mapping[str, Any], content: Mapping[str, Any], venue_id: str | None
) -> str | None:
    """Why the note is not an accepted paper; None when it is."""
    label = _line(_value(content, "venue"))
    note_venue_id = _line(_value(content, "venueid"))
    decision = _venue_id_decision(note_venue_id) if note_venue_id else None
    if decision:
        return f"{decision} (venue id {note_venue_id})"
    if label.casefold().startswith("submitted to"):
        return f"not accepted (venue: {label})"
    if note_venue_id:
        if note_venue_id == venue_id:
            return None
        if venue_id is None:
            return f"venue id {note_venue_id} is not an accepted venue"
        return f"venue id {note_venue_id} is not the accepted venue {venue_id}"
    invitations = note.get("invitations")
    if isinstance(note.get("invitation"), str):
        invitations = [note["invitation"]]
    for invitation in invitations if isinstance(invitations, list) else []:
        name = str(invitation).rpartition("/-/")[2]
        if name in NOT_ACCEPTED:
            return f"{NOT_ACCEPTED[name]} (invitation {invitation})"
    if label:
        folded = label.casefold()
        for word, reason in (("withdrawn", "withdrawn"), ("desk reject", "desk rejected")):
            if word in folded:
                return f"{reason} (venue: {label})"
        if "reject" in folded:
            return f"rejected (venue: {label})"
        return None
    return "the note has neither a venue id nor a venue: cannot tell whether it was accepted"


def _entry(
    paper_id: str,
    forum: str,
    content: Mapping[str, Any],
    options: ImportOptions,
    warnings: list[str],
    archival_seen: Counter[str],
) -> tuple[dict[str, Any] | None, str | None]:
    title = _line(_value(content, "title"))
    if not title:
        return None, "accepted, but the note has no title"
    authors = _authors(paper_id, content, warnings)
    if not authors:
        return None, "accepted, but the note has no authors"
    abstract = _paragraphs(_value(content, "abstract"))
    if not abstract:
        warnings.append(f"paper {paper_id}: no abstract (PMLR requires one)")
    entry: dict[str, Any] = {
        "id": paper_id,
        "title": title,
        "authors": authors,
        "abstract": abstract,
        "track": _track(paper_id, content, options, warnings),
        "archival": _archival(paper_id, content, options, warnings, archival_seen),
        "openreview": forum,
        "pdf": f"pdf/{paper_id}.pdf",
    }
    if not forum:
        del entry["openreview"]
    return entry, None


def _authors(
    paper_id: str, content: Mapping[str, Any], warnings: list[str]
) -> list[dict[str, Any]]:
    names = _value(content, "authors")
    ids = _value(content, "authorids")
    if not isinstance(names, list):
        return []
    ids = ids if isinstance(ids, list) else []
    authors: list[dict[str, Any]] = []
    for index, item in enumerate(names):
        handles = [ids[index]] if index < len(ids) else []
        institutions: Any = None
        if isinstance(item, Mapping):
            name = _line(item.get("fullname") or item.get("name"))
            handles += [item.get("username"), item.get("email")]
            institutions = item.get("institutions")
        else:
            name = _line(item)
        if not name:
            warnings.append(f"paper {paper_id}: author {index + 1} has no name and is left out")
            continue
        author: dict[str, Any] = {"name": name}
        override = _name_override(name)
        if override is not None:
            author["given"], author["family"] = override
        elif _uncertain_cjk_split(name):
            warnings.append(
                f"paper {paper_id}: cannot tell where the family name ends in {name!r}; add"
                " `given` and `family` to papers.yaml if the first character is not it"
            )
        affiliation = _affiliation(institutions)
        if affiliation:
            author["affiliation"] = affiliation
        texts = [_line(handle) for handle in handles if isinstance(handle, str)]
        email = next((text for text in texts if "@" in text and not text.startswith("~")), "")
        profile = next((text for text in texts if text.startswith("~")), "")
        if email:
            author["email"] = email
        if profile:
            author["openreview"] = profile
        authors.append(author)
    return authors


def _is_cjk(text: str) -> bool:
    return bool(text) and all(
        "\u4e00" <= char <= "\u9fff"  # CJK unified ideographs
        or "\u3400" <= char <= "\u4dbf"  # extension A
        or "\u3040" <= char <= "\u30ff"  # kana
        or "\uac00" <= char <= "\ud7af"  # hangul
        for char in text
    )


def _name_override(name: str) -> tuple[str, str] | None:
    """(given, family) where `split_name` would split `name` wrongly or not at all."""
    words = name.split()
    if len(words) > 1 and all(_is_cjk(word) for word in words):
        return " ".join(words[1:]), words[0]  # "山田 太郎": family name first
    if len(words) == 1 and _is_cjk(name):
        for surname in COMPOUND_SURNAMES:
            if name.startswith(surname) and len(name) > len(surname):
                return name[len(surname) :], surname
        return None
    if split_name(name) is None:
        return "", name  # one name only: it is the family name
    return None


def _uncertain_cjk_split(name: str) -> bool:
    """A CJK name without spaces whose family name may be longer than one character."""
    has_kana = any("\u3040" <= char <= "\u30ff" for char in name)
    return _is_cjk(name) and (len(name) >= 4 or has_kana)


def _affiliation(institutions: Any) -> str:
    if not isinstance(institutions, list):
        return ""
    names: list[str] = []
    for institution in institutions:
        raw = institution.get("name") if isinstance(institution, Mapping) else institution
        name = _line(raw)
        if name and name not in names:
            names.append(name)
    return "; ".join(names)


def _strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_line(item) for item in value if isinstance(item, str | int | float)]
    if isinstance(value, str | int | float):
        return [_line(str(value))]
    return []


def _track(
    paper_id: str, content: Mapping[str, Any], options: ImportOptions, warnings: list[str]
) -> str:
    if options.track_field:
        value = _value(content, options.track_field)
        for text in _strings(value):
            track = _match_track(text, options.track_values)
            if track is not None:
                return track
        found = f"{value!r}" if value is not None else "missing"
        fallback = _match_track(_line(_value(content, "venue")), options.track_values)
        track = fallback if fallback is not None else options.default_track
        source = "the venue label" if fallback is not None else "the default"
        warnings.append(
            f"paper {paper_id}: {options.track_field} {found} matches no track"
            f" ({', '.join(options.track_values)}); track {track!r} from {source}"
        )
        return track
    track = _match_track(_line(_value(content, "venue")), options.track_values)
    return track if track is not None else options.default_track


def _match_track(text: str, values: Mapping[str, str]) -> str | None:
    folded = text.casefold()
    if not folded:
        return None
    for key, track in values.items():
        if _line(key).casefold() == folded:
            return track
    for key in sorted(values, key=len, reverse=True):
        if _line(key) and _line(key).casefold() in folded:
            return values[key]
    return None


def _archival(
    paper_id: str,
    content: Mapping[str, Any],
    options: ImportOptions,
    warnings: list[str],
    seen: Counter[str],
) -> bool:
    if not options.archival_field:
        return True
    value = _value(content, options.archival_field)
    if isinstance(value, bool):
        seen[str(value).lower()] += 1
        return value
    texts = _strings(value)
    if not texts:
        warnings.append(f"paper {paper_id}: no {options.archival_field}; imported as non-archival")
        return False
    seen.update(texts)
    wanted = {_line(v).casefold() for v in options.archival_values or DEFAULT_ARCHIVAL_VALUES}
    return any(text.casefold() in wanted for text in texts)


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


# --- merging into papers.yaml --------------------------------------------------------------


def merge_papers(
    existing_yaml_text: str | None,
    imported: Sequence[Mapping[str, Any]],
    *,
    previous: Mapping[str, Mapping[str, Any]] | None = None,
    skipped: Sequence[SkippedNote] = (),
    source: str = "papers.yaml",
) -> MergeResult:
    """Merge imported entries into the text of papers.yaml; nothing is written.

    Entries are matched by `id`, failing that by `openreview` forum id. `previous` is the
    record of the last import (paper id -> entry as imported): a field whose value in
    papers.yaml differs from the recorded one was edited by hand and is kept; other fields
    take the imported value. Without `previous`, every value that differs is kept. New papers
    are appended; papers missing from `imported` stay and are reported as gone (with the
    reason from `skipped` when their note is there). `source` names the file in errors.
    """
    top, entries = _load_papers_yaml(existing_yaml_text, source)
    records: dict[str, Mapping[str, Any]] = dict(previous or {})
    warnings: list[str] = []
    by_id: dict[str, int] = {}
    by_forum: dict[str, int] = {}
    for index, entry in enumerate(entries):
        by_id.setdefault(_key(entry.get("id")), index)
        if entry.get("openreview"):
            by_forum.setdefault(_key(entry.get("openreview")), index)
    matched: dict[int, str] = {}  # index in entries -> imported id
    changes: dict[str, PaperChange] = {}  # imported id -> change
    new_records: dict[str, dict[str, Any]] = {}
    appended: list[dict[str, Any]] = []
    unknown_provenance: list[str] = []  # papers with kept values and no record
    for paper in imported:
        paper_id = _key(paper.get("id"))
        forum = _key(paper.get("openreview"))
        if paper_id in new_records:
            warnings.append(f"paper {paper_id} is imported twice; the second one is left out")
            continue
        new_records[paper_id] = json.loads(json.dumps(dict(paper)))
        target = by_id.get(paper_id)
        if target is not None:
            other_forum = _key(entries[target].get("openreview"))
            if target in matched or (forum and other_forum and other_forum != forum):
                target = None  # the same id, but another paper
        if target is None and forum:
            candidate = by_forum.get(forum)
            if candidate is not None and candidate not in matched:
                target = candidate
        if target is None:
            if paper_id in by_id:
                warnings.append(
                    f"paper {paper_id}: papers.yaml already has another paper with id"
                    f" {paper_id}; added it all the same, rename one of them"
                )
            appended.append(_ordered_entry(paper))
            changes[paper_id] = PaperChange(paper_id, _line(paper.get("title")), "added")
            continue
        matched[target] = paper_id
        record = _find_record(records, paper_id, forum)
        entry, updated, kept = _merge_entry(entries[target], record, paper)
        entries[target] = entry
        if record is None and kept:
            unknown_provenance.append(paper_id)
        status: ChangeStatus = "updated" if updated else "unchanged"
        changes[paper_id] = PaperChange(
            paper_id, _line(entry.get("title")), status, tuple(updated), tuple(kept)
        )
    if unknown_provenance:
        warnings.append(
            f"no record of an earlier import of paper {', '.join(unknown_provenance)}: every"
            " value that differs from OpenReview was kept as it is in papers.yaml (listed as a"
            " hand edit); change it by hand where OpenReview is right"
        )
    reasons: dict[str, str] = {}
    for note in skipped:
        reasons.setdefault(note.id, note.reason)
        if note.forum:
            reasons.setdefault(f"forum:{note.forum}", note.reason)
    ordered: list[PaperChange] = []
    for index, entry in enumerate(entries):
        if index in matched:
            ordered.append(changes[matched[index]])
            continue
        entry_id = _key(entry.get("id"))
        forum = _key(entry.get("openreview"))
        if _find_record(records, entry_id, forum) is None and not forum:
            continue  # never came from OpenReview: none of the import's business
        reason = reasons.get(f"forum:{forum}") or reasons.get(entry_id)
        why = f"not accepted on OpenReview: {reason}" if reason else "not in the OpenReview export"
        ordered.append(PaperChange(entry_id, _line(entry.get("title")), "gone", reason=why))
    ordered += [changes[_key(entry["id"])] for entry in appended]
    entries += appended
    text = _dump_papers_yaml(top, entries)
    record = dict(new_records)
    for paper_id, old in records.items():
        if paper_id not in record:
            record[paper_id] = dict(old)
    return MergeResult(
        text=text,
        record=record,
        changes=ordered,
        warnings=warnings,
        changed=text != (existing_yaml_text or ""),
    )


def _key(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return _line(str(value))


def _find_record(
    records: Mapping[str, Mapping[str, Any]], paper_id: str, forum: str
) -> Mapping[str, Any] | None:
    if paper_id in records:
        return records[paper_id]
    if forum:
        for record in records.values():
            if _key(record.get("openreview")) == forum:
                return record
    return None


_SAME, _UPDATED, _KEPT = "same", "updated", "kept"


def _three_way(
    cur: Any, prev: Any, new: Any, known: bool, required: bool = False
) -> tuple[Any, str]:
    """The value to write for one field, and whether it is unchanged, updated or kept.

    `cur` is the value in papers.yaml, `prev` the one of the last import, `new` OpenReview's;
    `known` says whether there is a record of the last import at all; a `required` field that
    is missing or empty in papers.yaml always takes the new value.
    """
    if _same(cur, new):
        return cur, _SAME
    if cur is None and required:
        return new, _UPDATED  # a required field left empty is no edit worth keeping
    if new is None and (not known or prev is None):
        return cur, _SAME  # a field the import never filled: the organizers' own
    if known and _same(cur, prev):
        return new, _UPDATED
    if not known and cur is None:
        return new, _UPDATED
    return cur, _KEPT


def _merge_entry(
    cur: Mapping[str, Any], record: Mapping[str, Any] | None, new: Mapping[str, Any]
) -> tuple[dict[str, Any], list[FieldChange], list[FieldChange]]:
    known = record is not None
    prev = record or {}
    values: dict[str, Any] = {}
    updated: list[FieldChange] = []
    kept: list[FieldChange] = []
    for key in IMPORTED_KEYS:
        if key == "authors":
            value, author_updates, author_kept = _merge_authors(
                cur.get(key), prev.get(key), new.get(key), known
            )
            updated += author_updates
            kept += author_kept
        else:
            required = key in REQUIRED_KEYS
            value, outcome = _three_way(cur.get(key), prev.get(key), new.get(key), known, required)
            if outcome == _UPDATED:
                updated.append(FieldChange(key, cur.get(key), new.get(key)))
            elif outcome == _KEPT:
                kept.append(FieldChange(key, cur.get(key), new.get(key)))
        values[key] = value
    merged: dict[str, Any] = {}
    for key in PAPER_KEYS:
        if key in values:
            if values[key] is not None:
                merged[key] = values[key]
        elif key in cur:
            merged[key] = cur[key]
    for key, value in cur.items():
        if key not in merged and key not in values:
            merged[key] = value
    return merged, updated, kept


def _is_author_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(author, Mapping) for author in value)


def _merge_authors(
    cur: Any, prev: Any, new: Any, known: bool
) -> tuple[Any, list[FieldChange], list[FieldChange]]:
    """Authors are matched across the three lists by profile, e-mail or name, then merged
    field by field; the order and membership of the list is itself one field."""
    if not _is_author_list(cur) or not _is_author_list(new):
        value, outcome = _three_way(cur, prev, new, known, required=True)
        change = [FieldChange("authors", _names(cur), _names(new))]
        return value, change if outcome == _UPDATED else [], change if outcome == _KEPT else []
    new_list: list[Mapping[str, Any]] = list(new)
    cur_list: list[Mapping[str, Any]] = list(cur)
    prev_list: list[Mapping[str, Any]] | None = (
        list(prev) if known and _is_author_list(prev) else None
    )
    # Give every author one identity: new authors 0..n-1, then the unmatched previous ones.
    pool: list[tuple[int, Mapping[str, Any]]] = list(enumerate(new_list))
    prev_ids: list[int] = []
    if prev_list is not None:
        prev_ids = _identify(prev_list, pool)
        pool += [(i, a) for i, a in zip(prev_ids, prev_list, strict=True) if i >= len(new_list)]
    cur_ids = _identify(cur_list, pool)
    by_id = {
        "cur": dict(zip(cur_ids, cur_list, strict=True)),
        "prev": dict(zip(prev_ids, prev_list or [], strict=True)),
        "new": dict(enumerate(new_list)),
    }
    new_ids = list(range(len(new_list)))
    updated: list[FieldChange] = []
    kept: list[FieldChange] = []
    unchanged_list = cur_ids == prev_ids if prev_list is not None else cur_ids == new_ids
    if unchanged_list:
        order = new_ids
        if order != cur_ids:
            updated.append(FieldChange("authors", _names(cur_list), _names(new_list)))
    else:
        order = cur_ids
        if order != new_ids:
            kept.append(FieldChange("authors", _names(cur_list), _names(new_list)))
    merged: list[dict[str, Any]] = []
    for author_id in order:
        c = by_id["cur"].get(author_id)
        w = by_id["new"].get(author_id)
        if c is None or w is None:
            only = w if c is None else c
            assert only is not None  # every identity in `order` is in `cur` or `new`
            merged.append(_ordered_author(only))
            continue
        p = by_id["prev"].get(author_id)
        values: dict[str, Any] = {}
        for key in AUTHOR_KEYS:
            prev_value = p.get(key) if p is not None else None
            required = key == "name"
            value, outcome = _three_way(c.get(key), prev_value, w.get(key), p is not None, required)
            label = f"authors[{_line(c.get('name')) or _line(w.get('name'))}].{key}"
            if outcome == _UPDATED:
                updated.append(FieldChange(label, c.get(key), w.get(key)))
            elif outcome == _KEPT:
                kept.append(FieldChange(label, c.get(key), w.get(key)))
            if value is not None:
                values[key] = value
        values.update({key: value for key, value in c.items() if key not in AUTHOR_KEYS})
        merged.append(values)
    return merged, updated, kept


def _identify(
    authors: Sequence[Mapping[str, Any]], pool: Sequence[tuple[int, Mapping[str, Any]]]
) -> list[int]:
    """For each author, the identity of the same person in `pool`, or a fresh one."""
    found: dict[int, int] = {}
    taken: set[int] = set()
    keys: tuple[Callable[[Mapping[str, Any]], str], ...] = (
        lambda a: _line(a.get("openreview")),
        lambda a: _line(a.get("email")).casefold(),
        lambda a: letters_key(_line(a.get("name"))) or _line(a.get("name")).casefold(),
    )  # names without Latin letters (张伟) are compared as written
    for key in keys:
        for index, author in enumerate(authors):
            wanted = key(author)
            if index in found or not wanted:
                continue
            for identity, other in pool:
                if identity not in taken and key(other) == wanted:
                    found[index] = identity
                    taken.add(identity)
                    break
    fresh = max((identity for identity, _ in pool), default=-1) + 1
    ids: list[int] = []
    for index in range(len(authors)):
        if index in found:
            ids.append(found[index])
        else:
            ids.append(fresh)
            fresh += 1
    return ids


def _same(a: Any, b: Any) -> bool:
    return bool(_comparable(a) == _comparable(b))


def _comparable(value: Any) -> Any:
    """Values as the merge compares them: white space and Unicode form do not count."""
    if isinstance(value, str):
        return _line(value) or None
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, Mapping):
        pairs = ((str(k), _comparable(v)) for k, v in value.items())
        return {k: v for k, v in pairs if v is not None}
    return value


def _names(authors: Any) -> Any:
    if _is_author_list(authors):
        return [_line(author.get("name")) for author in authors]
    return authors


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


# --- papers.yaml text ----------------------------------------------------------------------


def _load_papers_yaml(text: str | None, source: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The top-level mapping and the list of paper entries of papers.yaml."""
    if text is None or not text.strip():
        return {}, []
    parsed = _parse_papers_yaml(text, source)
    data = parsed.data
    if data is None:
        return {}, []
    if not isinstance(data, dict) or "papers" not in data:
        raise OpenReviewImportError(
            f"{source}, line 1: expected a mapping with the key `papers:` at the top",
            source,
            1,
        )
    papers = data["papers"]
    if papers is None:
        papers = []
    if not isinstance(papers, list):
        line = parsed.line(("papers",)) or 1
        raise OpenReviewImportError(
            f"{source}, line {line}: `papers` must be a list of papers", source, line
        )
    for index, entry in enumerate(papers):
        if not isinstance(entry, dict):
            line = parsed.line(("papers", index)) or 1
            raise OpenReviewImportError(
                f"{source}, line {line}: paper {index + 1} is not a mapping of fields",
                source,
                line,
            )
    return dict(data), [dict(entry) for entry in papers]


def _parse_papers_yaml(text: str, source: str) -> YamlSource:
    """papers.yaml read as `check` reads it: aliases (a "billion laughs" file would fill
    memory), keys given twice and nesting past a hundred levels are refused."""
    try:
        return parse_yaml(text, source)
    except YamlError as error:
        problem = error
    if problem.message.startswith("YAML syntax error"):
        # PyYAML's own parser gives the column too. It stops where libyaml stopped, within
        # the depth the reader allows, so it cannot recurse too deep.
        try:
            yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as detailed:
            raise _yaml_error(detailed, source) from None
        except RecursionError:
            pass
    where = f"{source}, line {problem.line}" if problem.line is not None else source
    raise OpenReviewImportError(f"{where}: {problem.message}", source, problem.line)


def _yaml_error(error: yaml.YAMLError, source: str) -> OpenReviewImportError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    detail = f"{problem} ({context})" if context else problem
    if mark is None:
        return OpenReviewImportError(f"{source}: not valid YAML: {detail}", source)
    line = mark.line + 1
    return OpenReviewImportError(
        f"{source}, line {line}, column {mark.column + 1}: not valid YAML: {detail}", source, line
    )


class _Block(str):
    """A string written as a literal block (`|`)."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # lists indented under their key


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_block(dumper: yaml.SafeDumper, data: _Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Block, _represent_block)


def _dump_papers_yaml(top: Mapping[str, Any], papers: Sequence[Mapping[str, Any]]) -> str:
    """papers.yaml: `papers:` first, entries and authors in the documented key order, block
    style, abstracts as literal blocks, UTF-8 characters as they are. Same input, same text."""
    document: dict[str, Any] = {"papers": [_for_yaml(entry) for entry in papers]}
    document.update({key: value for key, value in top.items() if key != "papers"})
    return yaml.dump(
        document,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 16,
        indent=2,
    )


def _for_yaml(entry: Mapping[str, Any]) -> dict[str, Any]:
    out = _ordered_entry(entry)
    abstract = out.get("abstract")
    if isinstance(abstract, str) and abstract.strip():
        out["abstract"] = _Block(abstract if abstract.endswith("\n") else abstract + "\n")
    return out


# --- files ---------------------------------------------------------------------------------


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
    """Import the accepted papers of an OpenReview export into papers.yaml.

    Writes papers.yaml and `papers.yaml.imported.json` only once everything that can fail
    has run: the merge, the printout of the changes, and each file written in full to a
    temporary file beside it; then the renames, papers.yaml first, so an interruption between
    the two can only make a later import keep values, never overwrite hand edits. Files whose
    content would not change are not touched. When papers.yaml had comments, which YAML
    rewriting cannot keep, its previous text is saved as `papers.yaml.bak` first.
    """
    notes = read_notes(notes_path)
    imported = notes_to_papers(notes, options)
    if not imported.papers:
        reasons = Counter(note.reason for note in imported.skipped)
        listed = "; ".join(f"{reason} ({n})" for reason, n in reasons.most_common(5))
        raise OpenReviewImportError(
            f"{notes_path}: no accepted paper among {len(notes)} notes ({listed})",
            str(notes_path),
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
    result.lines()  # what the command prints after the writes must not fail after them
    writes: list[tuple[Path, bytes]] = []
    if result.changed:
        if existing is not None and _has_comments(existing):
            result.backup = papers_yaml.with_name(papers_yaml.name + ".bak")
            writes.append((result.backup, existing.encode("utf-8")))
            result.warnings.append(
                f"{papers_yaml} had comments, which are not kept; its previous text is in"
                f" {result.backup}"
            )
        writes.append((papers_yaml, result.text.encode("utf-8")))
    text = record_text(result.record, imported.venue_id)
    if previous is None or _read_text(record_file) != text:
        writes.append((record_file, text.encode("utf-8")))
    _write_all(writes)
    return result


def _read_text(path: Path) -> str:
    try:
        return read_bytes(path, str(path)).decode("utf-8")
    except ReadError as error:
        raise OpenReviewImportError(_read_problem(error), str(path)) from None
    except UnicodeDecodeError as error:
        raise OpenReviewImportError(
            f"{path}: not UTF-8 text (byte {error.start})", str(path)
        ) from error


def _has_comments(text: str) -> bool:
    """Whether YAML `text` has a comment (a `#` outside every scalar)."""
    try:
        spans = [
            (token.start_mark.index, token.end_mark.index)
            for token in yaml.scan(text, Loader=yaml.SafeLoader)
            if isinstance(token, yaml.ScalarToken)
        ]
    except yaml.YAMLError:
        return "#" in text
    for match in re.finditer(r"(?:^|(?<=\s))#", text):
        if not any(start <= match.start() < end for start, end in spans):
            return True
    return False


def _read_problem(error: ReadError) -> str:
    if error.missing:
        return f"{error.file}: cannot be read (no such file)"
    return f"{error.file}: {error.message}"


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
