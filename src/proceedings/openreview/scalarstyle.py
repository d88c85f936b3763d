"""Values written in the style of what they replace: a changed title keeps its quotes, a
changed abstract its `>` or `|` and the file's own folding width, a new paper the field order
and value styles of the last one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

_FOLD_WIDTH = 80  # folded (`>`) text the import writes, when no other width is known
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def render(value: Any, template: Any) -> tuple[Any, Any]:
    """A new node for `value` in the style of `template` (a node of the same field elsewhere,
    or None), and the value it reads as."""
    if isinstance(value, Mapping):
        keys = _order_like(list(value), list(template) if isinstance(template, Mapping) else [])
        node = CommentedMap()
        written: dict[str, Any] = {}
        for key in keys:
            inner = template.get(key) if isinstance(template, Mapping) else None
            node[key], written[key] = render(value[key], inner)
        if isinstance(template, CommentedMap) and template.fa.flow_style():
            node.fa.set_flow_style()
        return node, written
    if isinstance(value, list):
        inner = template[-1] if isinstance(template, list) and template else None
        seq = CommentedSeq()
        values: list[Any] = []
        for item in value:
            rendered, as_written = render(item, inner)
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
