"""YAML read with the line of every value, so a problem can be named as `file:line: path`.

Only plain data is accepted (PyYAML's safe loader); anchors and aliases, which metadata never
needs and which make "billion laughs" bombs possible, are refused, and so is a key given twice
in one mapping (YAML keeps the last silently). Files are read through `safe_read`: regular
files only, up to its size cap.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from proceedings.safe_read import ReadError, read_bytes

PathKey = tuple[str | int, ...]

# libyaml's parser is about ten times faster than the pure-Python one; both give the same nodes.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"

# A generous bound on the values of one file: thousands of papers with a dozen fields each.
MAX_NODES = 2_000_000
# Metadata nests a handful of levels. libyaml composes recursively in C, so a file nesting
# lists 100,000 deep would overflow the stack and kill the process: depth is measured first.
MAX_DEPTH = 100
# `"\ud800"` in a double-quoted scalar: half of a UTF-16 pair, no character. libyaml refuses
# it; PyYAML's own parser does not, and the text could not be written out as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


class YamlError(Exception):
    """The file cannot be read as YAML; `line` is 1-based when known."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message


@dataclass
class YamlSource:
    """The data of one YAML file and where each value stands in it."""

    file: str  # as shown to people: a path relative to the volume folder
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """The line of the value at `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def format_path(path: PathKey) -> str:
    """`papers[6].authors[2].name` for ("papers", 6, "authors", 2, "name")."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def read_yaml(path: Path, shown_as: str) -> YamlSource:
    """The YAML file at `path`, read only when it is a regular file of at most
    `safe_read.MAX_BYTES` (a FIFO would block and `/dev/zero` never ends)."""
    try:
        raw = read_bytes(path, shown_as)
    except ReadError as error:
        raise YamlError(shown_as, error.line, error.message) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlError(shown_as, line, "is not valid UTF-8 text") from None
    return parse_yaml(text, shown_as)


def parse_yaml(text: str, shown_as: str) -> YamlSource:
    try:
        _check_depth(text, shown_as)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or "syntax error"
        raise YamlError(shown_as, line, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as error:
        raise YamlError(shown_as, None, f"YAML error: {error}") from None
    if node is None:
        return YamlSource(file=shown_as, data=None, lines={(): 1})
    source = YamlSource(file=shown_as, data=None)
    source.data = _Builder(shown_as, source.lines).build(node, ())
    return source


def _check_depth(text: str, shown_as: str) -> None:
    """Raise YamlError when lists and mappings nest deeper than MAX_DEPTH.

    Each level opens with a `[` or `{`, or (in block style) at a deeper indentation or after a
    `- `, `? ` or `: ` at the start of a line; when the text holds too few of either to reach
    MAX_DEPTH, the parse is skipped, so ordinary files cost nothing.
    """
    room = MAX_DEPTH - 2 - text.count("[") - text.count("{")  # for block-style levels
    if room > 0 and not re.search(rf"(?m)^[ \t?:-]{{{room}}}", text):
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    _too_deep(shown_as, mark.line + 1 if mark is not None else None)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        if "nesting depth" not in str(error.problem):  # PyYAML 6.0.4 has a limit of its own
            return  # a syntax error: the parse proper reports it with its line
        mark = error.problem_mark
        _too_deep(shown_as, mark.line + 1 if mark is not None else None)


def _too_deep(shown_as: str, line: int | None) -> None:
    raise YamlError(shown_as, line, f"nests lists or mappings more than {MAX_DEPTH} levels deep")


class _Builder:
    def __init__(self, file: str, lines: dict[PathKey, int]) -> None:
        self.file = file
        self.lines = lines
        self.seen: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        line = node.start_mark.line + 1
        # An alias is the same node met twice; refusing it defuses "billion laughs".
        if id(node) in self.seen:
            raise YamlError(self.file, line, "uses a YAML alias (*name); write the value out")
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise YamlError(self.file, line, "has too many values to be metadata")
        self.lines[path] = line
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            first_lines: dict[str, int] = {}
            first_keys: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlError(self.file, line, "uses a YAML merge key (<<)")
                key = self.scalar(key_node)
                # YAML's loaders let the last of two equal keys win: a second `papers:` would
                # silently drop every paper of the first. Keys are compared as values (`1`
                # equals `true` in Python) and as text (`1` and `"1"`), as the rules look
                # values up by their text.
                key_line = key_node.start_mark.line + 1
                first = first_lines.get(str(key), first_keys.get(key))
                if first is not None:
                    where = format_path((*path, str(key)))
                    raise YamlError(
                        self.file,
                        key_line,
                        f"repeats the key {where!r} of line {first}; YAML would keep only the "
                        "last one",
                    )
                first_lines[str(key)] = first_keys[key] = key_line
                result[key] = self.build(value_node, (*path, str(key)))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise YamlError(self.file, node.start_mark.line + 1, "uses a list or mapping as a key")
        if node.tag == _STR:
            if node.style == '"' and _SURROGATE.search(node.value):
                line = node.start_mark.line + 1
                raise YamlError(self.file, line, "holds a lone surrogate escape (\\ud800-\\udfff)")
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            line = node.start_mark.line + 1
            raise YamlError(self.file, line, f"cannot read a value: {error.problem}") from None
        except (ValueError, ArithmeticError, LookupError, AttributeError, TypeError):
            # A value that looks like a number or date but is none (`2026-13-45`, 5,000
            # digits) or that contradicts its tag (`!!int abc`) stays the text written; the
            # rules report it where a number or date belongs.
            return node.value


def parse_date(value: Any) -> datetime.date | None:
    """A date as YAML gives it (a date, a timestamp, or ISO text), or None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
