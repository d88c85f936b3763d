"""Read a .bib file with bibtexparser 2, keep every line number, and never raise on bad input.

bibtexparser splits the file into blocks and keeps those it cannot parse (its failed blocks)
with their lines, so the entries around a broken one are still read. It is lenient where
BibTeX is not: a missing comma between two fields, a value followed by stray text, an empty
value or a stray `}` that ends an entry early all parse without complaint. Values are
therefore decoded here (delimiters, `@string` macros, `#` joins), and what BibTeX would
reject is kept as a syntax error of the file.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bibtexparser import model
from bibtexparser.entrypoint import parse_string

from proceedings.bib.model import BibEntry, BibField, BibFile, BibProblem
from proceedings.safe_read import ReadError, read_bytes

# Macros that BibTeX's standard styles define (months and journal abbreviations).
PREDEFINED_STRINGS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
} | {
    name: name
    for name in (
        "acmcs acta cacm ibmjrd ibmsj ieeese ieeetc ieeetcad ipl jacm jcss scp sicomp "
        "tocs tods tog toms toois toplas tcs"
    ).split()
}

# Characters BibTeX or biber refuse in a key.
_BAD_KEY = re.compile(r'[\s{}(),"#%\\=~]')
_FIELD_NAME = re.compile(r"^[A-Za-z][\w.:+-]*$")
_MACRO = re.compile(r"[^\s#,{}\"=()]+")
_BRACES = re.compile(r"[{}]")
_PLAIN_BRACED = re.compile(r"\{[^{}\\]*\}")
_BRACES_AND_QUOTES = re.compile(r'[{}"]')
# Text after an entry that is really part of it: an extra `}` closed the entry early.
_COMMENT_START = re.compile(r"^@\s*comment\s*[{(]", re.IGNORECASE)
_LOOKS_LIKE_FIELDS = re.compile(r"^\s*(?:[,}]|[A-Za-z][\w-]*\s*=\s*[{\"\d])")


# `@string` macros can double themselves (`@string{b = a # a}`, `@string{c = b # b}`, ...) to
# gigabytes in a few lines. Past this many characters of expansion in one file, macros expand
# to nothing, after one error where the limit is reached.
MAX_EXPANSION = 1 << 26


class _ValueError(Exception):
    """A field value BibTeX cannot read."""


class _TooLarge(_ValueError):
    """The expansion limit was reached in this value."""


@dataclass
class _Expansion:
    """What is left of the file's expansion limit."""

    left: int = MAX_EXPANSION
    spent: bool = False

    def take(self, value: str) -> str:
        if self.spent:
            return ""
        if len(value) > self.left:
            self.spent = True
            raise _TooLarge(
                f"`@string` macros expand to more than {MAX_EXPANSION >> 20} MB in all "
                "(a macro built from copies of itself); they are not expanded from here on"
            )
        self.left -= len(value)
        return value


def load_bib(path: Path) -> BibFile:
    """Read and parse the .bib at `path`. Problems are recorded on the result, never raised."""
    bib = BibFile(path=path)
    try:
        # A FIFO or device would block or never end: only a regular file is read, up to a cap.
        data = read_bytes(path, path.name)
    except ReadError as error:
        bib.load_error = str(error)
        return bib
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bib.load_error = f"{path.name} is not UTF-8 (byte 0x{data[error.start]:02x} on line {line})"
        bib.load_error_line = line
        return bib
    if "\x00" in text:
        bib.load_error = f"{path.name} holds NUL bytes: it is not a text file"
        return bib
    bib.text = text
    try:
        _parse(bib, text)
    except Exception as error:  # noqa: BLE001 - bibtexparser raises on states it cannot handle
        bib.entries.clear()
        bib.load_error = f"{path.name} cannot be parsed ({type(error).__name__}: {error})"
    return bib


