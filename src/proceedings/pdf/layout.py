"""The text layer: each page of a PDF as text lines with a box and the style of their start.

PDFium (through pypdfium2) reads the text; it is an order of magnitude faster than pypdf's
extractor. Per line we ask PDFium for a handful of facts (the box of its first and last
character, the font size and weight of its first character) rather than for every character,
which keeps a page at a few milliseconds. Finer questions about a line's style (is the word
after a run-in heading still bold?) go through `Document.char_style`, which asks PDFium
lazily while the document is open.

Coordinates are in PDF points with the origin at the top-left corner of the page, so `top`
grows downwards as a reader's eye does.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from proceedings.parallel import set_step

# A line-number ruler or a page number printed beside the text is separated from it by a
# wide gap; a section number ("7 REFERENCES") by a narrow one.
_MARGIN_GAP_PT = 18.0
_MAX_LINE_HEIGHT_PT = 40.0
_LEADING_NUMBER = re.compile(r"^(\d{1,4})\s+(?=\S)")
_TRAILING_NUMBER = re.compile(r"(?<=\S)\s+(\d{1,4})$")
# Fonts without a ToUnicode map come out as control codes and symbols that prose rarely uses.
_ODD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\[\]~^`|\\{}<>@#*\ufffd]")
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|medi(?!um)|-bd|\.b$", re.IGNORECASE)


class PdfOpenError(Exception):
    """The file could not be opened as a PDF; the message says why, for a person."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


_PASSWORD_HINT = "Save a copy without a password (e.g. `qpdf --decrypt in.pdf out.pdf`)."
_NO_PAGES_HINT = "Compile the paper again; the file holds no page."


@dataclass(frozen=True, slots=True)
class CharStyle:
    size: float
    weight: int
    font: str

    @property
    def bold(self) -> bool:
        return self.weight >= 600 or bool(_BOLD_NAME.search(self.font))


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text as PDFium groups it, with margin numbers removed."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size of the first character; its weight and face via Document
    first_char: int  # index in the page's character list, for `Document.char_style`
    column: int | None = None  # 0 or 1 on two-column pages, None when the line spans both
    margin_number: str = ""  # a number set apart beside the line (a line number), removed
    margin_number_x: float = 0.0  # where that number stands: its inner edge

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    rotation: int
    lines: list[Line]
    char_count: int
    object_count: int
    two_column: bool = False
    odd_chars: int = 0  # control codes and stray symbols: text without a Unicode map
    figures: list[tuple[float, float, float, float]] = field(default_factory=list)
    # boxes (x0, top, x1, bottom) of raster images

    @property
    def has_text(self) -> bool:
        return any(line.text.strip() for line in self.lines)


