"""The report as one self-contained HTML page, to read in a browser or attach to a CI run.

A summary and a table of the papers at the top; then the metadata and BibTeX files with their
findings by `file:line`; then each paper with its measure against the limit and its pages as
small thumbnails: a line across the page where the main text ends, the part that does not
count shaded, a red bar after the last page the limit allows, and each finding beside the page
it concerns. Findings without a page are listed under the pages.

Everything is in the one file: styles inline, thumbnails as PNG `data:` URIs (encoded here
with the standard library), no script, font or image fetched from anywhere. All text goes
through Jinja2's autoescaping.

Thumbnails are drawn in worker processes under the time and memory limits `check` gives a
paper (a page can take pdfium minutes or gigabytes), each page at most `THUMB_WIDTH` by
`THUMB_MAX_HEIGHT` pixels: a page narrower or wider than that allows (a box 0.2 pt wide would
be drawn 300,000 pixels tall) is left out with a note instead of scaled to fit.
"""

from __future__ import annotations

import base64
import math
import os
import struct
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pypdfium2 as pdfium

from proceedings.parallel import Limits, Pool
from proceedings.report import (
    FileReport,
    Finding,
    PaperReport,
    Report,
    Severity,
    Status,
    describe_position,
    format_number,
)
from proceedings.version import __version__
from proceedings.wording import counted

THUMB_WIDTH = 80  # CSS and image pixels: 3-4 kB a page as PNG
FIRST_PAGES = 12  # pages shown of each paper, besides the one where the main text ends
# Four times a page's width: room for any real page and its landscape turn, and at most
# 80 x 320 = 25,600 pixels however small or large the page box is.
THUMB_MAX_HEIGHT = 4 * THUMB_WIDTH
# What `proceedings check` allows one paper (cli.MEMORY_LIMIT and its default --timeout).
THUMBNAIL_LIMITS = Limits(seconds=60.0, memory_bytes=1 << 30)

# Where the text block stands on the page, as fractions of the page's height: the ICLR style's
# body box, y from 62 to 710 pt on a 792 pt US Letter page (see DESIGN.md). The report gives
# `body_end.fraction` of the text block, not of the page; placing the line with these fractions
# is an approximation that holds for papers in the venue's style and is near enough for others.
_TEXT_TOP = (792 - 710) / 792
_TEXT_HEIGHT = (710 - 62) / 792

_STATUS_LABELS = {Status.PASS: "pass", Status.FAIL: "fail", Status.ERROR: "unreadable"}
_RANK = {Status.ERROR: 0, Status.FAIL: 1, Status.PASS: 2}


@dataclass
class _Note:
    """A finding as the page shows it, with its hint (said once per rule and section)."""

    finding: Finding
    where: str
    hint: str

    @property
    def level(self) -> str:
        return self.finding.severity.value


@dataclass
class _Page:
    number: int
    image: str | None = None  # a data: URI
    hidden_before: int = 0  # pages left out between the previous page shown and this one
    body_end_at: float | None = None  # % of the page's height where the main text ends
    not_counted_from: float | None = None  # % from where the page does not count (100: none)
    limit_at: float | None = None  # % of the height where a fractional limit falls
    limit_after: bool = False  # the limit falls after this page
    notes: list[_Note] = field(default_factory=list)


@dataclass
class _Paper:
    report: PaperReport
    anchor: str
    status: str
    measure: str
    limit: str
    body_pages: str | None
    over: bool
    meter: dict[str, float] | None
    pages: list[_Page]
    hidden_after: int
    notes: list[_Note]
    thumbnails_note: str | None


@dataclass
class _Thumbnails:
    """What a worker drew of one paper: data URIs by page number, and a note on what not."""

    images: dict[int, str] = field(default_factory=dict)
    note: str | None = None


@dataclass
class _File:
    report: FileReport
    anchor: str
    status: str
    notes: list[_Note]


