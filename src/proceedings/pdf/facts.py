"""The file's facts: fonts, page boxes, encryption, scripts, attachments, size and version.

They come from the PDF's object structure, never from its content streams. Each page's
resource dictionary names the fonts the page may use; the form XObjects it names (figures
included with `\\includegraphics`, matplotlib drawings) carry resource dictionaries of their own,
walked recursively. Like poppler's `pdffonts`, the walk also enters tiling patterns, the
resources of Type 3 fonts and the appearance streams of annotations. A font listed in a
resource dictionary counts as used on that page even when no glyph of it is drawn, as in
`pdffonts`.

Speed. pypdf reads the file's cross-reference table, trailer and encryption, and decodes object
streams; the objects themselves are parsed here, lazily and only those the walk visits, by a
small parser that reads a run of numbers (a font's `/Widths`) in one step. An object the parser
cannot read, and every object of an encrypted file (whose strings pypdf decrypts), is read by
pypdf instead; both give the same facts. Plain links, most of a paper's annotations, are
skipped from their bytes without being parsed. Each resource dictionary and each form XObject
is walked once per file, so a figure shared by many pages or a `/Resources` object shared by
every page costs one visit. On the 40 papers (671 pages) of the shared corpus this takes about
0.35 s of CPU; resolving the same objects through pypdf took 2-3 s (it parses a whole object
stream when one of its objects is asked for, and numbers one by one).

`read_facts` never raises on a bad file: what could not be read is described in
`PdfFacts.problem`, and the facts gathered before the failure are kept.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

if TYPE_CHECKING:
    from proceedings.checks import CheckedPaper

# Nesting of form XObjects, patterns, Type 3 fonts and page-tree nodes deeper than this is not
# followed; real papers nest a handful of levels (page, included figure, its markers).
MAX_DEPTH = 32
# Name trees and /Next chains are read up to this many entries.
MAX_NAMES = 1000

STANDARD_14 = frozenset(
    {
        "Times-Roman",
        "Times-Bold",
        "Times-Italic",
        "Times-BoldItalic",
        "Helvetica",
        "Helvetica-Bold",
        "Helvetica-Oblique",
        "Helvetica-BoldOblique",
        "Courier",
        "Courier-Bold",
        "Courier-Oblique",
        "Courier-BoldOblique",
        "Symbol",
        "ZapfDingbats",
    }
)

_FONT_FILES = ("FontFile", "FontFile2", "FontFile3")
_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
_HEADER = re.compile(rb"%PDF-(\d\.\d)")
_VERSION = re.compile(r"^\d\.\d$")

# Where a font was found on a page (bits of a mask).
_ON_PAGE, _IN_FIGURE, _IN_ANNOTATION = 1, 2, 4

# Bits (1-based) of /P in the standard security handler (ISO 32000-1, table 22).
_PERMISSION_BITS = {
    "printing": 3,
    "modifying": 4,
    "copying text and images": 5,
    "adding comments or filling forms": 6,
    "assembling pages": 11,
    "high-quality printing": 12,
}


# ------------------------------------------------------------------------------ the facts


@dataclass(frozen=True)
class FontFacts:
    """One font dictionary of the file and the pages whose resources reach it."""

    name: str | None  # /BaseFont as written (with a subset tag such as `ABCDEF+`), or None
    subtype: str  # Type1, MMType1, TrueType, Type0, Type3, ... ("" when missing)
    embedded: bool  # a font program is in the file; Type 3 fonts always count as embedded
    pages: tuple[int, ...]  # 1-based pages whose resources reach it, in any way
    figure_pages: tuple[int, ...] = ()  # pages where it is reached through a form XObject
    annotation_pages: tuple[int, ...] = ()  # pages where an annotation's appearance uses it
    resource_name: str | None = None  # the first resource name it was found under (`F12`)

    @property
    def type3(self) -> bool:
        return self.subtype == "Type3"

    @property
    def base_name(self) -> str | None:
        """The name without its subset tag: `Times-Roman` for `ABCDEF+Times-Roman`."""
        return _SUBSET_TAG.sub("", self.name) if self.name else None

    @property
    def standard14(self) -> bool:
        """One of the 14 fonts every PDF reader has, which a PDF may leave unembedded."""
        return self.base_name in STANDARD_14

    @property
    def only_in_figures(self) -> bool:
        """Every page that uses it does so only inside form XObjects (figures)."""
        return bool(self.pages) and set(self.figure_pages) >= set(self.pages)


@dataclass(frozen=True)
class PageFacts:
    number: int  # 1-based
    media_box: tuple[float, float, float, float]  # x0, y0, x1, y1 in points, normalised
    crop_box: tuple[float, float, float, float]  # clipped to the media box; media box if unset
    rotation: int  # 0, 90, 180 or 270: clockwise turn a viewer applies to the page

    @property
    def width(self) -> float:
        """Width of the visible page (the crop box) before rotation, in points."""
        return self.crop_box[2] - self.crop_box[0]

    @property
    def height(self) -> float:
        return self.crop_box[3] - self.crop_box[1]

    @property
    def media_size(self) -> tuple[float, float]:
        return (self.media_box[2] - self.media_box[0], self.media_box[3] - self.media_box[1])


@dataclass(frozen=True)
class Script:
    """Where JavaScript was found: in words, and the page when it is on one."""

    where: str  # `in the action run when the document opens`, `on page 2 (a link)`
    page: int | None = None


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    page: int | None = None  # the page of a file-attachment annotation; None in the name tree


@dataclass(frozen=True)
class PdfFacts:
    path: Path
    file_size: int  # bytes
    pdf_version: str | None = None  # from the header, or the catalog's /Version when higher
    pages: tuple[PageFacts, ...] = ()
    fonts: tuple[FontFacts, ...] = ()
    encrypted: bool = False
    encryption: str | None = None  # `AES-256`, `RC4 128-bit`, ... when encrypted
    needs_password: bool = False  # a user password is set: nothing past the trailer is read
    restrictions: tuple[str, ...] = ()  # what the permissions forbid (`printing`, ...)
    javascript: tuple[Script, ...] = ()  # where JavaScript was found
    embedded_files: tuple[EmbeddedFile, ...] = ()
    problem: str | None = None  # what could not be read; the other facts stand

    @property
    def page_count(self) -> int:
        return len(self.pages)


def read_facts(path: Path) -> PdfFacts:
    """Read the structural facts of the PDF at `path`; never raises."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # a damaged file is a finding here, not a log line
    try:
        return _FactsReader(path).read()
    except Exception as error:  # noqa: BLE001 - the promise is: never raise on a bad file
        return PdfFacts(path=path, file_size=0, problem=f"cannot be read ({_describe(error)})")
    finally:
        logger.setLevel(level)


