"""A three-way merge of lines, for editing papers.yaml in place (see roundtrip.py): the file's
own lines wherever the YAML writer only re-wrote them, the import's edits elsewhere."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from proceedings.openreview.model import OpenReviewImportError


@dataclass(frozen=True)
class _Hunk:
    """Lines `start` to `end` of the text written back unchanged become `lines`."""

    start: int
    end: int
    lines: list[str]
    origin: range = range(0)  # for a hunk towards the file: its lines there (0-based)


def _hunks(base: list[str], other: list[str]) -> list[_Hunk]:
    """The differences from `base` to `other`. Common lines at both ends are set aside
    first, as most of a file is; difflib's heuristic for frequent lines (`    archival:
    true`, once a paper) keeps a file of thousands of papers to a second or so."""
    if base == other:
        return []
    head = 0
    while head < min(len(base), len(other)) and base[head] == other[head]:
        head += 1
    tail = 0
    while tail < min(len(base), len(other)) - head and base[-1 - tail] == other[-1 - tail]:
        tail += 1
    a, b = base[head : len(base) - tail], other[head : len(other) - tail]
    matcher = difflib.SequenceMatcher(None, a, b)
    return [
        _Hunk(head + i1, head + i2, b[j1:j2], range(head + j1, head + j2))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def merge3(
    original: list[str], unchanged: list[str], edited: list[str], allowed: set[int], source: str
) -> str:
    """The file's own lines wherever the library only re-wrote them (`original` against
    `unchanged`, the file written back without edits), the edits elsewhere (`unchanged`
    against `edited`). Where both touch the same lines, the edit wins if the file's lines
    there are those of a field the import replaces; otherwise the import stops."""
    ours = _hunks(unchanged, original)
    theirs = _hunks(unchanged, edited)
    out: list[str] = []
    position = 0
    groups = _groups(ours, theirs)
    for start, end, mine, edits in groups:
        out += unchanged[position:start]
        if not edits:
            out += _apply(unchanged, start, end, mine)
        elif not mine:
            out += _apply(unchanged, start, end, edits)
        else:
            outside = [i for hunk in mine for i in hunk.origin if i not in allowed]
            if outside or any(not hunk.origin for hunk in mine):
                line = outside[0] if outside else min(h.origin.start for h in mine)
                was = original[line].rstrip() if line < len(original) else ""
                would = " ".join(text.strip() for text in unchanged[start:end])
                becomes = f"would become {would!r}" if would else "would be left out"
                raise OpenReviewImportError(
                    f"{source}, line {line + 1}: the import changes the file next to this line,"
                    f" which the YAML writer cannot keep as written ({was!r} {becomes});"
                    " nothing was written. Write it as the writer does (it means the same)"
                    " and import again",
                    source,
                    line + 1,
                )
            out += _apply(unchanged, start, end, edits)
        position = end
    out += unchanged[position:]
    return "".join(out)


def _groups(
    ours: list[_Hunk], theirs: list[_Hunk]
) -> list[tuple[int, int, list[_Hunk], list[_Hunk]]]:
    """Hunks of both sides gathered where they overlap, or insert at the same place:
    (start, end, ours, theirs), in order. An insertion just before a replaced line does not
    overlap it: it goes first."""
    tagged = sorted(
        [(h, 0) for h in ours] + [(h, 1) for h in theirs], key=lambda t: (t[0].start, t[0].end)
    )
    groups: list[tuple[int, int, list[_Hunk], list[_Hunk]]] = []
    for hunk, side in tagged:
        if groups:
            start, end, mine, edits = groups[-1]
            same_point = hunk.start == hunk.end == start == end
            if hunk.start < end or same_point:
                groups[-1] = (start, max(end, hunk.end), mine, edits)
                (mine if side == 0 else edits).append(hunk)
                continue
        groups.append((hunk.start, hunk.end, [hunk] if side == 0 else [], [hunk] if side else []))
    return groups


def _apply(base: list[str], start: int, end: int, hunks: list[_Hunk]) -> list[str]:
    out: list[str] = []
    position = start
    for hunk in hunks:
        out += base[position : hunk.start]
        out += hunk.lines
        position = hunk.end
    out += base[position:end]
    return out