def render_html(report: Report) -> str:
    """The page's HTML. PDFs are read from each paper's `file`, as a path from here."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("proceedings", "templates/report"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    shown = [_pages_shown(paper) if not paper.unreadable else [] for paper in report.papers]
    drawn = _draw_all(
        [(Path(paper.file), pages) for paper, pages in zip(report.papers, shown, strict=True)]
    )
    # Problems first (unreadable, failed, then passed), each group in the report's order.
    papers = sorted(
        (
            _paper(paper, f"paper-{index}", pages, thumbnails)
            for index, (paper, pages, thumbnails) in enumerate(
                zip(report.papers, shown, drawn, strict=True), 1
            )
        ),
        key=lambda paper: _RANK[paper.report.status],
    )
    files = [_file(item, f"file-{index}") for index, item in enumerate(report.files, 1)]
    counts = {status: 0 for status in Status}
    for paper in report.papers:
        counts[paper.status] += 1
    return environment.get_template("report.html.j2").render(
        tool=f"proceedings {__version__}",
        papers=papers,
        files=files,
        passed=counts[Status.PASS],
        failed=counts[Status.FAIL],
        unreadable=counts[Status.ERROR],
        errors=report.errors,
        warnings=report.warnings,
        files_failed=sum(1 for item in report.files if item.status is not Status.PASS),
        severity=Severity,
        thumb_width=THUMB_WIDTH,
    )


def _file(item: FileReport, anchor: str) -> _File:
    name = Path(item.file).name
    notes = _notes(item.findings, lambda finding: _file_where(finding, name))
    return _File(item, anchor, _STATUS_LABELS[item.status], notes)


def _file_where(finding: Finding, name: str) -> str:
    if finding.file is not None:
        return finding.where
    return f"{name}:{finding.line}" if finding.line is not None else name


def _paper(paper: PaperReport, anchor: str, shown: list[int], thumbnails: _Thumbnails) -> _Paper:
    total = paper.pages_total or 0
    images = thumbnails.images
    thumbnails_note = thumbnails.note
    by_page: dict[int, list[Finding]] = {}
    loose: list[Finding] = []
    for finding in paper.findings:
        if finding.page is not None and finding.page in shown:
            by_page.setdefault(finding.page, []).append(finding)
        else:
            loose.append(finding)
    hinted: set[tuple[str, str]] = set()
    pages = []
    previous = 0
    for number in shown:
        page = _Page(number, images.get(number), hidden_before=number - previous - 1)
        _mark(page, paper)
        page.notes = _notes(by_page.get(number, []), lambda _: "", hinted)
        pages.append(page)
        previous = number
    over = paper.body_pages is not None and paper.body_pages > paper.page_limit + 0.005
    return _Paper(
        report=paper,
        anchor=anchor,
        status=_STATUS_LABELS[paper.status],
        measure=_measure(paper),
        limit=str(format_number(paper.page_limit)),
        body_pages=None if paper.body_pages is None else f"{paper.body_pages:.2f}",
        over=over,
        meter=_meter(paper),
        pages=pages,
        hidden_after=max(0, total - previous) if shown else 0,
        notes=_notes(loose, lambda finding: finding.where, hinted),
        thumbnails_note=thumbnails_note,
    )


def _pages_shown(paper: PaperReport) -> list[int]:
    """The first pages, the page where the main text ends and the pages with findings."""
    total = paper.pages_total or 0
    numbers = set(range(1, min(total, FIRST_PAGES) + 1))
    if paper.body_end is not None:
        numbers.add(paper.body_end.page)
    numbers.update(finding.page for finding in paper.findings if finding.page is not None)
    return sorted(number for number in numbers if 1 <= number <= total)


def _mark(page: _Page, paper: PaperReport) -> None:
    """The body-end line, the shade over what does not count, and the limit on `page`."""
    end = paper.body_end
    if end is not None:
        if page.number == end.page:
            page.body_end_at = _on_page(end.fraction)
            page.not_counted_from = page.body_end_at
        elif page.number > end.page:
            page.not_counted_from = 0.0
    limit = float(paper.page_limit)
    whole = math.floor(limit)
    if limit == whole:
        page.limit_after = page.number == whole
    elif page.number == whole + 1:
        page.limit_at = _on_page(limit - whole)


def _on_page(fraction: float) -> float:
    """A fraction of the text block as a percentage of the page's height."""
    return round(100 * (_TEXT_TOP + max(0.0, min(1.0, fraction)) * _TEXT_HEIGHT), 1)


def _measure(paper: PaperReport) -> str:
    limit = f"{paper.track} track, limit {format_number(paper.page_limit)}"
    if paper.unreadable:
        return f"Not read ({limit})."
    total = paper.pages_total
    pages = f"{counted(total or 0, 'page')} in all"
    if paper.body_end is not None:
        where = describe_position(paper.body_end.page, paper.body_end.fraction)
        return f"{paper.body_end.heading} starts {where}; {pages}; {limit}."
    if paper.body_pages is not None:
        return f"No end of the main text found, so the whole PDF counts; {pages}; {limit}."
    return f"The main text could not be measured; {pages}; {limit}."


def _meter(paper: PaperReport) -> dict[str, float] | None:
    """Positions in % of a bar a little longer than the limit (or the main text, if longer):
    the main text within the limit, the part of it over the limit, and the limit."""
    if paper.body_pages is None:
        return None
    limit = float(paper.page_limit)
    scale = 1.1 * max(limit, paper.body_pages)
    within = min(paper.body_pages, limit)
    return {
        "within": round(100 * within / scale, 1),
        "over": round(100 * (paper.body_pages - within) / scale, 1),
        "limit": round(100 * limit / scale, 1),
    }


