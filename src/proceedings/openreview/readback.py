"""What an edit of papers.yaml must pass before it is written: it reads back, with the
project's own reader, as exactly the data intended, and it keeps every comment of the file."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import yaml

from proceedings.openreview.model import OpenReviewImportError
from proceedings.yamlsource import YamlError, parse_yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def identical(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (`1 == True` in Python); the order of
    keys does not count (the merge gives the documented one, the file keeps its own)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(identical(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def check_reads_back(out: str, source: str, expected: Any) -> None:
    try:
        data = parse_yaml(out, source).data
    except YamlError as error:
        raise OpenReviewImportError(
            f"{source}: the edited text would not read back ({error.message}); nothing was written",
            source,
        ) from None
    if not identical(_plainer(data), _plainer(expected)):
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
        if not identical(_plainer(a), _plainer(b)):
            ident = b.get("id") if isinstance(b, Mapping) else None
            return f" (paper {ident})" if ident is not None else f" (paper {index + 1})"
    return ""


def _comments(body: str) -> list[tuple[int, str]]:
    """The comments of YAML `body` (a `#` outside every scalar): line (1-based) and text."""
    try:
        spans = [
            (token.start_mark.index, token.end_mark.index)
            for token in yaml.scan(body, Loader=LOADER)
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


def check_comments(before: str, after: str, source: str) -> None:
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
