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

import copy
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.scalarstring import (
    LiteralScalarString,
)

from proceedings.openreview.identity import identify_authors
from proceedings.openreview.keycomments import delete, give_rest, insert, take_rest
from proceedings.openreview.linemerge import merge3
from proceedings.openreview.model import OpenReviewImportError, _ordered_entry
from proceedings.openreview.readback import LOADER, check_comments, check_reads_back, identical
from proceedings.openreview.scalarstyle import render
from proceedings.openreview.yamltext import _dump_papers_yaml
from proceedings.yamlsource import YamlError, parse_yaml

_BOM = "\ufeff"
# (mapping, sequence, offset) as ruamel.yaml takes them: lists indented under their key (the
# layout the first import writes), lists level with their key, then wider indentations.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (3, 3, 1), (4, 5, 3))
_WIDTH = 1 << 30  # never re-wrap a long line


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
        check_reads_back(out, source, _parse(fresh, source).data)  # the comments change nothing
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
    out = plain.restore(merge3(lines, unchanged, edited, allowed, source))
    expected = copy.copy(original)
    expected["papers"] = written
    check_reads_back(out, source, expected)
    check_comments(plain.body, _split(out, source).body, source)
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
            if key not in old or key not in new or not identical(old[key], new[key])
        }
        if keys:
            out[index] = keys
    return out


def _lines_of(body: str, changed: Mapping[int, set[str]], whole_list: bool) -> set[int]:
    """The lines (0-based) of the fields in `changed`, key to the end of the value; with
    `whole_list`, those of the `papers` value too."""
    lines: set[int] = set()
    root = yaml.compose(body, Loader=LOADER)
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
        return render(new, node)[1]
    written: dict[str, Any] = {}
    for key in list(old):
        if key not in new:
            delete(node, key)
    for position, key in enumerate(new):
        value = new[key]
        if key in old:
            if identical(old[key], value):
                written[key] = old[key]
                continue
            node[key], written[key] = _edited(node[key], old[key], value)
            continue
        template = next((o[key] for o in others if isinstance(o, Mapping) and key in o), None)
        rendered, written[key] = render(value, template)
        after = [k for k in list(new)[:position] if k in node]
        insert(node, after[-1] if after else None, key, rendered)
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
    return render(new, node)


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
            rendered, as_written = render(value, template)
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
    rendered, written = render(entry, template)
    if isinstance(template, CommentedMap) and len(template) and isinstance(rendered, CommentedMap):
        last = list(template)[-1]
        rest = take_rest(template, last)
        if rest:
            give_rest(rendered, list(rendered)[-1], rest)
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
