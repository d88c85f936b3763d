"""papers.yaml edited in place: a re-import changes the fields the merge changed and appends
the new papers, and leaves every other byte as the organizers wrote it (comments, blank lines,
key order, quoting, block scalars, line ends, a byte-order mark).

The editing is ruamel.yaml's round-trip mode. It writes most files back exactly, not all: a
value PyYAML wrapped over several lines comes back on one, a closing `...` is left out. So the
file is also written back without any edit, and wherever that differs from the file, the
file's own lines are kept (a three-way merge of lines: the file, the file written back, the
file edited). Where such a line touches a change of the import without being replaced by it,
the import stops with that line named. After the edit the text must read back, with the
project's own reader, as exactly the data intended, and must hold every comment of the file;
otherwise the import stops too. Nothing is written when it stops.
"""

from __future__ import annotations

import bisect
import copy
import difflib
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from proceedings.openreview.identity import identify_authors
from proceedings.openreview.model import OpenReviewImportError, _ordered_entry
from proceedings.openreview.yamltext import _dump_papers_yaml
from proceedings.yamlsource import YamlError, parse_yaml

_BOM = "\ufeff"
# (mapping, sequence, offset) as ruamel.yaml takes them: lists indented under their key (the
# layout the first import writes), lists level with their key, then wider indentations.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (3, 3, 1), (4, 5, 3))
_WIDTH = 1 << 30  # never re-wrap a long line
_FOLD_WIDTH = 80  # folded (`>`) text the import writes, when no other width is known
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class _Text:
    """papers.yaml as ruamel.yaml reads it: no byte-order mark, `\\n` line ends."""

    body: str
    bom: bool
    newline: str  # the file's line end: "\n", "\r\n" or "\r"
    last_line: str | None = None  # the last line, when it has no line end

    def restore(self, body: str) -> str:
        if self.last_line is not None and body.endswith("\n" + self.last_line + "\n"):
            body = body[:-1]  # the file's last line still last: still without a line end
        if self.newline != "\n":
            body = body.replace("\n", self.newline)
        return (_BOM if self.bom else "") + body


def edit_papers_yaml(
    text: str,
    source: str,
    before: Sequence[Mapping[str, Any]],
    after: Sequence[Mapping[str, Any]],
) -> str:
    """The text of papers.yaml with the papers `before` (as read from `text`) turned into
    the first `len(before)` of `after`, and the rest of `after` appended.

    Raises OpenReviewImportError naming `source` and a line when that cannot be done without
    changing text the import does not change, or without losing a comment.
    """
    plain = _split(text, source)
    original = _parse(text, source).data
    if not isinstance(original, dict):  # comments only: the papers follow them
        body = plain.body
        if body and not body.endswith("\n"):
            body += "\n"
        fresh = _dump_papers_yaml({}, after)
        out = plain.restore(body + fresh)
        _check_reads_back(out, source, _parse(fresh, source).data)  # the comments change nothing
        return out
    changed = _changed_fields(before, after)
    allowed = _lines_of(plain.body, changed, whole_list=not before)
    yaml_rt, document, unchanged = _load(plain.body, source)
    papers = document.get("papers") if isinstance(document, CommentedMap) else None
    _check_same_papers(papers, before, source)
    if not isinstance(papers, CommentedSeq):
        papers = CommentedSeq()
        papers.fa.set_block_style()
        document["papers"] = papers
    elif papers.fa.flow_style() and len(after) > len(before):
        papers.fa.set_block_style()
    written: list[Any] = []
    for index, new in enumerate(after):
        if index < len(before):
            node = papers[index]
            if index in changed:
                others = _Siblings(papers, index)
                written.append(_edit_map(node, before[index], new, others))
            else:
                written.append(before[index])
        else:
            written.append(_append(papers, new))
    edited = _dump(yaml_rt, document, source).splitlines(keepends=True)
    lines = plain.body.splitlines(keepends=True)
    out = plain.restore(_merge3(lines, unchanged, edited, allowed, source))
    expected = copy.copy(original)
    expected["papers"] = written
    _check_reads_back(out, source, expected)
    _check_comments(plain.body, _split(out, source).body, source)
    return out