@dataclass
class Document:
    """An open PDF: its pages read once, shared by every check."""

    path: Path
    pages: list[Page]
    _pdf: pdfium.PdfDocument | None = field(default=None, repr=False)
    _textpages: dict[int, pdfium.PdfTextPage] = field(default_factory=dict, repr=False)
    _styles: dict[tuple[int, int], CharStyle] = field(default_factory=dict, repr=False)
    _shown: dict[int, _Visibility] = field(default_factory=dict, repr=False)

    def char_style(self, page_number: int, char_index: int) -> CharStyle:
        key = (page_number, char_index)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = _char_style(self._textpages[page_number].raw, char_index)
        return style

    def line_style(self, page_number: int, line: Line) -> CharStyle:
        """The style of the first character of `line`."""
        return self.char_style(page_number, line.first_char)

    def char_text_after(self, page_number: int, line: Line, offset: int) -> int:
        """The character index `offset` text positions after the start of `line`."""
        textpage = self._textpages[page_number].raw
        start = int(pdfium_c.FPDFText_GetTextIndexFromCharIndex(textpage, line.first_char))
        return int(pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, start + offset))

    def visible_area(self, page_number: int) -> tuple[float, float]:
        """The horizontal extent of what a viewer shows of the page: its media and crop box."""
        area = self._visibility(page_number).area
        return (area[0], area[2])

    def shown_extent(self, page_number: int, line: Line) -> tuple[float, float] | None:
        """The horizontal extent of what a viewer shows of `line`, or None if nothing shows.

        Characters outside the page's visible area, cut off by the clip path in force when
        they are drawn (a figure's frame, an included PDF's bounding box) or drawn invisibly
        are left out, and a character half cut off counts up to the clip's edge. This asks
        PDFium about every character and its text object, so it is meant for the few lines
        whose box already stands outside the text block.
        """
        visibility = self._visibility(page_number)
        handle = self._textpages[page_number].raw
        first = line.first_char
        last = max(self.char_text_after(page_number, line, len(line.text) - 1), first)
        left, right = float("inf"), float("-inf")
        for index in range(first, last + 1):
            item = pdfium_c.FPDFText_GetTextObject(handle, index)
            if not item:
                continue  # a space or line break PDFium inserted: nothing is drawn
            clip = visibility.clip_of(item)
            if clip is None:
                continue
            x0, y0, x1, y1 = _char_box(handle, index)
            x0, x1 = max(x0, clip[0]), min(x1, clip[2])
            if x1 < x0 or y1 < clip[1] or y0 > clip[3]:
                continue
            left, right = min(left, x0), max(right, x1)
        return (left, right) if left <= right else None

    def _visibility(self, page_number: int) -> _Visibility:
        visibility = self._shown.get(page_number)
        if visibility is None:
            page = self._textpages[page_number].parent
            visibility = self._shown[page_number] = _Visibility.of(page.raw)
        return visibility

    def close(self) -> None:
        self._shown.clear()
        for textpage in self._textpages.values():
            textpage.close()
        self._textpages.clear()
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def __enter__(self) -> Document:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_document(path: Path) -> Document:
    """Read every page of `path` into lines. Raises PdfOpenError with a readable reason."""
    pdf = _open_pdf(path)
    document = Document(path=path, pages=[], _pdf=pdf)
    try:
        for index in range(len(pdf)):
            set_step(f"reading the text layer of page {index + 1}")
            page = pdf[index]
            textpage = page.get_textpage()
            document._textpages[index + 1] = textpage
            document.pages.append(_read_page(index + 1, page, textpage))
    except pdfium.PdfiumError as error:
        document.close()
        page = len(document.pages) + 1
        raise PdfOpenError(f"is damaged: page {page} cannot be read ({error})") from None
    return document


# PDFium is not thread-safe: two threads inside it at once corrupt its global state, and every
# PDF the process opens afterwards fails to load. The build overlaps its steps in threads (the
# PMLR check counts pages while volume.pdf reads footers), so each use of PDFium made from a
# build thread holds this lock.
PDFIUM_LOCK = threading.RLock()


def page_count(path: Path) -> int:
    """The number of pages of the PDF at `path`; PdfOpenError says why it cannot be read."""
    with PDFIUM_LOCK:
        pdf = _open_pdf(path)
        try:
            return len(pdf)
        finally:
            pdf.close()


def _open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except IsADirectoryError:
        raise PdfOpenError("is a directory, not a PDF file") from None
    except PermissionError:
        raise PdfOpenError("cannot be read (permission denied)") from None
    except OSError as error:
        raise PdfOpenError(f"cannot be read ({error.strerror or error})") from None
    if not head:
        raise PdfOpenError("is empty (0 bytes)")
    if b"%PDF-" not in head:
        raise PdfOpenError("is not a PDF (it does not start with a %PDF- header)")
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        raise PdfOpenError(*_why_unopenable(path)) from None
    if len(pdf) == 0:
        pdf.close()
        raise PdfOpenError("has no pages", _NO_PAGES_HINT)
    return pdf


def _why_unopenable(path: Path) -> tuple[str, str | None]:
    """Why PDFium refused `path`.

    PDFium's error code is global state that a previous file can leave behind (a PDF without
    pages reports the last file's "password" error), so qpdf is asked instead.
    """
    import pikepdf

    try:
        # qpdf opens files whose user password is empty, as PDFium does.
        with pikepdf.Pdf.open(path, inherit_page_attributes=False) as pdf:
            if len(pdf.pages) == 0:
                return "has no pages", _NO_PAGES_HINT
    except pikepdf.PasswordError:
        return "is encrypted with a password", _PASSWORD_HINT
    # Whatever qpdf raises on a damaged file (a C++ exception arrives as a RuntimeError).
    except Exception as error:  # noqa: BLE001
        text = str(error)
        reason = text.rsplit("): ", 1)[-1] if "): " in text else text.split(": ", 1)[-1]
        return f"is damaged and cannot be opened ({reason})", None
    return "is damaged and cannot be opened", None


# PDFium's handle of a text page (`PdfTextPage.raw`), passed to its C functions as it is.
TextPageHandle = Any