def _reader(data: bytes) -> PdfReader:
    """pypdf's reader of `data`: strict first, which skips checking every cross-reference
    entry (half its opening time on a sound file), lenient when the file needs repair."""
    try:
        reader = PdfReader(BytesIO(data), strict=True)
    except Exception:  # noqa: BLE001 - any complaint: let the lenient reader repair it
        return PdfReader(BytesIO(data), strict=False)
    reader.strict = False  # objects read later are read leniently all the same
    return reader


def facts_for(paper: CheckedPaper) -> PdfFacts:
    """The paper's facts: those the pipeline read, else read now and kept in `paper.notes`."""
    facts = getattr(paper, "facts", None)
    if isinstance(facts, PdfFacts):
        return facts
    cached = paper.notes.get("facts")
    if isinstance(cached, PdfFacts):
        return cached
    facts = read_facts(paper.path)
    paper.notes["facts"] = facts
    return facts


# ------------------------------------------------------------------- PDF values, parsed

# Values are plain Python: dict (keys without the slash), list, int, float, bool, None,
# `Name` (a str, without the slash), bytes (a string) and `Ref` (an indirect reference).
# A stream comes back as its dictionary.


class Name(str):
    __slots__ = ()


class Ref(NamedTuple):
    number: int
    generation: int


class _ParseError(Exception):
    pass


