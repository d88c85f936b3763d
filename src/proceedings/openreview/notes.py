"""Notes -> papers.yaml entries: which notes are accepted papers, and their fields."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from proceedings.openreview.download import supplementary_suffix
from proceedings.openreview.model import (
    DEFAULT_ARCHIVAL_VALUES,
    NOT_ACCEPTED,
    UNDER_REVIEW,
    ImportOptions,
    ImportResult,
    SkippedNote,
    VenueChoiceError,
    _line,
    _paragraphs,
    _value,
)
from proceedings.openreview.names import _name_override, _uncertain_cjk_split


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
    if others:
        listed = "; ".join(f"{venue_id} ({n} notes)" for venue_id, n in counts.most_common())
        raise VenueChoiceError(
            f"the export holds accepted papers of {len(counts)} venues: {listed}; give the"
            " venue id of the volume with --venue-id",
            counts,
        )
    return best, True, []


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
    if options.supplementary_field:
        source = _value(content, options.supplementary_field)
        if isinstance(source, str) and source.strip():
            entry["supplementary"] = f"supp/{paper_id}{supplementary_suffix(source)}"
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