def _parse(bib: BibFile, text: str) -> None:
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # it logs each failed block; they are findings here
    try:
        library = parse_string(text, parse_stack=[])
    finally:
        logger.setLevel(level)

    expansion = _Expansion()
    for string in library.strings:
        _read_string(bib, string, expansion)

    previous: model.Block | None = None
    # Braces a `@comment{` leaves open when an entry starts inside it. BibTeX does not skip a
    # comment's content: it reads the entries in it like any other, so they are kept (marked),
    # and the `}` that ends the comment is not a stray one.
    comment_depth = 0
    for block in library.blocks:
        if isinstance(block, model.DuplicateFieldKeyBlock | model.DuplicateBlockKeyBlock):
            inner = block.ignore_error_block
            if isinstance(inner, model.Entry):
                _read_entry(bib, inner, expansion, comment_depth > 0)
        elif isinstance(block, model.ParsingFailedBlock):
            if _COMMENT_START.match(block.raw or ""):
                comment_depth = max(_brace_balance(block.raw or ""), 1)
            else:
                bib.syntax_errors.append(_failed_block_problem(block))
        elif isinstance(block, model.Entry):
            _read_entry(bib, block, expansion, comment_depth > 0)
        elif isinstance(block, model.ImplicitComment) and comment_depth > 0:
            comment_depth = max(comment_depth + _brace_balance(block.comment), 0)
        elif (
            isinstance(block, model.ImplicitComment)
            and isinstance(previous, model.Entry)
            and _LOOKS_LIKE_FIELDS.match(block.comment)
        ):
            bib.syntax_errors.append(
                BibProblem(
                    _line(block),
                    f"text after the end of entry `{previous.key}` looks like more of its "
                    "fields: a `}` too many closes the entry early",
                )
            )
        previous = block
    bib.syntax_errors.sort(key=lambda problem: problem.line)


def _brace_balance(text: str) -> int:
    """How many more `{` than `}` the text holds."""
    return text.count("{") - text.count("}")


def _line(block: Any) -> int:
    start = block.start_line
    return (start if isinstance(start, int) else 0) + 1


def _failed_block_problem(block: model.ParsingFailedBlock) -> BibProblem:
    raw = block.raw or ""
    head = re.match(r"@\s*(\w*)\s*[{(]\s*([^,\s{}()]*)", raw)
    what = "block"
    if head is not None:
        what = f"`@{head.group(1)}`" + (f" entry `{head.group(2)}`" if head.group(2) else "")
    reason = str(getattr(block.error, "abort_reason", "") or block.error)
    reason = " ".join(reason.split()).rstrip(". ")
    end_line = _line(block) + raw.rstrip().count("\n")
    where = f" (up to line {end_line})" if end_line > _line(block) else ""
    return BibProblem(_line(block), f"{what} cannot be read{where}: {_plain_reason(reason)}")


def _plain_reason(reason: str) -> str:
    """bibtexparser's reason for giving up, said the way a person fixes it."""
    if "Unexpected block start" in reason and "`}`" in reason:
        return "a `{` is never closed before the next entry"
    if "Unexpected block start" in reason and '`"`' in reason:
        return 'a `"` is never closed before the next entry'
    if "Unexpected block start" in reason or "end of file" in reason:
        return "the entry is never closed (a missing `}`)"
    if "Expected comma after entry key" in reason:
        return "no comma after the entry key"
    if "Expected a `=`" in reason:
        return "a field without `=` (or a doubled comma)"
    return reason


def _read_string(bib: BibFile, block: model.String, expansion: _Expansion) -> None:
    name = block.key.strip().lower()
    undefined: list[str] = []
    try:
        value = _decode(block.value, bib.strings, undefined, expansion)
    except _ValueError as error:
        bib.syntax_errors.append(BibProblem(_line(block), f"@string `{block.key}`: {error}"))
        if isinstance(error, _TooLarge):
            bib.strings[name] = ""  # defined, so its uses are not each reported as undefined
        return
    for macro in dict.fromkeys(undefined):
        itself = " (a macro cannot use itself)" if macro.lower() == name else ""
        bib.undefined_strings.append(
            BibProblem(
                _line(block),
                f"@string `{block.key}`: `{macro}` is not a defined @string{itself}",
            )
        )
    bib.strings[name] = value