def _notes(
    findings: Iterable[Finding],
    where: Callable[[Finding], str],
    hinted: set[tuple[str, str]] | None = None,
) -> list[_Note]:
    hinted = set() if hinted is None else hinted
    notes = []
    for finding in findings:
        hint = ""
        if finding.hint and (finding.code, finding.hint) not in hinted:
            hinted.add((finding.code, finding.hint))
            hint = finding.hint
        notes.append(_Note(finding, where(finding), hint))
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(notes, key=lambda note: order[note.finding.severity])


def _draw_all(items: Sequence[tuple[Path, list[int]]]) -> list[_Thumbnails]:
    """The thumbnails of each (PDF, pages) item, drawn in workers under THUMBNAIL_LIMITS."""
    wanted = [index for index, (_, numbers) in enumerate(items) if numbers]
    drawn = [_Thumbnails() for _ in items]
    if not wanted:
        return drawn
    pool: Pool[tuple[Path, list[int]], _Thumbnails] = Pool(
        work=_draw,
        on_timeout=lambda item, seconds, step: _Thumbnails(
            note=f"The pages are not shown: drawing them took more than {seconds:g} s."
        ),
        on_crash=lambda item, why: _Thumbnails(note=f"The pages cannot be shown: {why}."),
        jobs=min(os.cpu_count() or 1, len(wanted)),
        limits=THUMBNAIL_LIMITS,
    )
    for index, result in zip(wanted, pool.map([items[index] for index in wanted]), strict=True):
        drawn[index] = result
    return drawn


def _draw(item: tuple[Path, list[int]]) -> _Thumbnails:
    path, numbers = item
    try:
        return _thumbnails(path, numbers)
    except MemoryError:
        return _Thumbnails(note="The pages cannot be shown: drawing them needed too much memory.")
    except Exception as error:  # noqa: BLE001 - a picture that fails must not cost the report
        return _Thumbnails(note=f"The pages cannot be shown: {error or type(error).__name__}")


def _thumbnail_size(width: float, height: float) -> tuple[float, int] | None:
    """The scale and pixel height of a page `width` x `height` pt drawn `THUMB_WIDTH` wide;
    None when it would be under a pixel or over `THUMB_MAX_HEIGHT` tall."""
    if not (math.isfinite(width) and math.isfinite(height)) or width <= 0 or height <= 0:
        return None
    scale = THUMB_WIDTH / width
    pixels = height * scale
    if not 1 <= pixels <= THUMB_MAX_HEIGHT:
        return None
    return scale, round(pixels)


def _thumbnails(path: Path, numbers: Sequence[int]) -> _Thumbnails:
    """PNG data URIs of pages `numbers` (1-based) of the PDF at `path`, `THUMB_WIDTH` wide,
    and a note naming the pages whose shape leaves no thumbnail to draw."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        images = {}
        odd: list[str] = []
        for number in numbers:
            if number > len(pdf):
                continue
            page = pdf[number - 1]
            try:
                width, height = page.get_size()
                size = _thumbnail_size(width, height)
                if size is None:
                    odd.append(f"{number} ({width:.4g} x {height:.4g} pt)")
                    continue
                bitmap = page.render(scale=size[0], rev_byteorder=True)
                data = _png(
                    bytes(bitmap.buffer),
                    int(bitmap.width),
                    int(bitmap.height),
                    int(bitmap.stride),
                    int(bitmap.n_channels),
                )
            finally:
                page.close()
            images[number] = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        note = None
        if odd:
            pages = "Page " if len(odd) == 1 else "Pages "
            note = (
                f"{pages}{', '.join(odd)} {'is' if len(odd) == 1 else 'are'} too narrow or "
                "too wide to show as a thumbnail."
            )
        return _Thumbnails(images, note)
    finally:
        pdf.close()


def _png(pixels: bytes, width: int, height: int, stride: int, channels: int) -> bytes:
    """A PNG of an RGB (or grey) bitmap; grey when no pixel has a colour, to keep it small."""
    rows = [pixels[y * stride : y * stride + width * channels] for y in range(height)]
    if channels == 4:  # RGBx or RGBA: drop the fourth byte
        trimmed = []
        for row in rows:
            pixels_of_row = bytearray(row)
            del pixels_of_row[3::4]
            trimmed.append(bytes(pixels_of_row))
        rows, channels = trimmed, 3
    if channels == 3:
        flat = b"".join(rows)
        if flat[0::3] == flat[1::3] == flat[2::3]:
            rows = [row[0::3] for row in rows]
            channels = 1
    color_type = {1: 0, 3: 2}[channels]
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on each row
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