_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STRING_PART = re.compile(rb"\\.|[()]", re.DOTALL)
_STRING_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.DOTALL)
_HEX_CLEAN = re.compile(rb"[^0-9A-Fa-f]")
_OBJECT_HEADER = re.compile(rb"[\x00\t\n\x0c\r ]*(\d+)[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]+obj")
# What in an annotation's bytes means it must be parsed: a script, a trigger, an appearance,
# an attached file, a chained or indirect action, an escaped (possibly disguised) name.
_ANNOTATION_MATTERS = re.compile(
    rb"JavaScript|/JS|/AA|/AP|FileAttachment|/Next|#"
    rb"|/A[\x00\t\n\x0c\r ]*\d+[\x00\t\n\x0c\r ]+\d+[\x00\t\n\x0c\r ]+R"
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\n": b"", b"\r": b""}


class _Dict(list[Any]):
    """Keys and values of a dictionary being parsed."""


_DELIMITERS = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
_TOKEN = re.compile(
    rb"[\x00\t\n\x0c\r ]*(?:%[^\r\n]*[\x00\t\n\x0c\r ]*)*"  # white space and comments
    rb"(?:(/[^" + _DELIMITERS + rb"]*)"  # 1: name
    rb"|(\d+)[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]+R(?![^" + _DELIMITERS + rb"])"  # 2, 3: ref
    rb"|([+-]?(?:\d+\.?\d*|\.\d+))"  # 4: number
    rb"|(<<)|(>>)"  # 5, 6: dictionary
    rb"|\[([\x00\t\n\x0c\r 0-9+\-.]*)\]"  # 7: an array of numbers only, read at once
    rb"|(\[)|(\])"  # 8, 9: array
    rb"|(\()"  # 10: literal string, read by _literal_string
    rb"|<([^>]*)>"  # 11: hex string
    rb"|(true|false|null)(?![^" + _DELIMITERS + rb"])"  # 12: keywords
    rb")"
)
_KEYWORDS = {b"true": True, b"false": False, b"null": None}


def parse_value(data: bytes, pos: int) -> tuple[Any, int]:
    """Parse the PDF value starting at `pos`; return it and the position after it."""
    stack: list[list[Any]] = []
    match_token = _TOKEN.match
    while True:
        match = match_token(data, pos)
        kind = match.lastindex if match is not None else None
        if match is None or kind is None:
            raise _ParseError(f"unexpected {data[pos : pos + 12]!r} at {pos}")
        pos = match.end()
        value: Any
        if kind == 1:
            raw = match.group(1)
            if b"#" in raw:
                value = _name_value(raw[1:])
            else:
                try:
                    value = Name(raw[1:].decode("utf-8"))
                except UnicodeDecodeError:
                    value = Name(raw[1:].decode("latin-1"))
        elif kind == 3:
            value = Ref(int(match.group(2)), int(match.group(3)))
        elif kind == 4:
            text = match.group(4)
            value = float(text) if b"." in text else int(text)
        elif kind == 5:
            stack.append(_Dict())
            continue
        elif kind == 6:
            if not stack or not isinstance(stack[-1], _Dict):
                raise _ParseError(f"unbalanced >> at {pos}")
            items = stack.pop()
            value = {
                items[index]: items[index + 1]
                for index in range(0, len(items) - 1, 2)
                if isinstance(items[index], Name)
            }
        elif kind == 7:
            numbers = _numbers(match.group(7))
            if numbers is None:
                raise _ParseError(f"bad number in array at {pos}")
            value = numbers
        elif kind == 8:
            stack.append([])
            continue
        elif kind == 9:
            if not stack or isinstance(stack[-1], _Dict):
                raise _ParseError(f"unbalanced ] at {pos}")
            value = stack.pop()
        elif kind == 10:
            value, pos = _literal_string(data, pos - 1)
        elif kind == 11:
            digits = _HEX_CLEAN.sub(b"", match.group(11))
            value = bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode())
        else:
            value = _KEYWORDS[match.group(12)]
        if not stack:
            return value, pos
        stack[-1].append(value)


def _numbers(text: bytes) -> list[Any] | None:
    try:
        return [float(item) if b"." in item else int(item) for item in text.split()]
    except ValueError:
        return None