def _char_style(textpage: TextPageHandle, index: int) -> CharStyle:
    size = float(pdfium_c.FPDFText_GetFontSize(textpage, index))
    weight = int(pdfium_c.FPDFText_GetFontWeight(textpage, index))
    buffer = ctypes.create_string_buffer(96)
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(
        textpage, index, buffer, len(buffer), ctypes.byref(flags)
    )
    font = buffer.value.decode("latin-1", "replace") if length else ""
    return CharStyle(size=round(size, 2), weight=weight, font=font)


def _char_box(textpage: TextPageHandle, index: int) -> tuple[float, float, float, float]:
    """The box of a character from its font's ascent and descent, so a line's letters agree.

    Bitmap (Type 3) fonts can declare absurd ascents; their tight glyph box is used instead.
    """
    rect = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDFText_GetLooseCharBox(textpage, index, rect):
        return (0.0, 0.0, 0.0, 0.0)
    if rect.top - rect.bottom > _MAX_LINE_HEIGHT_PT:
        left, right = ctypes.c_double(), ctypes.c_double()
        bottom, top = ctypes.c_double(), ctypes.c_double()
        pdfium_c.FPDFText_GetCharBox(textpage, index, left, right, bottom, top)
        return (left.value, bottom.value, right.value, top.value)
    return (rect.left, rect.bottom, rect.right, rect.top)


def _page_text(textpage: TextPageHandle, count: int) -> str:
    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
    if written <= 1:
        return ""
    return bytes(memoryview(buffer)[: written - 1]).decode("utf-16-le", "replace")


