"""Where each page of a paper prints its own page number, read from its text layer (PDFium).

The volume stamps its own page number on every paper page. A page that already shows the
paper's number would then show two, so the stamp takes that number's place: `printed_numbers`
finds it, and `volume_pdf` covers exactly its box with the page's background and stamps the
volume's number there.

A printed page number is taken to be the lowest text on the page, in its bottom band, set
apart from the text above, alone on its line, a bare number of arabic or lower-case roman
digits, and counting up with the pages (the number minus the page's index is the same on
most pages of the paper). Anything else is left alone: a footer that holds more than a
number ("Page 3 of 9", a copyright line) is not covered, and the stamp goes beside it.
Only unrotated pages are read; a page this cannot read is stamped as if it had no number.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from proceedings.pdf.layout import PDFIUM_LOCK

# (left, bottom, right, top) in the page's own coordinates (PDF user space), as PDFium gives.
Box = tuple[float, float, float, float]

# The footer: the bottom fifth of the page. Page numbers of LaTeX styles stand 20-50 pt above
# the bottom edge; the text block ends 60-80 pt above it.
FOOTER_BAND = 0.2
# The printed number stands this far below all other text at least (ICLR, NeurIPS and JMLR
# leave 18-25 pt; a digit of a formula or a table stands much closer to its neighbours).
MIN_GAP_PT = 6.0
# Two pieces of text on one baseline further apart than this are two words.
WORD_GAP_EM = 0.3
COVER_MARGIN_PT = 0.5  # what anti-aliasing draws beyond a glyph's edge
_NUMBER = re.compile(r"[0-9]{1,4}|[ivxlcdm]{1,8}")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
MAX_CHARS = 200_000  # a page with more characters is not read (a scanned page's OCR, junk)


@dataclass(frozen=True)
class PrintedNumber:
    """The paper's own page number on one page: its text and where it is drawn."""

    text: str
    value: int
    box: Box  # what is covered: the characters' boxes (their font's ascent to descent and
    # their glyphs), and half a point around
    baseline: float


@dataclass
class Footer:
    """What the bottom band of one page holds: its printed number, if any, and the boxes of
    all its text (so a stamp is set beside it, not on it)."""

    number: PrintedNumber | None = None
    text_boxes: list[Box] = field(default_factory=list)


@dataclass
class _Char:
    text: str
    loose: Box
    tight: Box


def printed_numbers(path: Path) -> list[Footer]:
    """The footer of each page of `path`; an empty list when PDFium cannot read the file."""
    with PDFIUM_LOCK:  # the build's other threads use PDFium too
        return _printed_numbers(path)


def _printed_numbers(path: Path) -> list[Footer]:
    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        return []
    try:
        footers = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                footers.append(_read_footer(page))
            finally:
                page.close()
    except pdfium.PdfiumError:
        return []
    finally:
        pdf.close()
    _keep_counting(footers)
    return footers


