"""A PDF written object by object, from pages of many source files opened one at a time.

A merge with qpdf (or pikepdf) keeps every source open and every copied object in memory
until the output is saved: 3 GB for a volume of 2,000 papers. Here each source's objects are
written out as soon as they are reached from its pages, and the source is closed before the
next one is opened, so memory stays at one paper's worth whatever the size of the volume.

Objects are serialized by qpdf (`unparse`), which writes every literal string with its
parentheses escaped; a reference `n g R` outside a string can therefore be found and
renumbered with one regular expression, and the object it names queued to be written.
Streams are copied raw (still compressed, already decrypted).
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

import pikepdf

# A literal string (its parentheses always escaped by qpdf) or an indirect reference.
_TOKENS = re.compile(rb"\((?:[^\\)]|\\.)*\)|(\d+) (\d+) R", re.DOTALL)

ObjGen = tuple[int, int]


class Output(Protocol):
    """Where the bytes go: a file opened for writing, or anything else that takes them."""

    def write(self, data: bytes, /) -> object: ...


class PdfWriter:
    """Writes numbered objects to `out` and, at the end, the cross-reference table."""

    def __init__(self, out: Output) -> None:
        self.out = out
        self.offsets: list[int] = [0]  # by object number; 0 is the free list head
        self.position = 0
        self.digest = hashlib.md5(usedforsecurity=False)
        # The binary comment tells transfer programs the file is not text.
        self._emit(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self) -> int:
        """A new object number, to be written later with `write`."""
        self.offsets.append(-1)
        return len(self.offsets) - 1

    def write(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        """Write object `number`; `body` is its PDF syntax, a dictionary if `stream` is given."""
        self.offsets[number] = self.position
        if stream is None:
            self._emit(b"%d 0 obj\n%s\nendobj\n" % (number, body))
            return
        self._emit(b"%d 0 obj\n%s\nstream\n" % (number, body))
        self._emit(stream)
        self._emit(b"\nendstream\nendobj\n")

    def finish(self, root: int, info: int | None) -> None:
        """Write the cross-reference table and the trailer. Every reserved number is written."""
        missing = [number for number, offset in enumerate(self.offsets) if offset < 0]
        if missing:
            raise ValueError(f"objects reserved but never written: {missing[:10]}")
        start = self.position
        lines = [b"xref\n0 %d\n" % len(self.offsets), b"0000000000 65535 f \n"]
        lines += [b"%010d 00000 n \n" % offset for offset in self.offsets[1:]]
        # The same content gives the same identifier, so builds stay byte-identical.
        identifier = self.digest.hexdigest().encode()
        trailer = b"trailer\n<< /Size %d /Root %d 0 R " % (len(self.offsets), root)
        if info is not None:
            trailer += b"/Info %d 0 R " % info
        trailer += b"/ID [ <%s> <%s> ] >>\nstartxref\n%d\n%%%%EOF\n" % (
            identifier,
            identifier,
            start,
        )
        self.out.write(b"".join(lines) + trailer)

    def _emit(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.position += len(data)


class SourceCopy:
    """Copies objects of one open source PDF into a `PdfWriter`, renumbered.

    `fixed` maps objects of the source to numbers already given in the output (the volume's
    page tree for a page's parent, say), or to None for objects that must not come along
    (the source's catalog and page tree); references to those are written as `null`.
    """

    def __init__(
        self, writer: PdfWriter, source: pikepdf.Pdf, fixed: dict[ObjGen, int | None]
    ) -> None:
        self.writer = writer
        self.source = source
        self.numbers: dict[ObjGen, int | None] = dict(fixed)
        self.pending: list[ObjGen] = []

    def number(self, obj: pikepdf.Object) -> int:
        """The output number of an indirect object of the source, queued if new."""
        key = obj.objgen
        known = self.numbers.get(key, -1)
        if known is None:
            raise ValueError(f"object {key[0]} {key[1]} R is not copied")
        return known if known >= 0 else self._queue(key)

    def direct(self, obj: pikepdf.Object) -> bytes:
        """The PDF syntax of a direct object, its references renumbered (and queued)."""
        return _TOKENS.sub(self._renumber, obj.unparse(resolved=True))

    def drain(self) -> None:
        """Write every queued object and whatever they reach in turn."""
        while self.pending:
            key = self.pending.pop()
            number = self.numbers[key]
            assert number is not None
            obj = self.source.get_object(key)
            if isinstance(obj, pikepdf.Stream):
                self.writer.write(number, *self._stream(obj))
            elif isinstance(obj, pikepdf.Object):
                self.writer.write(number, self.direct(obj))
            else:  # pikepdf hands over numbers, booleans and null as Python values
                self.writer.write(number, _scalar(obj))

    def _stream(self, stream: pikepdf.Stream) -> tuple[bytes, bytes]:
        data = stream.read_raw_bytes()
        # /Length is the source's; a copy without it takes the length of the bytes copied.
        # The dictionary stays qpdf's: its keys are never made Python strings, which a damaged
        # key (bytes that are not UTF-8) could not round-trip.
        entries = copy.copy(stream.stream_dict)
        if "/Length" in entries:
            del entries["/Length"]
        body = self.direct(entries)
        return body[:-2] + b"/Length %d >>" % len(data), data

    def _renumber(self, match: re.Match[bytes]) -> bytes:
        if match.group(1) is None:
            return match.group(0)  # a string: left as it is
        key = (int(match.group(1)), int(match.group(2)))
        known = self.numbers.get(key, -1)
        if known is None:
            return b"null"
        if known >= 0:
            return b"%d 0 R" % known
        if self.source.get_object(key) is None:  # a reference to nothing is null (PDF 7.3.10)
            self.numbers[key] = None
            return b"null"
        return b"%d 0 R" % self._queue(key)

    def _queue(self, key: ObjGen) -> int:
        number = self.writer.reserve()
        self.numbers[key] = number
        self.pending.append(key)
        return number


def _scalar(value: object) -> bytes:
    if value is None:
        return b"null"
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, (Decimal, float)):
        return format(Decimal(str(value)), "f").encode()  # PDF has no exponent notation
    raise ValueError(f"an object of an unknown kind: {type(value).__name__}")


def text_string(text: str) -> bytes:
    """A PDF text string: PDFDocEncoding where it can be, UTF-16 otherwise (qpdf decides)."""
    # A lone surrogate (from a name of bytes that are not text) has no encoding: it becomes
    # a question mark rather than stopping the build.
    text = text.encode("utf-8", "replace").decode("utf-8")
    return bytes(pikepdf.String(text).unparse())


def array(items: Iterable[bytes]) -> bytes:
    return b"[ " + b" ".join(items) + b" ]"