def _read_page(number: int, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> Page:
    width, height = page.get_size()
    count = textpage.count_chars()
    # The raw handle from here on: pypdfium2's wrapper converts itself on every call, which
    # cost as much as the calls themselves over the tens of thousands made per paper.
    handle = textpage.raw
    text = _page_text(handle, count)
    # Most pages map text positions one to one onto characters; others need PDFium's mapping.
    lines = list(_lines(handle, text, height, identity=len(text) == count))
    odd = len(_ODD_CHARS.findall(text))
    result = Page(
        number=number,
        width=float(width),
        height=float(height),
        rotation=int(page.get_rotation()),
        lines=lines,
        char_count=count,
        object_count=int(pdfium_c.FPDFPage_CountObjects(page)),
        odd_chars=odd,
        figures=_figures(page, float(height)),
    )
    _order_columns(result)
    return result


# (left, bottom, right, top) in PDF coordinates, as PDFium gives boxes; (a, b, c, d, e, f)
# maps (x, y) to (a x + c y + e, b x + d y + f), as in PDF's `cm` operator.
_Rect = tuple[float, float, float, float]
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_NOTHING: _Rect = (0.0, 0.0, -1.0, -1.0)
_INVISIBLE_MODES = (pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_c.FPDF_TEXTRENDERMODE_CLIP)
_MAX_WALKED_OBJECTS = 50_000  # beyond that, text inside forms is taken as unclipped
_MAX_FORM_DEPTH = 32


@dataclass(slots=True)
class _Visibility:
    """Where a page's text objects can show: its visible area and the clips they are drawn in.

    A text object inside a form XObject (an included PDF figure) has its clip path and
    coordinates in the form's space, and is cut off too by the clips in force where the form
    is drawn; the walk over the forms records, for each text object inside one, the matrix
    to the page and the clip of its enclosing forms. Objects at the top level of the page need
    no record. The clip of a text object's own path is computed only when a character asks.
    """

    area: _Rect
    nested: dict[int, tuple[_Matrix, _Rect]]
    clips: dict[int, _Rect | None] = field(default_factory=dict)

    @classmethod
    def of(cls, page: Any) -> _Visibility:
        box = pdfium_c.FS_RECTF()
        if pdfium_c.FPDF_GetPageBoundingBox(page, box):
            area = (box.left, box.bottom, box.right, box.top)
        else:
            width = float(pdfium_c.FPDF_GetPageWidthF(page))
            area = (0.0, 0.0, width, float(pdfium_c.FPDF_GetPageHeightF(page)))
        visibility = cls(area=area, nested={})
        count = int(pdfium_c.FPDFPage_CountObjects(page))
        budget = [_MAX_WALKED_OBJECTS]
        for index in range(min(count, _MAX_WALKED_OBJECTS)):
            item = pdfium_c.FPDFPage_GetObject(page, index)
            if pdfium_c.FPDFPageObj_GetType(item) == pdfium_c.FPDF_PAGEOBJ_FORM:
                visibility._walk_form(item, _IDENTITY, area, budget, 0)
        return visibility

    def clip_of(self, item: Any) -> _Rect | None:
        """The part of the page where text object `item` can show; None if it never does."""
        key = ctypes.cast(item, ctypes.c_void_p).value or 0
        if key in self.clips:
            return self.clips[key]
        if pdfium_c.FPDFTextObj_GetTextRenderMode(item) in _INVISIBLE_MODES:
            clip: _Rect | None = None
        else:
            matrix, outer = self.nested.get(key, (_IDENTITY, self.area))
            clip = _intersect(outer, _clip_box(item, matrix))
            if clip[0] >= clip[2] or clip[1] >= clip[3]:
                clip = None  # no area is left to show it
        self.clips[key] = clip
        return clip

    def _walk_form(
        self, form: Any, outer: _Matrix, clip: _Rect, budget: list[int], depth: int
    ) -> None:
        # The form object's own clip is the one in force where it is drawn, in its
        # container's space; its matrix takes what it contains into that space.
        clip = _intersect(clip, _clip_box(form, outer))
        raw = pdfium_c.FS_MATRIX()
        if not pdfium_c.FPDFPageObj_GetMatrix(form, raw):
            return
        matrix = _compose((raw.a, raw.b, raw.c, raw.d, raw.e, raw.f), outer)
        count = int(pdfium_c.FPDFFormObj_CountObjects(form))
        for index in range(count):
            if budget[0] <= 0:
                return
            budget[0] -= 1
            item = pdfium_c.FPDFFormObj_GetObject(form, index)
            kind = pdfium_c.FPDFPageObj_GetType(item)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                key = ctypes.cast(item, ctypes.c_void_p).value or 0
                self.nested[key] = (matrix, clip)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
                self._walk_form(item, matrix, clip, budget, depth + 1)


def _clip_box(item: Any, matrix: _Matrix) -> _Rect:
    """The bounding box, on the page, of the clip path `item` is drawn in (all of its paths)."""
    clip = pdfium_c.FPDFPageObj_GetClipPath(item)
    unbounded = (float("-inf"), float("-inf"), float("inf"), float("inf"))
    if not clip:
        return unbounded
    result = unbounded
    x, y = ctypes.c_float(), ctypes.c_float()
    for path in range(max(int(pdfium_c.FPDFClipPath_CountPaths(clip)), 0)):
        count = int(pdfium_c.FPDFClipPath_CountPathSegments(clip, path))
        if count == 0:
            return _NOTHING  # an empty clip path shows nothing
        xs, ys = [], []
        for index in range(count):
            segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, index)
            if segment and pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                xs.append(x.value)
                ys.append(y.value)
        if xs:
            box = _transform_box((min(xs), min(ys), max(xs), max(ys)), matrix)
            result = _intersect(result, box)
    return result