def _read_entry(
    bib: BibFile, block: model.Entry, expansion: _Expansion, in_comment: bool = False
) -> None:
    line = _line(block)
    entry = BibEntry(
        type=block.entry_type.strip().lower(),
        key=block.key.strip(),
        line=line,
        in_comment=in_comment,
    )
    if not entry.type:
        bib.syntax_errors.append(BibProblem(line, "an entry without a type (`@{...}`)"))
    _check_key(bib, entry)
    raw_entry = block.raw or ""
    cursor = 0
    for item in block.fields:
        name = str(item.key).strip()
        raw = str(item.value)
        start = _value_offset(raw_entry, name, raw, cursor)
        if start is not None:
            cursor = start + len(raw)
            value_line = line + raw_entry.count("\n", 0, start)
        else:
            value_line = (item.start_line if isinstance(item.start_line, int) else 0) + 1
        if not _FIELD_NAME.match(name):
            shown = " ".join(name.split()) or "(nothing)"
            message = f"entry `{entry.key}`: `{shown}` is not a field name"
            if name.startswith("%"):
                # biber reads `%` as a comment, BibTeX does not: it drops the rest of the entry
                message = (
                    f"entry `{entry.key}`: `%` does not comment out a line inside an entry; "
                    "BibTeX stops reading the entry there and loses the fields after it"
                )
            bib.syntax_errors.append(BibProblem(value_line, message))
            continue
        undefined: list[str] = []
        try:
            value = _decode(raw, bib.strings, undefined, expansion)
        except _ValueError as error:
            bib.syntax_errors.append(
                BibProblem(value_line, f"entry `{entry.key}`, field `{name}`: {error}")
            )
            value = raw  # the field is there, if broken: other rules take it as written
        for macro in undefined:
            bib.undefined_strings.append(
                BibProblem(
                    value_line,
                    f"entry `{entry.key}`, field `{name}`: `{macro}` is not a defined @string",
                )
            )
        found = BibField(name=name.lower(), value=value, raw=raw, line=value_line)
        if found.name in entry.fields:
            entry.repeated_fields.append(found)
        else:
            entry.fields[found.name] = found
    bib.entries.append(entry)


def _value_offset(raw_entry: str, name: str, raw: str, cursor: int) -> int | None:
    at = raw_entry.find(name, cursor)
    if at < 0:
        return None
    equals = raw_entry.find("=", at + len(name))
    if equals < 0:
        return None
    start = raw_entry.find(raw, equals + 1)
    return start if start >= 0 else None


def _check_key(bib: BibFile, entry: BibEntry) -> None:
    key = entry.key
    if not key:
        bib.syntax_errors.append(BibProblem(entry.line, f"`@{entry.type}` entry without a key"))
    elif _BAD_KEY.search(key):
        shown = " ".join(key.split())
        bib.syntax_errors.append(
            BibProblem(
                entry.line,
                f'key `{shown}` holds a space or one of {{ }} ( ) , " # % \\ = ~ '
                "(a missing comma after the key?)",
            )
        )


def _decode(raw: str, strings: dict[str, str], undefined: list[str], expansion: _Expansion) -> str:
    """A field value as BibTeX reads it: `{...}`, `"..."`, a number or a macro, joined by `#`."""
    text = raw.strip()
    if not text:
        raise _ValueError("the value is empty")
    if _PLAIN_BRACED.fullmatch(text):  # most values: `{text}` without braces or `\` inside
        return text[1:-1]
    parts: list[str] = []
    index = 0
    while True:
        index = _skip_space(text, index)
        if index >= len(text):
            raise _ValueError("a `#` with nothing after it")
        char = text[index]
        if char == "{":
            end = _closing_brace(text, index)
            parts.append(text[index + 1 : end])
            index = end + 1
        elif char == '"':
            end = _closing_quote(text, index)
            parts.append(text[index + 1 : end])
            index = end + 1
        else:
            match = _MACRO.match(text, index)
            if match is None:
                raise _ValueError(f"unexpected `{char}` where a value should start")
            word = match.group(0)
            if word.isdigit():
                parts.append(word)
            else:
                known = strings.get(word.lower(), PREDEFINED_STRINGS.get(word.lower()))
                if known is None:
                    undefined.append(word)
                parts.append(expansion.take(known or ""))
            index = match.end()
        index = _skip_space(text, index)
        if index >= len(text):
            return "".join(parts)
        if text[index] != "#":
            rest = " ".join(text[index:].split())
            if len(rest) > 40:
                rest = rest[:37] + "..."
            raise _ValueError(f"text after the value: `{rest}` (a missing comma or quotes?)")
        index += 1


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _closing_brace(text: str, start: int) -> int:
    depth = 0
    for match in _BRACES.finditer(text, start):  # only the braces: values can be megabytes
        index = match.start()
        if _escaped(text, index):
            continue
        if match.group(0) == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return index
    raise _ValueError("a `{` is never closed")


def _closing_quote(text: str, start: int) -> int:
    depth = 0
    for match in _BRACES_AND_QUOTES.finditer(text, start + 1):
        index = match.start()
        char = match.group(0)
        if _escaped(text, index):
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            return index
    raise _ValueError('a `"` is never closed')


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1
