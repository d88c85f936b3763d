"""Which author of one list is which of another: by OpenReview profile, e-mail, then name."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from proceedings.openreview.model import _line
from proceedings.texts import letters_key


def identify_authors(
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