def _intersect(a: _Rect, b: _Rect) -> _Rect:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _compose(inner: _Matrix, outer: _Matrix) -> _Matrix:
    """The matrix that applies `inner`, then `outer`."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _transform_box(box: _Rect, matrix: _Matrix) -> _Rect:
    if matrix == _IDENTITY:
        return box
    a, b, c, d, e, f = matrix
    corners = [(box[0], box[1]), (box[0], box[3]), (box[2], box[1]), (box[2], box[3])]
    xs = [a * x + c * y + e for x, y in corners]
    ys = [b * x + d * y + f for x, y in corners]
    return (min(xs), min(ys), max(xs), max(ys))


_FIGURE_TYPES = (pdfium_c.FPDF_PAGEOBJ_IMAGE,)  # forms report their bbox, not what shows
_MAX_FIGURE_OBJECTS = 1500  # a page drawn from thousands of objects (a plot) is not searched


def _figures(page: pdfium.PdfPage, height: float) -> list[tuple[float, float, float, float]]:
    count = int(pdfium_c.FPDFPage_CountObjects(page))
    if count > _MAX_FIGURE_OBJECTS:
        return []
    boxes = []
    left, bottom = ctypes.c_float(), ctypes.c_float()
    right, top = ctypes.c_float(), ctypes.c_float()
    # Bound once: a text-heavy page has hundreds of objects, each asked for its type.
    get_object, get_type = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType
    handle = page.raw
    for index in range(count):
        item = get_object(handle, index)
        if get_type(item) not in _FIGURE_TYPES:
            continue
        if pdfium_c.FPDFPageObj_GetBounds(item, left, bottom, right, top):
            boxes.append((left.value, height - top.value, right.value, height - bottom.value))
    return boxes


def _lines(
    textpage: TextPageHandle, text: str, page_height: float, identity: bool
) -> Iterator[Line]:
    def char_index(text_index: int) -> int:
        if identity:
            return text_index
        return int(pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, text_index))

    position = 0
    for raw_line in text.split("\r\n"):
        start = position
        position += len(raw_line) + 2
        stripped = raw_line.strip()
        if not stripped:
            continue
        lead = len(raw_line) - len(raw_line.lstrip())
        line_text = stripped
        begin = start + lead
        end = begin + len(line_text) - 1

        first = char_index(begin)
        last = char_index(end)
        if first < 0 or last < 0:
            continue

        # A line number or page number beside the text: drop it when a wide gap separates it.
        margin_number = ""
        margin_number_x = 0.0
        # Most lines neither start nor end with a digit: the search is skipped for them.
        match = _LEADING_NUMBER.match(line_text) if line_text[0].isdigit() else None
        if match:
            after = char_index(begin + match.end())
            number_end = char_index(begin + len(match.group(1)) - 1)
            if after >= 0 and number_end >= 0:
                number_right = _char_box(textpage, number_end)[2]
                gap = _char_box(textpage, after)[0] - number_right
                if gap > _MARGIN_GAP_PT:
                    margin_number = match.group(1)
                    margin_number_x = number_right
                    line_text = line_text[match.end() :]
                    begin += match.end()
                    first = after
        match = _TRAILING_NUMBER.search(line_text) if line_text[-1].isdigit() else None
        if match:
            number_start = char_index(begin + match.start(1))
            before = char_index(begin + match.start() - 1)
            if number_start >= 0 and before >= 0:
                number_left = _char_box(textpage, number_start)[0]
                gap = number_left - _char_box(textpage, before)[2]
                if gap > _MARGIN_GAP_PT:
                    if not margin_number:
                        margin_number, margin_number_x = match.group(1), number_left
                    line_text = line_text[: match.start()]
                    last = before

        left, bottom_a, _, top_a = _char_box(textpage, first)
        _, bottom_b, right, top_b = _char_box(textpage, last)
        yield Line(
            text=line_text,
            x0=left,
            top=page_height - max(top_a, top_b),
            x1=max(right, left),
            bottom=page_height - min(bottom_a, bottom_b),
            size=round(float(pdfium_c.FPDFText_GetFontSize(textpage, first)), 2),
            first_char=first,
            margin_number=margin_number,
            margin_number_x=margin_number_x,
        )


def _order_columns(page: Page) -> None:
    """Mark two-column pages and put their lines in reading order, column by column."""
    if len(page.lines) < 12:
        page.lines.sort(key=lambda line: (round(line.top), line.x0))
        return
    left_edge = min(line.x0 for line in page.lines)
    right_edge = max(line.x1 for line in page.lines)
    middle = (left_edge + right_edge) / 2
    left = [line for line in page.lines if line.x1 < middle + 4]
    right = [line for line in page.lines if line.x0 > middle - 4]
    wide_left = [line for line in left if line.x1 - line.x0 > (middle - left_edge) * 0.6]
    wide_right = [line for line in right if line.x1 - line.x0 > (right_edge - middle) * 0.6]
    spanning = len(page.lines) - len(left) - len(right)
    # A figure or table set beside the text also fills both halves; real columns are long
    # and are crossed by few full-width lines (title block, wide figures).
    if min(len(wide_left), len(wide_right)) < 8 or spanning > min(len(left), len(right)):
        page.lines.sort(key=lambda line: (round(line.top), line.x0))
        return
    page.two_column = True
    column_top = min(line.top for line in wide_left + wide_right)
    ordered: list[tuple[tuple[int, float, float], Line]] = []
    for line in page.lines:
        if line.x1 < middle + 4:
            column: int | None = 0
        elif line.x0 > middle - 4:
            column = 1
        else:
            column = None
        # Full-width lines above the columns (title block) come first, others last.
        group = (0 if line.top < column_top else 3) if column is None else 1 + column
        ordered.append(((group, line.top, line.x0), replace(line, column=column)))
    ordered.sort(key=lambda item: item[0])
    page.lines = [line for _, line in ordered]