def _read_footer(page: pdfium.PdfPage) -> Footer:
    if int(page.get_rotation()) % 360:
        return Footer()
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = int(pdfium_c.FPDFText_CountChars(handle))
        if count <= 0 or count > MAX_CHARS:
            return Footer()
        box = page.get_cropbox()
        bottom, height = float(box[1]), float(box[3]) - float(box[1])
        band_top = bottom + FOOTER_BAND * height
        # Only the footer's characters are read whole; of the others, the lowest bottom.
        footer_chars: list[_Char] = []
        above = float("inf")
        rect = pdfium_c.FS_RECTF()
        for index in range(count):
            if not pdfium_c.FPDFText_GetLooseCharBox(handle, index, rect):
                continue
            if rect.top > band_top:
                if rect.top > rect.bottom and pdfium_c.FPDFText_GetTextObject(handle, index):
                    above = min(above, float(rect.bottom))
                continue
            char = _char(handle, index)
            if char is not None:
                footer_chars.append(char)
    finally:
        textpage.close()
    footer = Footer(text_boxes=[char.loose for char in footer_chars])
    lines = _lines(footer_chars)
    if not lines:
        return footer
    lowest = min(lines, key=lambda line: line[0].tight[1])
    words = _words(lowest)
    if len(words) != 1:
        return footer  # more than a number, or two numbers: left as it is
    word = words[0]
    text = "".join(char.text for char in word)
    value = _value(text)
    if value is None:
        return footer
    loose = _union([char.loose for char in word])
    glyphs = _union([char.tight for char in word])
    in_word = {id(char) for char in word}
    # Nothing else on the page may reach down to within MIN_GAP_PT of the number.
    if above < loose[3] + MIN_GAP_PT:
        return footer
    for char in footer_chars:
        if id(char) not in in_word and char.loose[1] < loose[3] + MIN_GAP_PT:
            return footer
    baseline = min(char.tight[1] for char in word)
    # The glyphs' own box may stand out of the font's (a digit reaching its ascent); a
    # renderer's anti-aliasing reaches a fraction of a point further.
    cover = _union([loose, glyphs])
    cover = (
        cover[0] - COVER_MARGIN_PT,
        cover[1] - COVER_MARGIN_PT,
        cover[2] + COVER_MARGIN_PT,
        cover[3] + COVER_MARGIN_PT,
    )
    footer.number = PrintedNumber(text, value, cover, baseline)
    return footer


def _char(handle: object, index: int) -> _Char | None:
    code = int(pdfium_c.FPDFText_GetUnicode(handle, index))
    if (
        code in (0, 0xFFFE, 0xFFFF)
        or chr(code).isspace()
        or not pdfium_c.FPDFText_GetTextObject(handle, index)
    ):
        return None  # a space or line break PDFium inserted: nothing is drawn
    rect = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDFText_GetLooseCharBox(handle, index, rect):
        return None
    left, right = ctypes.c_double(), ctypes.c_double()
    low, high = ctypes.c_double(), ctypes.c_double()
    if not pdfium_c.FPDFText_GetCharBox(handle, index, left, right, low, high):
        return None
    loose = (float(rect.left), float(rect.bottom), float(rect.right), float(rect.top))
    tight = (left.value, low.value, right.value, high.value)
    if loose[2] < loose[0] or loose[3] < loose[1]:
        return None
    return _Char(chr(code), loose, tight)


def _lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped by the vertical extent they share, each line left to right."""
    lines: list[list[_Char]] = []
    for char in sorted(chars, key=lambda char: -char.loose[3]):
        for line in lines:
            low = min(item.loose[1] for item in line)
            high = max(item.loose[3] for item in line)
            middle = (char.loose[1] + char.loose[3]) / 2
            if low <= middle <= high:
                line.append(char)
                break
        else:
            lines.append([char])
    return [sorted(line, key=lambda char: char.loose[0]) for line in lines]


def _words(line: list[_Char]) -> list[list[_Char]]:
    words: list[list[_Char]] = []
    for char in line:
        size = char.loose[3] - char.loose[1]
        if words and char.loose[0] - words[-1][-1].loose[2] <= WORD_GAP_EM * size:
            words[-1].append(char)
        else:
            words.append([char])
    return words


def _value(text: str) -> int | None:
    if not _NUMBER.fullmatch(text):
        return None
    if text.isdigit():
        return int(text)
    total = 0
    for char, following in zip(text, [*text[1:], ""], strict=True):
        value = _ROMAN[char]
        total += -value if following and _ROMAN[following] > value else value
    return total


def _union(boxes: list[Box]) -> Box:
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def _keep_counting(footers: list[Footer]) -> None:
    """Keep the numbers that count up with the pages: number minus page index the same as on
    most numbered pages (a lone digit at the foot of a figure does not count along)."""
    offsets = Counter(
        footer.number.value - index
        for index, footer in enumerate(footers)
        if footer.number is not None
    )
    if not offsets:
        return
    offset, votes = offsets.most_common(1)[0]
    numbered = sum(offsets.values())
    for index, footer in enumerate(footers):
        number = footer.number
        if number is None:
            continue
        # On a paper of several numbered pages, one agreeing with no other page is not its
        # page number.
        if number.value - index != offset or (numbered > 1 and votes < 2):
            footer.number = None