def _check_same_papers(papers: Any, before: Sequence[Mapping[str, Any]], source: str) -> None:
    """ruamel.yaml reads YAML 1.2, the project YAML 1.1: the papers and their keys must be the
    same for both before one is edited by what the other read (`yes:` is a key `True` in 1.1)."""
    count = len(papers) if isinstance(papers, CommentedSeq) else 0
    problem = count != len(before)
    for index in range(min(count, len(before))):
        node = papers[index]
        if not isinstance(node, CommentedMap) or list(node) != list(before[index]):
            problem = True
            count = index
            break
    if problem:
        raise OpenReviewImportError(
            f"{source}: paper {count + 1} reads differently with YAML 1.1 and 1.2 (a key such"
            " as `yes:` or `on:`?); the import cannot edit it in place, nothing was written",
            source,
        )


def _split(text: str, source: str) -> _Text:
    bom = text.startswith(_BOM)
    body = text[1:] if bom else text
    ends = re.finditer(r"\r\n|\r|\n", body)
    first = next(ends, None)
    newline = first.group() if first else "\n"
    if "\r" in body:
        for line, end in enumerate(ends, start=2):
            if end.group() != newline:
                raise OpenReviewImportError(
                    f"{source}, line {line}: ends with {end.group()!r} where line 1 ends with"
                    f" {newline!r}; the import cannot keep line ends of two kinds, so it writes"
                    " nothing: save the file with one kind of line end and import again",
                    source,
                    line,
                )
        body = body.replace(newline, "\n")
    for mark in ("\x85", "\u2028", "\u2029"):
        if mark in body:
            line = body[: body.index(mark)].count("\n") + 1
            raise OpenReviewImportError(
                f"{source}, line {line}: holds a Unicode line separator (U+{ord(mark):04X}),"
                " which YAML readers count as a line end and the import cannot keep as written;"
                " nothing was written: remove it and import again",
                source,
                line,
            )
    if body and not body.endswith("\n"):
        # A line end is added for the editing: a paper appended after the last line must
        # start a line of its own.
        return _Text(body + "\n", bom, newline, body.rsplit("\n", 1)[-1])
    return _Text(body, bom, newline)


def _parse(text: str, source: str) -> Any:
    try:
        return parse_yaml(text, source)
    except YamlError as error:
        where = f"{source}, line {error.line}" if error.line is not None else source
        raise OpenReviewImportError(f"{where}: {error.message}", source, error.line) from None


# --- what changes, and where it stands ---------------------------------------------------