def _name_value(raw: bytes) -> Name:
    if b"#" in raw:
        raw = _NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), raw)
    try:
        return Name(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Name(raw.decode("latin-1"))


def _literal_string(data: bytes, pos: int) -> tuple[bytes, int]:
    depth = 0
    for match in _STRING_PART.finditer(data, pos):
        token = match.group()
        if token == b"(":
            depth += 1
        elif token == b")":
            depth -= 1
            if depth == 0:
                raw = data[pos + 1 : match.start()]
                return (_unescape(raw) if b"\\" in raw else raw), match.end()
    raise _ParseError("unterminated string")


def _unescape(raw: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _ESCAPES.get(code, b"" if code == b"\r\n" else code)

    return _STRING_ESCAPE.sub(one, raw)


def _from_pypdf(value: Any, depth: int = 0) -> Any:
    """A pypdf object as a plain value (references stay references)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, IndirectObject):
        return Ref(value.idnum, value.generation)
    if isinstance(value, DictionaryObject):  # streams too
        return {
            Name(str(key)[1:]): _from_pypdf(item, depth + 1)
            for key, item in dict.items(value)
            if str(key).startswith("/")
        }
    if isinstance(value, ArrayObject):
        return [_from_pypdf(item, depth + 1) for item in list.__iter__(value)]
    if isinstance(value, NameObject):
        return Name(str(value)[1:])
    if isinstance(value, BooleanObject):
        return bool(value)
    if isinstance(value, NumberObject):
        return int(value)
    if isinstance(value, FloatObject):
        return float(value)
    if isinstance(value, TextStringObject):
        return bytes(value.original_bytes)
    if isinstance(value, ByteStringObject):
        return bytes(value)
    return None  # null, and anything pypdf could not make sense of


class _Objects:
    """The file's objects by reference: parsed here when possible, by pypdf otherwise."""

    def __init__(self, reader: PdfReader, data: bytes, *, use_pypdf: bool) -> None:
        self.reader = reader
        self.data = data
        self.use_pypdf = use_pypdf  # encrypted files: pypdf decrypts their strings
        self.cache: dict[Ref, Any] = {}
        # object stream number -> its decoded data and each object's (start, end) in it
        self.streams: dict[int, tuple[bytes, dict[int, tuple[int, int]]] | None] = {}

    def get(self, ref: Ref) -> Any:
        if ref in self.cache:
            return self.cache[ref]
        self.cache[ref] = None  # a reference back to itself reads as null
        value = None
        if not self.use_pypdf:
            located = self.source(ref)
            if located is not None:
                try:
                    value = parse_value(located[0], located[1])[0]
                except (_ParseError, ValueError, IndexError, KeyError):
                    value = None
        if value is None:
            value = self._pypdf(ref)
        self.cache[ref] = value
        return value

    def resolve(self, value: Any, depth: int = 0) -> Any:
        while isinstance(value, Ref) and depth < MAX_DEPTH:
            value = self.get(value)
            depth += 1
        return None if isinstance(value, Ref) else value

    def source(self, ref: Ref) -> tuple[bytes, int, int] | None:
        """The bytes holding the object and where its value starts and (about) ends."""
        if self.use_pypdf:
            return None
        if ref.generation == 0 and ref.number in self.reader.xref_objStm:
            stream_number = self.reader.xref_objStm[ref.number][0]
            if stream_number not in self.streams:
                self.streams[stream_number] = self._object_stream(stream_number)
            loaded = self.streams[stream_number]
            if loaded is None or ref.number not in loaded[1]:
                return None
            start, end = loaded[1][ref.number]
            return loaded[0], start, end
        offset = self.reader.xref.get(ref.generation, {}).get(ref.number)
        if not isinstance(offset, int):
            return None
        header = _OBJECT_HEADER.match(self.data, offset)
        if header is None or int(header.group(1)) != ref.number:
            return None  # a wrong offset: pypdf searches the file for the object
        end = self.data.find(b"endobj", header.end())
        return self.data, header.end(), end if end >= 0 else len(self.data)

    def _object_stream(self, number: int) -> tuple[bytes, dict[int, tuple[int, int]]] | None:
        try:
            stream = self.reader.get_object(number)
            if not isinstance(stream, DictionaryObject):
                return None
            data: bytes = stream.get_data()  # type: ignore[attr-defined]
            first = int(stream["/First"])  # type: ignore[call-overload]
            count = int(stream["/N"])  # type: ignore[call-overload]
        except Exception:  # noqa: BLE001 - a damaged object stream: pypdf tries each object
            return None
        fields = data[:first].split()
        starts: list[tuple[int, int]] = []
        for index in range(0, min(len(fields) - 1, 2 * count), 2):
            try:
                starts.append((first + int(fields[index + 1]), int(fields[index])))
            except ValueError:
                return None
        starts.sort()
        ends = [start for start, _ in starts[1:]] + [len(data)]
        return data, {
            number: (start, end) for (start, number), end in zip(starts, ends, strict=True)
        }

    def _pypdf(self, ref: Ref) -> Any:
        try:
            value = self.reader.get_object(IndirectObject(ref.number, ref.generation, self.reader))
        except (DependencyError, FileNotDecryptedError):
            raise
        except RecursionError:
            return None
        except Exception:  # noqa: BLE001 - a dangling or damaged reference reads as null
            return None
        return _from_pypdf(value)


# ------------------------------------------------------------------------------ the walk


@dataclass
class _Font:
    name: str | None
    subtype: str
    embedded: bool
    resource_name: str
    resources: Any  # a Type 3 font's own /Resources, walked like a page's
    masks: dict[int, int]  # page -> where on the page it was found (bits)


FontKey = tuple[int, int]


class _FactsReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []
        self.fonts: dict[FontKey, _Font] = {}
        self.resource_cache: dict[int, dict[FontKey, int]] = {}
        self.form_cache: dict[int, dict[FontKey, int]] = {}
        self.keep: list[object] = []  # objects whose id() is a cache key stay alive
        self.active: set[int] = set()
        self.javascript: list[Script] = []
        self.attachments: list[EmbeddedFile] = []
        self.version: str | None = None
        self.objects: _Objects | None = None

    def read(self) -> PdfFacts:
        facts = PdfFacts(path=self.path, file_size=0)
        try:
            data = self.path.read_bytes()
        except OSError as error:
            return replace(facts, problem=f"cannot be read ({error.strerror or error})")
        facts = replace(facts, file_size=len(data))
        if not data:
            return replace(facts, problem="is empty (0 bytes)")
        header = _HEADER.search(data, 0, 1024)
        if header is None:
            return replace(facts, problem="is not a PDF (no %PDF- header)")
        self.version = header.group(1).decode()
        facts = replace(facts, pdf_version=self.version)
        try:
            reader = _reader(data)
        except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on damaged files
            return replace(facts, problem=f"cannot be parsed ({_describe(error)})")
        try:
            trailer = _from_pypdf(reader.trailer)
            encrypted = isinstance(trailer, dict) and trailer.get("Encrypt") is not None
            # The /Encrypt dictionary is never encrypted itself, so it is read like any other.
            self.objects = _Objects(reader, data, use_pypdf=False)
            if encrypted:
                facts = self._encryption(reader, trailer["Encrypt"], facts)
                if facts.needs_password or facts.problem:
                    return facts
                self.objects = _Objects(reader, data, use_pypdf=True)
            return self._structure(trailer, facts)
        except (DependencyError, FileNotDecryptedError) as error:
            return replace(facts, problem=f"cannot be decrypted ({_describe(error)})")
        except RecursionError:
            return replace(facts, problem="nests objects too deeply to be read")

    def resolve(self, value: Any) -> Any:
        assert self.objects is not None
        return self.objects.resolve(value)

    def as_dict(self, value: Any) -> dict[str, Any] | None:
        value = self.resolve(value)
        return value if isinstance(value, dict) else None

    def as_list(self, value: Any) -> list[Any] | None:
        value = self.resolve(value)
        return value if isinstance(value, list) else None

    def as_name(self, value: Any) -> str | None:
        value = self.resolve(value)
        if isinstance(value, Name) and value:
            return str(value)
        if isinstance(value, bytes) and value:  # a string where a name belongs
            return _text(value)
        return None

    # -------------------------------------------------------------- encryption

    def _encryption(self, reader: PdfReader, raw: Any, facts: PdfFacts) -> PdfFacts:
        encrypt = self.as_dict(raw) or {}
        facts = replace(
            facts,
            encrypted=True,
            encryption=self._cipher(encrypt),
            restrictions=self._restrictions(encrypt),
        )
        try:
            # pypdf opens files whose user password is empty on its own; ask to be sure.
            if reader.decrypt("") == 0:
                return replace(facts, needs_password=True, problem="is encrypted with a password")
        except (DependencyError, NotImplementedError) as error:
            return replace(facts, problem=f"cannot be decrypted ({_describe(error)})")
        return facts

    def _cipher(self, encrypt: dict[str, Any]) -> str:
        handler = self.as_name(encrypt.get("Filter")) or "unknown"
        if handler != "Standard":
            return f"the {handler} security handler"
        version = _int(self.resolve(encrypt.get("V")))
        if version == 5:
            return "AES-256"
        if version == 4:
            filters = self.as_dict(encrypt.get("CF")) or {}
            default = self.as_dict(filters.get(self.as_name(encrypt.get("StmF")) or "StdCF")) or {}
            return "AES-128" if self.as_name(default.get("CFM")) == "AESV2" else "RC4 128-bit"
        if version in (2, 3):
            return f"RC4 {_int(self.resolve(encrypt.get('Length'))) or 40}-bit"
        return "RC4 40-bit"

    def _restrictions(self, encrypt: dict[str, Any]) -> tuple[str, ...]:
        """What /P forbids to a reader who opens the file without the owner password."""
        permissions = _int(self.resolve(encrypt.get("P")))
        if permissions is None or self.as_name(encrypt.get("Filter")) != "Standard":
            return ()
        permissions &= 0xFFFFFFFF  # /P is a signed 32-bit integer
        revision = _int(self.resolve(encrypt.get("R"))) or 2
        forbidden = [
            words
            for words, bit in _PERMISSION_BITS.items()
            if (revision >= 3 or bit <= 6) and not permissions & (1 << (bit - 1))
        ]
        if "printing" in forbidden and "high-quality printing" in forbidden:
            forbidden.remove("high-quality printing")
        return tuple(forbidden)

    # --------------------------------------------------------------- structure

    def _structure(self, trailer: Any, facts: PdfFacts) -> PdfFacts:
        root = self.as_dict(trailer.get("Root")) if isinstance(trailer, dict) else None
        if root is None:
            return replace(facts, problem="has no document catalog")
        catalog_version = self.as_name(root.get("Version"))
        if (
            catalog_version
            and _VERSION.match(catalog_version)
            and (self.version is None or catalog_version > self.version)
        ):
            self.version = catalog_version
        for step in (self._document_actions, self._name_tree_files):
            try:
                step(root)
            except (DependencyError, FileNotDecryptedError, RecursionError):
                raise
            except Exception as error:  # noqa: BLE001
                self.problems.append(f"its catalog cannot be read ({_describe(error)})")
        pages: list[PageFacts] = []
        for number, page in enumerate(self._pages(root.get("Pages")), start=1):
            try:
                pages.append(self._page_facts(number, page))
                self._page_fonts(number, page)
                self._page_annotations(number, page)
                self._actions(
                    page.get("AA"), Script(f"on page {number} (the page's actions)", number), True
                )
            except (DependencyError, FileNotDecryptedError, RecursionError):
                raise
            except Exception as error:  # noqa: BLE001
                self.problems.append(f"page {number} cannot be read ({_describe(error)})")
        if not pages:
            self.problems.append("has no pages")
        return replace(
            facts,
            pdf_version=self.version,
            pages=tuple(pages),
            fonts=tuple(self._font_facts()),
            javascript=tuple(dict.fromkeys(self.javascript)),
            embedded_files=tuple(self.attachments),
            problem=_join(self.problems),
        )

    def _pages(self, raw: Any) -> Iterator[dict[str, Any]]:
        """The page dictionaries in order, with inherited attributes filled in."""
        inheritable = ("Resources", "MediaBox", "CropBox", "Rotate")
        seen: set[int] = set()
        stack: list[tuple[Any, dict[str, Any], int]] = [(raw, {}, 0)]
        while stack:
            node_raw, inherited, depth = stack.pop()
            node = self.as_dict(node_raw)
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            kids = self.as_list(node.get("Kids"))
            if kids is not None and self.as_name(node.get("Type")) != "Page":
                if depth >= MAX_DEPTH:
                    self.problems.append("its page tree is nested too deeply")
                    continue
                passed = dict(inherited)
                passed.update((key, node[key]) for key in inheritable if key in node)
                stack.extend((kid, passed, depth + 1) for kid in reversed(kids))
            elif self.as_name(node.get("Type")) in ("Page", None) or "Contents" in node:
                page = dict(inherited)
                page.update(node)
                yield page

    def _page_facts(self, number: int, page: dict[str, Any]) -> PageFacts:
        media = self._box(page.get("MediaBox")) or (0.0, 0.0, 612.0, 792.0)
        crop = self._box(page.get("CropBox"))
        if crop is None:
            crop = media
        else:  # a crop box reaching past the media box is clipped to it (ISO 32000-1, 14.11.2)
            crop = (
                max(crop[0], media[0]),
                max(crop[1], media[1]),
                min(crop[2], media[2]),
                min(crop[3], media[3]),
            )
            if crop[0] >= crop[2] or crop[1] >= crop[3]:
                crop = media
        rotation = _int(self.resolve(page.get("Rotate"))) or 0
        return PageFacts(number=number, media_box=media, crop_box=crop, rotation=rotation % 360)

    def _box(self, raw: Any) -> tuple[float, float, float, float] | None:
        box = self.as_list(raw)
        if box is None or len(box) != 4:
            return None
        values = [self.resolve(value) for value in box]
        if not all(
            isinstance(value, int | float) and not isinstance(value, bool) for value in values
        ):
            return None
        x0, y0, x1, y1 = (float(value) for value in values)
        if x0 == x1 or y0 == y1:
            return None
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    # ------------------------------------------------------------------- fonts

    def _page_fonts(self, number: int, page: dict[str, Any]) -> None:
        self._add(number, self._resources(page.get("Resources"), 0))

    def _add(self, number: int, found: dict[FontKey, int]) -> None:
        for key, mask in found.items():
            font = self.fonts[key]
            font.masks[number] = font.masks.get(number, 0) | mask

    def _resources(self, raw: Any, depth: int) -> dict[FontKey, int]:
        """Fonts reachable from a resource dictionary, with where they were found (bits)."""
        resources = self.as_dict(raw)
        if resources is None:
            return {}
        ident = id(resources)
        cached = self.resource_cache.get(ident)
        if cached is not None:
            return cached
        if ident in self.active or depth > MAX_DEPTH:
            return {}
        self.active.add(ident)
        found: dict[FontKey, int] = {}
        try:
            for resource_name, raw_font in (self.as_dict(resources.get("Font")) or {}).items():
                key = self._font(raw_font, resource_name)
                if key is None:
                    continue
                found[key] = found.get(key, 0) | _ON_PAGE
                type3_resources = self.fonts[key].resources
                if type3_resources is not None:
                    _merge(found, self._resources(type3_resources, depth + 1))
            for raw_xobject in (self.as_dict(resources.get("XObject")) or {}).values():
                _merge(found, self._form(raw_xobject, depth + 1), _IN_FIGURE)
            for raw_pattern in (self.as_dict(resources.get("Pattern")) or {}).values():
                pattern = self.as_dict(raw_pattern)
                if pattern is not None:
                    _merge(found, self._resources(pattern.get("Resources"), depth + 1))
        finally:
            self.active.discard(ident)
        self.resource_cache[ident] = found
        self.keep.append(resources)
        return found

    def _form(self, raw: Any, depth: int) -> dict[FontKey, int]:
        """Fonts reachable from a form XObject (images have none)."""
        xobject = self.as_dict(raw)
        if xobject is None or self.as_name(xobject.get("Subtype")) != "Form":
            return {}
        ident = id(xobject)
        cached = self.form_cache.get(ident)
        if cached is None:
            cached = self._resources(xobject.get("Resources"), depth)
            self.form_cache[ident] = cached
            self.keep.append(xobject)
        return cached

    def _font(self, raw: Any, resource_name: str) -> FontKey | None:
        key: FontKey = (raw.number, raw.generation) if isinstance(raw, Ref) else (-1, id(raw))
        if key in self.fonts:
            return key
        font = self.as_dict(raw)
        if font is None:
            return None
        if key[0] == -1:
            self.keep.append(raw)
        subtype = self.as_name(font.get("Subtype")) or ""
        name = self.as_name(font.get("BaseFont"))
        resources = None
        if subtype == "Type3":
            embedded = True
            resources = font.get("Resources")
        else:
            embedded = self._embedded(font, subtype)
        self.fonts[key] = _Font(name, subtype, embedded, str(resource_name), resources, {})
        return key

    def _embedded(self, font: dict[str, Any], subtype: str) -> bool:
        if subtype == "Type0":
            descendants = self.as_list(font.get("DescendantFonts"))
            descendant = self.as_dict(descendants[0]) if descendants else None
            if descendant is None:
                return False
            font = descendant
        descriptor = self.as_dict(font.get("FontDescriptor"))
        return descriptor is not None and any(
            descriptor.get(key) is not None for key in _FONT_FILES
        )

    def _font_facts(self) -> Iterator[FontFacts]:
        for font in self.fonts.values():
            if not font.masks:
                continue  # reached only through a cut cycle
            pages = sorted(font.masks)
            yield FontFacts(
                name=font.name,
                subtype=font.subtype,
                embedded=font.embedded,
                pages=tuple(pages),
                figure_pages=tuple(p for p in pages if font.masks[p] & _IN_FIGURE),
                annotation_pages=tuple(p for p in pages if font.masks[p] & _IN_ANNOTATION),
                resource_name=font.resource_name,
            )

    # ------------------------------------------------------------- annotations

    def _page_annotations(self, number: int, page: dict[str, Any]) -> None:
        assert self.objects is not None
        for raw in self.as_list(page.get("Annots")) or []:
            if isinstance(raw, Ref):
                # Most annotations are plain links; their bytes show that no script, attached
                # file or appearance can be in them, without parsing them.
                located = self.objects.source(raw)
                if located is not None and not _ANNOTATION_MATTERS.search(
                    located[0], located[1], located[2]
                ):
                    continue
            annotation = self.as_dict(raw)
            if annotation is None:
                continue
            subtype = self.as_name(annotation.get("Subtype")) or "unknown"
            where = Script(f"on page {number} ({_annotation_words(subtype)})", number)
            self._actions(annotation.get("A"), where)
            self._actions(annotation.get("AA"), where, True)
            if subtype == "FileAttachment":
                name = self._file_spec_name(annotation.get("FS")) or "unnamed attachment"
                self.attachments.append(EmbeddedFile(name, number))
            appearances = self.as_dict(annotation.get("AP"))
            if appearances is None:
                continue
            found: dict[FontKey, int] = {}
            for state in ("N", "R", "D"):
                appearance = self.as_dict(appearances.get(state))
                if appearance is None:
                    continue
                if self.as_name(appearance.get("Subtype")) == "Form":
                    _merge(found, self._form(appearance, 1), _IN_ANNOTATION)
                else:  # a dictionary of appearance states (check box on, off)
                    for stream in appearance.values():
                        _merge(found, self._form(stream, 1), _IN_ANNOTATION)
            self._add(number, found)

    # ------------------------------------------------ scripts and attached files

    def _document_actions(self, root: dict[str, Any]) -> None:
        self._actions(root.get("OpenAction"), Script("in the action run when the document opens"))
        self._actions(root.get("AA"), Script("in the document's actions (/AA)"), True)
        names = self.as_dict(root.get("Names")) or {}
        if names.get("JavaScript") is not None:
            count = sum(1 for _ in self._name_tree(names.get("JavaScript")))
            if count:
                plural = "s" if count > 1 else ""
                where = f"in {count} document-level script{plural} (/Names/JavaScript)"
                self.javascript.append(Script(where))
        acroform = self.as_dict(root.get("AcroForm")) or {}
        for raw in (self.as_list(acroform.get("Fields")) or [])[:MAX_NAMES]:
            field = self.as_dict(raw)
            if field is not None:
                self._actions(field.get("AA"), Script("in a form field's actions (/AA)"), True)

    def _actions(self, raw: Any, where: Script, additional: bool = False) -> None:
        """Record `where` if the action (for /AA: any of its triggers) runs JavaScript."""
        if additional:
            triggers = self.as_dict(raw) or {}
            if any(self._runs_javascript(trigger) for trigger in triggers.values()):
                self.javascript.append(where)
        elif self._runs_javascript(raw):
            self.javascript.append(where)

    def _runs_javascript(self, raw: Any) -> bool:
        """Whether an action, or an action in its /Next chain, is a JavaScript action."""
        pending: list[Any] = [raw]
        seen: set[int] = set()
        while pending and len(seen) < MAX_NAMES:
            action = self.as_dict(pending.pop())
            if action is None or id(action) in seen:
                continue
            seen.add(id(action))
            if self.as_name(action.get("S")) == "JavaScript" or action.get("JS") is not None:
                return True
            following = self.resolve(action.get("Next"))
            if isinstance(following, list):
                pending.extend(following)
            elif following is not None:
                pending.append(following)
        return False

    def _name_tree_files(self, root: dict[str, Any]) -> None:
        names = self.as_dict(root.get("Names")) or {}
        for key, spec in self._name_tree(names.get("EmbeddedFiles")):
            name = self._file_spec_name(spec) or key or "unnamed file"
            self.attachments.append(EmbeddedFile(name))

    def _name_tree(self, raw: Any) -> Iterator[tuple[str, Any]]:
        """The (key, value) pairs of a name tree, up to MAX_NAMES, guarding against cycles."""
        seen: set[int] = set()
        stack: list[tuple[Any, int]] = [(raw, 0)]
        count = 0
        while stack:
            node_raw, depth = stack.pop()
            node = self.as_dict(node_raw)
            if node is None or id(node) in seen or depth > MAX_DEPTH:
                continue
            seen.add(id(node))
            names = self.as_list(node.get("Names")) or []
            for index in range(0, len(names) - 1, 2):
                key = self.resolve(names[index])
                yield (_text(key) if isinstance(key, bytes) else str(key or "")), names[index + 1]
                count += 1
                if count >= MAX_NAMES:
                    return
            kids = self.as_list(node.get("Kids")) or []
            stack.extend((kid, depth + 1) for kid in reversed(kids))

    def _file_spec_name(self, raw: Any) -> str | None:
        spec = self.resolve(raw)
        if isinstance(spec, bytes | Name):
            return _text(spec) if isinstance(spec, bytes) else str(spec)
        if not isinstance(spec, dict):
            return None
        for key in ("UF", "F", "DOS", "Unix", "Mac"):
            value = self.resolve(spec.get(key))
            if isinstance(value, bytes) and value:
                return _text(value)
        return None


# ---------------------------------------------------------------------------- helpers


def _merge(into: dict[FontKey, int], found: dict[FontKey, int], mask: int | None = None) -> None:
    for key, where in found.items():
        into[key] = into.get(key, 0) | (where if mask is None else mask)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def _text(raw: bytes) -> str:
    """A PDF text string: UTF-16 with a byte-order mark, UTF-8 with one, else PDFDocEncoding."""
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


def _annotation_words(subtype: str) -> str:
    words = {"Link": "a link", "Widget": "a form field", "Screen": "a media annotation"}
    return words.get(subtype, f"a {subtype} annotation")


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _join(problems: list[str]) -> str | None:
    if not problems:
        return None
    shown = "; ".join(problems[:3])
    return shown + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
