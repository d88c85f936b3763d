"""Keys of a ruamel.yaml mapping added, removed and moved with the comments that belong to
them: ruamel.yaml keeps a comment after a value as part of that key, so a key taken away or put
after it would carry off, or split, what the organizers wrote."""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken


def take_rest(node: CommentedMap, key: Any) -> str:
    """Remove and return the comment lines after `key`'s line (its end-of-line comment
    stays): what stands before the next key, or after the mapping."""
    node, key = tail(node, key)
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


def give_rest(node: CommentedMap, key: Any, rest: str) -> None:
    """Put comment lines `rest` after `key`'s line."""
    if not rest:
        return
    node, key = tail(node, key)
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


def tail(node: CommentedMap, key: Any) -> tuple[CommentedMap, Any]:
    """Where the comments after `key`'s value are kept: with the last key of the last mapping
    inside the value, when the value is a mapping or a list of mappings."""
    value = node[key]
    if isinstance(value, CommentedSeq) and len(value):
        value = value[-1]
    if isinstance(value, CommentedMap) and len(value):
        return tail(value, list(value)[-1])
    return node, key


def insert(node: CommentedMap, after: Any, key: str, value: Any) -> None:
    """Insert `key` after the key `after` (None: first); comment lines that stood between
    `after` and the next key stay just before the next key."""
    keys = list(node)
    position = keys.index(after) + 1 if after is not None else 0
    rest = take_rest(node, after) if after is not None else ""
    node.insert(position, key, value)
    give_rest(node, key, rest)


def delete(node: CommentedMap, key: Any) -> None:
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
        give_rest(node, keys[position - 1], kept)
    # A first key's comments have no key before them to follow; the comment check refuses.