def _changed_fields(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> dict[int, set[str]]:
    """Paper index -> the keys whose values the merge changed, added or removed."""
    out: dict[int, set[str]] = {}
    for index, (old, new) in enumerate(zip(before, after, strict=False)):
        keys = {
            key
            for key in (*old, *new)
            if key not in old or key not in new or not _identical(old[key], new[key])
        }
        if keys:
            out[index] = keys
    return out


def _identical(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (`1 == True` in Python); the order of
    keys does not count (the merge gives the documented one, the file keeps its own)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_identical(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_identical(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _lines_of(body: str, changed: Mapping[int, set[str]], whole_list: bool) -> set[int]:
    """The lines (0-based) of the fields in `changed`, key to the end of the value; with
    `whole_list`, those of the `papers` value too."""
    lines: set[int] = set()
    root = yaml.compose(body, Loader=_LOADER)
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        if key.value != "papers":
            continue
        if whole_list:
            lines.update(_span(key, value))
        if not isinstance(value, yaml.SequenceNode):
            continue
        for index, entry in enumerate(value.value):
            if index in changed and isinstance(entry, yaml.MappingNode):
                for field_key, field_value in entry.value:
                    if field_key.value in changed[index]:
                        lines.update(_span(field_key, field_value))
    return lines


def _span(key: yaml.Node, value: yaml.Node) -> range:
    end = value.end_mark
    last = end.line if end.column > 0 else end.line - 1
    return range(key.start_mark.line, max(last, key.start_mark.line) + 1)


# --- reading and writing with ruamel.yaml ----------------------------------------------------


def _load(body: str, source: str) -> tuple[YAML, Any, list[str]]:
    """The document read for round-trip editing, the indentation that writes it back closest
    to `body`, and the lines it writes back unchanged."""
    try:
        document = _new_yaml(_INDENTS[0]).load(body)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise OpenReviewImportError(
            f"{source}, line {line}: cannot be edited in place ({error.problem or error});"
            " nothing was written",
            source,
            line,
        ) from None
    except Exception as error:  # noqa: BLE001 - the library's own failure must not be a traceback
        raise OpenReviewImportError(
            f"{source}: cannot be edited in place ({type(error).__name__}: {error});"
            " nothing was written",
            source,
        ) from None
    original = body.splitlines(keepends=True)
    lines = Counter(original)
    offset = re.search(r"(?m)^( *)- ", body)
    likely = [i for i in _INDENTS if offset and i[2] == len(offset.group(1))]
    best: tuple[int, YAML, list[str]] | None = None
    for indent in [*likely, *(i for i in _INDENTS if i not in likely)]:
        handle = _new_yaml(indent)
        written = _dump(handle, document, source).splitlines(keepends=True)
        if written == original:
            return handle, document, written
        differing = (Counter(written) - lines).total()  # lines the file does not have
        if best is None or differing < best[0]:
            best = (differing, handle, written)
        if indent in likely and indent == likely[-1] and best[0] * 10 < len(original):
            break  # close enough: only some values re-wrapped
    assert best is not None
    return best[1], document, best[2]


def _new_yaml(indent: tuple[int, int, int]) -> YAML:
    handle = YAML(typ="rt", pure=True)
    handle.preserve_quotes = True
    handle.width = _WIDTH
    handle.allow_unicode = True
    mapping, sequence, offset = indent
    handle.indent(mapping=mapping, sequence=sequence, offset=offset)
    return handle


def _dump(handle: YAML, document: Any, source: str) -> str:
    out = io.StringIO()
    try:
        handle.dump(document, out)
    except Exception as error:  # noqa: BLE001 - the library's own failure must not be a traceback
        raise OpenReviewImportError(
            f"{source}: cannot be edited in place ({type(error).__name__}: {error});"
            " nothing was written",
            source,
        ) from None
    return out.getvalue()


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


def _merge3(
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


# --- editing ---------------------------------------------------------------------------------


@dataclass
class _Siblings:
    """The other papers, nearest first: where a field new to a paper takes its style from."""

    papers: CommentedSeq
    index: int

    def __iter__(self) -> Iterator[Any]:
        for distance in range(1, len(self.papers)):
            for other in (self.index - distance, self.index + distance):
                if 0 <= other < len(self.papers):
                    yield self.papers[other]


def _edit_map(
    node: Any, old: Mapping[str, Any], new: Mapping[str, Any], others: Iterable[Any] = ()
) -> Any:
    """Turn the mapping `node` (read as `old`) into `new`: changed values in place, new keys
    after the key they follow in `new`, removed keys out. Returns the value as written."""
    if not isinstance(node, CommentedMap):
        return _render(new, node)[1]
    written: dict[str, Any] = {}
    for key in list(old):
        if key not in new:
            _delete(node, key)
    for position, key in enumerate(new):
        value = new[key]
        if key in old:
            if _identical(old[key], value):
                written[key] = old[key]
                continue
            node[key], written[key] = _edited(node[key], old[key], value)
            continue
        template = next((o[key] for o in others if isinstance(o, Mapping) and key in o), None)
        rendered, written[key] = _render(value, template)
        after = [k for k in list(new)[:position] if k in node]
        _insert(node, after[-1] if after else None, key, rendered)
    return written


def _edited(node: Any, old: Any, new: Any) -> tuple[Any, Any]:
    """The node to put in place of `node` (read as `old`), and the value it reads as."""
    if isinstance(node, CommentedMap) and isinstance(old, Mapping) and isinstance(new, Mapping):
        return node, _edit_map(node, old, new)
    if (
        isinstance(node, CommentedSeq)
        and isinstance(old, list)
        and isinstance(new, list)
        and len(node) == len(old)  # else not read alike (see `_check_same_papers`)
    ):
        return node, _edit_list(node, old, new)
    return _render(new, node)


def _edit_list(node: CommentedSeq, old: list[Any], new: list[Any]) -> list[Any]:
    """Items of `new` found in `old` (authors by profile, e-mail or name, as the merge matches
    them) keep their node and its comments; the others are written like their neighbours."""
    if len(old) == len(new):
        found = list(range(len(new)))
    elif all(isinstance(item, Mapping) for item in (*old, *new)):
        found = identify_authors(new, list(enumerate(old)))
    else:
        found = [len(old)] * len(new)
    comments = dict(node.ca.items)
    items: list[Any] = []
    written: list[Any] = []
    moved: dict[int, Any] = {}
    template = node[-1] if len(node) else None
    for index, (value, origin) in enumerate(zip(new, found, strict=True)):
        if origin < len(old):
            rendered, as_written = _edited(node[origin], old[origin], value)
            if origin in comments:
                moved[index] = comments[origin]
        else:
            rendered, as_written = _render(value, template)
        items.append(rendered)
        written.append(as_written)
    del node[:]
    node.extend(items)
    node.ca.items.clear()
    node.ca.items.update(moved)
    return written


def _append(papers: CommentedSeq, entry: Mapping[str, Any]) -> Any:
    """Append a new paper written like the last one; the comments that followed the last
    paper (the end of the file) follow the new one."""
    template = papers[-1] if len(papers) else None
    if template is None:
        entry = _first_layout(entry)
    rendered, written = _render(entry, template)
    if isinstance(template, CommentedMap) and len(template) and isinstance(rendered, CommentedMap):
        last = list(template)[-1]
        rest = _take_rest(template, last)
        if rest:
            _give_rest(rendered, list(rendered)[-1], rest)
    papers.append(rendered)
    return written


def _first_layout(entry: Mapping[str, Any]) -> dict[str, Any]:
    """An entry as the first import writes it: the documented key order, the abstract as a
    literal block."""
    out = _ordered_entry(entry)
    abstract = out.get("abstract")
    if isinstance(abstract, str) and abstract.strip():
        out["abstract"] = LiteralScalarString(
            abstract if abstract.endswith("\n") else abstract + "\n"
        )
    return out


def _render(value: Any, template: Any) -> tuple[Any, Any]:
    """A new node for `value` in the style of `template` (a node of the same field elsewhere,
    or None), and the value it reads as."""
    if isinstance(value, Mapping):
        keys = _order_like(list(value), list(template) if isinstance(template, Mapping) else [])
        node = CommentedMap()
        written: dict[str, Any] = {}
        for key in keys:
            inner = template.get(key) if isinstance(template, Mapping) else None
            node[key], written[key] = _render(value[key], inner)
        if isinstance(template, CommentedMap) and template.fa.flow_style():
            node.fa.set_flow_style()
        return node, written
    if isinstance(value, list):
        inner = template[-1] if isinstance(template, list) and template else None
        seq = CommentedSeq()
        values: list[Any] = []
        for item in value:
            rendered, as_written = _render(item, inner)
            seq.append(rendered)
            values.append(as_written)
        if isinstance(template, CommentedSeq) and template.fa.flow_style():
            seq.fa.set_flow_style()
        return seq, values
    if isinstance(value, str):
        return _string(value, template)
    return value, value


def _order_like(keys: list[str], template: list[str]) -> list[str]:
    """`keys` in the order of `template`; a key it lacks goes after the one it follows in
    `keys`."""
    out = [key for key in template if key in keys]
    for position, key in enumerate(keys):
        if key in out:
            continue
        before = [k for k in keys[:position] if k in out]
        out.insert(out.index(before[-1]) + 1 if before else 0, key)
    return out


def _string(value: str, template: Any) -> tuple[Any, Any]:
    """`value` quoted or blocked like `template`; read back as the project reads YAML."""
    if isinstance(template, LiteralScalarString):
        literal = LiteralScalarString(_ends_like(value, template))
        return literal, str(literal)
    if isinstance(template, FoldedScalarString):
        folded = FoldedScalarString(_ends_like(value, template))
        folded.fold_pos = _folds(str(folded), _fold_width(template))
        return folded, str(folded)
    if isinstance(template, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value), value
    if isinstance(template, SingleQuotedScalarString):
        return SingleQuotedScalarString(value), value
    if (
        isinstance(template, int)
        and not isinstance(template, bool)
        and re.fullmatch(r"0|[1-9][0-9]{0,17}", value)
    ):
        return int(value), int(value)  # `id: 7` stays unquoted
    if "\n" in value.rstrip("\n"):
        literal = LiteralScalarString(value if value.endswith("\n") else value + "\n")
        return literal, str(literal)
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    if tag != _STR_TAG:
        # YAML 1.1, as the project reads it, takes `yes`, `on` or `1_000` for other types.
        return SingleQuotedScalarString(value), value
    return value, value


def _ends_like(value: str, template: str) -> str:
    """`value` with a final line break when `template` has one (`|` against `|-`)."""
    if template.endswith("\n"):
        return value if value.endswith("\n") else value + "\n"
    return value.rstrip("\n")


def _fold_width(template: FoldedScalarString) -> int:
    """The longest line of a folded scalar as written: the width to fold new text at."""
    text = str(template)
    cuts = [0, *(p + 1 for p in getattr(template, "fold_pos", []))]
    lengths = [
        len(text[a:b].split("\n")[0]) for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)
    ]
    return max([*lengths, 40]) if len(cuts) > 1 else _FOLD_WIDTH


def _folds(text: str, width: int) -> list[int]:
    """Positions of the spaces where `text` is folded onto the next line, lines at most
    `width` long where a space allows: single spaces between two other characters only, as
    a fold anywhere else would change the text read back."""
    folds: list[int] = []
    start = 0
    last_space = -1
    for position, char in enumerate(text):
        if char == "\n":
            start, last_space = position + 1, -1
            continue
        if (
            char == " "
            and 0 < position < len(text) - 1
            and not text[position - 1].isspace()
            and not text[position + 1].isspace()
        ):
            if position - start > width and last_space > start:
                folds.append(last_space)
                start = last_space + 1
            last_space = position
    if len(text.rstrip("\n")) - start > width and last_space > start:
        folds.append(last_space)
    return folds


# --- comments that belong to a key ----------------------------------------------------------


def _take_rest(node: CommentedMap, key: Any) -> str:
    """Remove and return the comment lines after `key`'s line (its end-of-line comment
    stays): what stands before the next key, or after the mapping."""
    node, key = _tail(node, key)
    entry = node.ca.items.get(key)
    if not entry or len(entry) < 3 or not isinstance(entry[2], CommentToken):
        return ""
    token = entry[2]
    text = token.value
    head, rest = ("", text) if not text.startswith("#") else text.split("\n", 1)
    if not rest.strip("\n") and rest.count("\n") == 0:
        return ""
    if head:
        token.value = head + "\n"
        return rest
    entry[2] = None
    return rest[1:] if rest.startswith("\n") else rest


def _give_rest(node: CommentedMap, key: Any, rest: str) -> None:
    """Put comment lines `rest` after `key`'s line."""
    if not rest:
        return
    node, key = _tail(node, key)
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) < 4:
        entry.append(None)
    token = entry[2]
    if isinstance(token, CommentToken):
        token.value = (
            token.value + rest if token.value.endswith("\n") else token.value + "\n" + rest
        )
    else:
        entry[2] = CommentToken("\n" + rest, CommentMark(0))


def _tail(node: CommentedMap, key: Any) -> tuple[CommentedMap, Any]:
    """Where the comments after `key`'s value are kept: with the last key of the last mapping
    inside the value, when the value is a mapping or a list of mappings."""
    value = node[key]
    if isinstance(value, CommentedSeq) and len(value):
        value = value[-1]
    if isinstance(value, CommentedMap) and len(value):
        return _tail(value, list(value)[-1])
    return node, key


def _insert(node: CommentedMap, after: Any, key: str, value: Any) -> None:
    """Insert `key` after the key `after` (None: first); comment lines that stood between
    `after` and the next key stay just before the next key."""
    keys = list(node)
    position = keys.index(after) + 1 if after is not None else 0
    rest = _take_rest(node, after) if after is not None else ""
    node.insert(position, key, value)
    _give_rest(node, key, rest)


def _delete(node: CommentedMap, key: Any) -> None:
    """Remove `key`; its end-of-line comment becomes a line of its own where it stood, and
    the comment lines after it stay, after the key before it."""
    keys = list(node)
    entry = node.ca.items.get(key)
    kept = ""
    if entry and len(entry) >= 3 and isinstance(entry[2], CommentToken):
        text = entry[2].value
        if text.startswith("#"):
            head, rest = text.split("\n", 1) if "\n" in text else (text, "")
            column = node.lc.key(key)[1] if key in node.lc.data else 0
            kept = " " * column + head + "\n" + rest
        else:
            kept = text[1:] if text.startswith("\n") else text
    position = keys.index(key)
    del node[key]
    if not kept:
        return
    if position > 0:
        _give_rest(node, keys[position - 1], kept)
    # A first key's comments have no key before them to follow; the comment check refuses.


# --- checks ------------------------------------------------------------------------------------


def _check_reads_back(out: str, source: str, expected: Any) -> None:
    try:
        data = parse_yaml(out, source).data
    except YamlError as error:
        raise OpenReviewImportError(
            f"{source}: the edited text would not read back ({error.message}); nothing was written",
            source,
        ) from None
    if not _identical(_plainer(data), _plainer(expected)):
        raise OpenReviewImportError(
            f"{source}{_where(data, expected)}: the edited text would not read back as the"
            " import means it; nothing was written",
            source,
        )


def _plainer(value: Any) -> Any:
    """ruamel.yaml's strings as plain `str`, to compare with what the project reads."""
    if isinstance(value, Mapping):
        return {k: _plainer(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plainer(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _where(data: Any, expected: Any) -> str:
    if not (isinstance(data, dict) and isinstance(expected, dict)):
        return ""
    got, want = data.get("papers") or [], expected.get("papers") or []
    for index, (a, b) in enumerate(zip(got, want, strict=False)):
        if not _identical(_plainer(a), _plainer(b)):
            ident = b.get("id") if isinstance(b, Mapping) else None
            return f" (paper {ident})" if ident is not None else f" (paper {index + 1})"
    return ""


def _comments(body: str) -> list[tuple[int, str]]:
    """The comments of YAML `body` (a `#` outside every scalar): line (1-based) and text."""
    try:
        spans = [
            (token.start_mark.index, token.end_mark.index)
            for token in yaml.scan(body, Loader=_LOADER)
            if isinstance(token, yaml.ScalarToken)
        ]
    except yaml.YAMLError:
        spans = []
    starts = [start for start, _ in spans]  # in order, and they do not overlap
    out: list[tuple[int, str]] = []
    line, counted = 1, 0
    for match in re.finditer(r"(?:^|(?<=\s))#[^\n]*", body):
        inside = bisect.bisect_right(starts, match.start()) - 1
        if inside >= 0 and match.start() < spans[inside][1]:
            continue
        line += body.count("\n", counted, match.start())
        counted = match.start()
        out.append((line, match.group().rstrip()))
    return out


def _check_comments(before: str, after: str, source: str) -> None:
    left = Counter(text for _, text in _comments(after))
    for line, text in _comments(before):
        if left[text] > 0:
            left[text] -= 1
            continue
        raise OpenReviewImportError(
            f"{source}, line {line}: the import would lose the comment {text!r} (it belongs to"
            " a value the import removes); nothing was written: move the comment to a line of"
            " its own elsewhere and import again",
            source,
            line,
        )
