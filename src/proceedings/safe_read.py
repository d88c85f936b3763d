"""Reading the volume's own text files (metadata, preface, BibTeX) without hanging or filling
memory.

These files are read in the main process, where no time or memory limit applies, so a name
that leads to a FIFO (whose `open` waits for a writer), a device (`/dev/zero` never ends) or a
folder must be refused before it is read, and a regular file is read only up to a size cap.
The file is checked with `stat` before it is opened, so a device is never opened at all; it
is opened with `O_NONBLOCK`, so a FIFO swapped in after that check cannot block either, and
checked again on the open descriptor.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# Far above any real metadata, preface or reference list (the largest volume's papers.yaml
# with every abstract is well under 1 MB), far below what would strain the machine.
MAX_BYTES = 20 << 20

_CHUNK = 1 << 20


class ReadError(Exception):
    """The file cannot be read as the volume's text: `message` says why, `line` is 1-based
    when the problem has one, `missing` when there is no file of that name."""

    def __init__(
        self, file: str, message: str, line: int | None = None, *, missing: bool = False
    ) -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message
        self.line = line
        self.missing = missing


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, for a message: `a FIFO (named pipe)`."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _not_regular(shown: str, mode: int) -> ReadError:
    return ReadError(shown, f"is {file_kind(mode)}, not a regular file: it is not read")


def _too_large(shown: str, limit: int) -> ReadError:
    return ReadError(shown, f"is larger than {limit >> 20} MB: it is not read")


def read_bytes(path: Path, shown_as: str | None = None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at `path` (a symlink is followed), at most `limit` of
    them. Raises `ReadError`, naming the file as `shown_as`, for anything else."""
    shown = shown_as if shown_as is not None else str(path)
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise ReadError(shown, "does not exist", missing=True) from None
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the name
        raise ReadError(shown, f"cannot be read ({_reason(error)})") from None
    if not stat.S_ISREG(before.st_mode):
        raise _not_regular(shown, before.st_mode)
    if before.st_size > limit:
        raise _too_large(shown, limit)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise ReadError(shown, "does not exist", missing=True) from None
    except OSError as error:
        raise ReadError(shown, f"cannot be read ({_reason(error)})") from None
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            raise _not_regular(shown, opened.st_mode)
        # The size from stat is a hint, not a bound: the file may grow, and files under
        # /proc report 0. The cap is kept on what is read.
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _too_large(shown, limit)
    except OSError as error:
        raise ReadError(shown, f"cannot be read ({_reason(error)})") from None
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def read_text(
    path: Path, shown_as: str | None = None, limit: int = MAX_BYTES, *, bom: bool = False
) -> str:
    """`read_bytes` decoded as UTF-8 (a leading byte-order mark dropped when `bom`). Text that
    is not UTF-8 is a `ReadError` with the line of the first bad byte."""
    shown = shown_as if shown_as is not None else str(path)
    data = read_bytes(path, shown, limit)
    try:
        return data.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ReadError(
            shown,
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line})",
            line,
        ) from None


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        if error.errno == errno.ENAMETOOLONG:
            return "the name is too long"
        return error.strerror or str(error)
    return "no file can have this name"
