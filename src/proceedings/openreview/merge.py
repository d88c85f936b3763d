"""Merging imported entries into papers.yaml, keeping what the organizers edited by hand."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from proceedings.openreview.identity import identify_authors as _identify
from proceedings.openreview.model import (
    AUTHOR_KEYS,
    IMPORTED_KEYS,
    PAPER_KEYS,
    REQUIRED_KEYS,
    ChangeStatus,
    FieldChange,
    MergeResult,
    PaperChange,
    SkippedNote,
    _line,
    _ordered_author,
    _ordered_entry,
)
from proceedings.openreview.roundtrip import edit_papers_yaml
from proceedings.openreview.yamltext import _dump_papers_yaml, _load_papers_yaml


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

    The new text is the existing one edited in place (comments, blank lines, key order and
    quoting kept; see `roundtrip`); without an existing text, the documented layout.
    """
    top, entries = _load_papers_yaml(existing_yaml_text, source)
    before = list(entries)  # the merge replaces entries, it does not change them
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
    if existing_yaml_text is None or not existing_yaml_text.strip():
        text = _dump_papers_yaml(top, entries)
    else:
        text = edit_papers_yaml(existing_yaml_text, source, before, entries)
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
