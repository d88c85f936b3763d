"""`volume.pdf`: the front matter, then every archival paper stamped with its volume page.

pikepdf (qpdf) reads each paper and serializes its objects; `pdf_writer` writes them out paper
by paper, so a volume of 2,000 papers needs no more memory than one. The stamps come from one
small pdfLaTeX run (a page per number, fonts embedded). Where a page prints the paper's own
page number (`printed_numbers` finds it in the text layer), exactly that number's box is
covered with white and the stamp set in its place, so a page shows one number; other pages
are stamped at the bottom right, beside any footer text rather than on it. The covered
number stays in the page's text layer, under the stamp. Front-matter pages are
labelled i, ii, ...; paper pages 1, 2, ... as the table of contents and the PMLR page ranges
count them. Each paper gets a bookmark. Links inside a paper keep working: its named
destinations are copied into the volume under names prefixed with the paper's key, since every
LaTeX paper has a `page.1`.

Every value read from a paper is type-checked, and one of the wrong type is taken as a PDF
reader takes it: a destination that is not a page is no link target, a `/Parent` that is not
a dictionary has nothing to inherit, a box that is not four numbers is US Letter (PDFium's
default), resources that are not a dictionary are none. A paper that cannot be copied even so
is one `VolumeError` naming it, and `copy_problem` makes the same copy, written nowhere, so that
`check` reports what would stop the build.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf

from proceedings.build.pdf_writer import PdfWriter, SourceCopy, array, text_string
from proceedings.build.printed_numbers import Box, Footer, printed_numbers

if TYPE_CHECKING:  # `check` makes the build's copy of each paper (`copy_problem_of`) and
    # needs neither LaTeX nor the plan
    from proceedings.build.plan import Plan

# Where the stamp's baseline stands: this far above the bottom edge, and where its right end
# stands: this far in from the right edge.
STAMP_BOTTOM_PT = 24.0
STAMP_RIGHT_PT = 72.0
STAMP_HEIGHT_PT = 14.0
STAMP_DEPTH_PT = 4.0  # the baseline's height in each piece

# A piece per page, each page exactly as wide as its piece: the label, then the digits 0-9.
# A stamp is the label and the digits of its number set side by side, so one small LaTeX run
# serves a volume of any size, and every piece is stored once in volume.pdf.
_STAMPS = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{mathptmx}
\pdfinfoomitdate=1 \pdftrailerid{}
\hoffset=-1in \voffset=-1in
\def\piece#1{\setbox0\hbox{\footnotesize #1}%%
  \ifdim\wd0<0.1pt \setbox0\hbox to 0.1pt{}\fi
  \pdfpagewidth=\wd0 \pdfpageheight=%(height)gbp
  \shipout\vbox to %(height)gbp{\vss\box0\kern%(depth)gbp}}
\begin{document}
\piece{%(label)s}\piece{0}\piece{1}\piece{2}\piece{3}\piece{4}\piece{5}\piece{6}\piece{7}%%
\piece{8}\piece{9}
\end{document}
"""


def stamp_sheet(label: str = "", scratch: Path | None = None) -> bytes:
    """The pieces page stamps are set from: `label` (LaTeX), then each digit, a page each.

    LaTeX works in a folder inside `scratch` (the build's temporary folder) when given."""
    source = _STAMPS % {"label": label, "height": STAMP_HEIGHT_PT, "depth": STAMP_DEPTH_PT}
    from proceedings.build.latex import run_latex

    return run_latex(source, engine="pdflatex", scratch=scratch)


class VolumeError(Exception):
    """A paper's PDF cannot be copied into the volume; the message names the paper and file,
    `reason` says why in the reader's words."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


def assemble_volume(
    plan: Plan,
    frontmatter: Path | Callable[[], Path] | None,
    out: Path,
    stamps_pdf: bytes | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write `out`: the front matter (if any) and the archival papers, stamped and marked.

    `progress` hears (papers copied, papers in all) after each paper.

    `stamps_pdf` is `stamp_sheet(label)`, made here (without a label) when not given. The papers
    are opened one at a time and written out as they are read (see `pdf_writer`), so memory
    does not grow with the volume. They are written before the front matter (a PDF's page
    order is its page tree's, not the file's), so `frontmatter` may be a function that waits
    for it to be typeset while the papers are copied.
    """
    # Imported here: `check` copies papers with this module (`copy_problem`), and needs no
    # front matter.
    from proceedings.build.frontmatter import DESTINATION_PREFIX, paper_destination

    with open(out, "wb", buffering=1 << 20) as handle:
        writer = PdfWriter(handle)
        catalog, page_tree = writer.reserve(), writer.reserve()
        volume = _Volume(writer, page_tree)
        if plan.archival:
            sheet = stamps_pdf if stamps_pdf is not None else stamp_sheet()
            with pikepdf.Pdf.open(io.BytesIO(sheet)) as sheet_pdf:
                volume.stamper = _Stamper(writer, sheet_pdf)
        papers: list[int] = []
        bookmarks: list[Bookmark] = []  # the front matter, then a bookmark a track
        tracks: dict[str, Bookmark] = {}
        for done, item in enumerate(plan.archival, start=1):
            assert item.paper.pdf is not None
            shown = f"paper {item.paper.id}: {item.paper.pdf_shown}"
            numbers = volume.add(item.paper.pdf, item.key, pages=item.pages, shown=shown)
            track = tracks.get(item.track.id)
            if track is None:
                track = tracks[item.track.id] = Bookmark(item.track.title, numbers[0])
                bookmarks.append(track)
            track.children.append(Bookmark(f"{item.paper.title} ({item.page_range})", numbers[0]))
            papers += numbers
            # The contents of the front matter link here (`frontmatter.paper_destination`).
            start = writer.reserve()
            writer.write(start, b"[ %d 0 R /Fit ]" % numbers[0])
            volume.destinations[paper_destination(item.key)] = start
            if progress is not None:
                progress(done, len(plan.archival))
        volume.stamper = None  # the front matter is numbered i, ii, ... by its own pages
        front: list[int] = []
        path = frontmatter() if callable(frontmatter) else frontmatter
        if path is not None:
            front = volume.add(path, "front", external=DESTINATION_PREFIX)
            bookmarks.insert(0, Bookmark("Front matter", front[0]))
        kids = front + papers
        entries = [b"/Type /Catalog", b"/Pages %d 0 R" % page_tree]
        writer.write(
            page_tree,
            b"<< /Type /Pages /Count %d /Kids %s >>"
            % (len(kids), array(b"%d 0 R" % kid for kid in kids)),
        )
        entries.append(b"/PageLabels " + _page_labels(len(front), len(kids)))
        if bookmarks:
            entries.append(b"/Outlines %d 0 R" % _write_outline(writer, bookmarks))
        if volume.destinations:
            tree = _write_name_tree(writer, volume.destinations)
            entries.append(b"/Names << /Dests %d 0 R >>" % tree)
        writer.write(catalog, b"<< " + b" ".join(entries) + b" >>")
        info = writer.reserve()
        title = str(plan.volume.proceedings.get("booktitle", "Proceedings"))
        writer.write(info, b"<< /Title " + text_string(title) + b" >>")
        writer.finish(catalog, info)
    return out


class _Volume:
    """The volume as it is written: the papers' named destinations so far."""

    def __init__(self, writer: PdfWriter, page_tree: int) -> None:
        self.writer = writer
        self.page_tree = page_tree
        self.destinations: dict[str, int] = {}  # new name, number of its destination
        self.stamper: _Stamper | None = None
        # Whether stamps take the place of the papers' own printed page numbers (the build's
        # copy); `copy_problem` copies without reading the text.
        self.replace_numbers = True

    def add(
        self,
        path: Path,
        prefix: str,
        pages: int | None = None,
        external: str | None = None,
        shown: str | None = None,
    ) -> list[int]:
        """Copy every page of `path`, stamped if there is a stamper, and its destinations.

        Destinations named with the `external` prefix are the volume's: links to them are
        kept as they are, and the file's own stand-ins for them are left behind.
        Returns the output numbers of its pages. `pages` is the count the plan numbered the
        volume with; a file that qpdf reads with another count would shift every later
        stamp, so it stops the build. Whatever stops the copy is a `VolumeError` whose
        message starts with `shown` (the path by default).
        """
        shown = shown or str(path)
        footers: list[Footer] = []
        if self.stamper is not None and self.replace_numbers:
            footers = printed_numbers(path)  # read by PDFium, before qpdf opens the file
        try:
            # Read as a stream, not mapped: the next paper is opened only after this one closes.
            with pikepdf.Pdf.open(path, access_mode=pikepdf.AccessMode.stream) as source:
                found = len(source.pages)
                if pages is not None and found != pages:
                    raise VolumeError(
                        f"{shown}: its page tree is damaged: it counts {pages} pages one way "
                        f"and {found} another; rewrite it (`qpdf {path.name} fixed.pdf`) and "
                        "check that every page is there"
                    )
                if found == 0:
                    raise VolumeError(f"{shown}: has no pages", "it has no pages")
                return self._copy(source, prefix, external, footers)
        except VolumeError:
            raise
        # Any failure of the reader on a damaged file, whatever qpdf or pikepdf calls it
        # (a C++ `std::bad_cast` arrives as a RuntimeError), means the same to a person.
        except Exception as error:  # noqa: BLE001
            reason = _reason(error, path)
            raise VolumeError(
                f"{shown}: cannot be copied into the volume ({reason}); export it again, or "
                f"rewrite it (`qpdf {path.name} fixed.pdf`) and check every page",
                reason,
            ) from None

    def _copy(
        self, source: pikepdf.Pdf, prefix: str, external: str | None, footers: list[Footer]
    ) -> list[int]:
        destinations = _rename_destinations(source, prefix, external)
        # Pages point at a stand-in for their parent, which becomes the volume's page tree;
        # the source's own catalog and page tree stay behind.
        parent = source.make_indirect(pikepdf.Dictionary())
        fixed: dict[tuple[int, int], int | None] = {parent.objgen: self.page_tree}
        fixed[source.Root.objgen] = None
        tree = source.Root.get("/Pages")
        if isinstance(tree, pikepdf.Dictionary) and tree.is_indirect:
            fixed[tree.objgen] = None
        stamping = None
        if self.stamper is not None:
            stamping = self.stamper.prepare(source, fixed)
        pages = [page.obj for page in source.pages]
        for item in pages:
            for key in _INHERITED:  # what the page takes from its parents must come along
                if key not in item:
                    value = _inherited(item, key)
                    if value is not None:
                        item[key] = value
            _repair_page(item)
            item.Parent = parent
        copy = SourceCopy(self.writer, source, fixed)
        # Numbered before anything is written, so links to a page find its new number.
        numbers = [copy.number(item) for item in pages]
        if stamping is not None and self.stamper is not None:
            # PDFium and qpdf agree on the page count (checked above), unless PDFium could not
            # read the file at all: then there are no footers and every stamp goes as before.
            if len(footers) != len(pages):
                footers = []
            for index, item in enumerate(pages):
                footer = footers[index] if footers else None
                self.stamper.stamp(source, item, stamping, footer)
        copy.drain()
        for name, destination in destinations.items():
            self.destinations[name] = copy.number(destination)
        copy.drain()
        return numbers


_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
# PDFium's page when its /MediaBox is missing, empty or not a rectangle.
LETTER = (0.0, 0.0, 612.0, 792.0)


def _inherited(item: pikepdf.Object, key: str) -> object:
    node = item.get("/Parent")
    for _ in range(64):  # a page tree deeper than this is broken (or a loop)
        if not isinstance(node, pikepdf.Dictionary):  # no parent, or not a node: nothing
            return None
        if key in node:
            return node.get(key)
        node = node.get("/Parent")
    return None


def _repair_page(page: pikepdf.Object) -> None:
    """Values of the wrong type replaced as PDFium reads them, so the copy shows what was
    checked: the media box US Letter, the crop box the media box, the rotation a multiple
    of 90 degrees or none, resources and contents that are not what they must be, none.

    qpdf sets a /MediaBox that is not a rectangle to US Letter itself as it lists the pages,
    before this sees it; PDFium reads an entry that is not a number as 0, so the two differ
    on a box whose lower-left corner alone is not numbers."""
    _repair_box(page, "/MediaBox", LETTER)
    if "/CropBox" in page:
        _repair_box(page, "/CropBox", None)
    if "/Rotate" in page:
        rotate = _number(page.get("/Rotate"))
        if rotate is None:
            del page["/Rotate"]
        elif rotate % 90:
            page.Rotate = int(rotate / 90) * 90  # PDFium divides as integers
    if "/Resources" in page and not isinstance(page.get("/Resources"), pikepdf.Dictionary):
        page.Resources = pikepdf.Dictionary()
    contents = page.get("/Contents")
    if isinstance(contents, pikepdf.Array):
        streams = [part for part in contents if isinstance(part, pikepdf.Stream)]
        if len(streams) != len(contents):
            page.Contents = pikepdf.Array(streams)
    elif "/Contents" in page and not isinstance(contents, pikepdf.Stream):
        del page["/Contents"]
    annotations = page.get("/Annots")
    if isinstance(annotations, pikepdf.Array):
        kept = [item for item in annotations if isinstance(item, pikepdf.Dictionary)]
        if len(kept) != len(annotations):
            page.Annots = pikepdf.Array(kept)
    elif "/Annots" in page:
        del page["/Annots"]


def _number(value: object) -> float | None:
    """`value` as a finite number, or None (pikepdf hands numbers over as int or Decimal)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _box(value: object) -> tuple[float, float, float, float] | None:
    """A rectangle as PDFium takes one: an array of four entries, any that is not a number
    read as 0, its corners in either order; None when it is not one, or has no area."""
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    x0, y0, x1, y1 = (_number(item) or 0.0 for item in value)
    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return box if box[2] > box[0] and box[3] > box[1] else None


def _repair_box(page: pikepdf.Object, key: str, default: tuple[float, ...] | None) -> None:
    """The page's box `key` as PDFium reads it: `default` (None: no box) when it is not a
    rectangle, written as numbers when some entry is not one."""
    value = page.get(key)
    box = _box(value)
    if box is None:
        if default is not None:
            page[key] = pikepdf.Array(default)
        elif key in page:
            del page[key]
    elif any(_number(item) is None for item in value):  # type: ignore[union-attr]
        page[key] = pikepdf.Array(box)


def _reason(error: BaseException, path: Path) -> str:
    """The reader's reason, without the file and object qpdf starts its messages with."""
    text = str(error).strip() or type(error).__name__
    if text.startswith(str(path)):  # `file.pdf: reason`, `file.pdf (object 12 0): reason`
        rest = text[len(str(path)) :]
        if rest.startswith(": "):
            text = rest[2:]
        elif rest.startswith(" (") and "): " in rest:
            text = rest.split("): ", 1)[1]
    if not isinstance(error, (pikepdf.PdfError, OSError)):
        text = f"{type(error).__name__}: {text}"
    return text.splitlines()[0][:300]


def copy_problem(path: Path) -> str | None:
    """Why the build could not copy `path` into a volume, or None if it could.

    The copy is the build's own (its pages stamped, its destinations renamed, every object
    it reaches serialized), written nowhere, so `check` finds what would stop the build.
    """
    writer = PdfWriter(Discard())
    volume = _Volume(writer, writer.reserve())
    volume.stamper = _Stamper(writer, _blank_sheet())
    volume.replace_numbers = False
    try:
        volume.add(path, "paper")
    except VolumeError as error:
        return error.reason
    return None


def copy_problem_of(source: pikepdf.Pdf, path: Path) -> str | None:
    """`copy_problem` of `path` already open as `source` (whose pages qpdf lists), so `check`
    opens each paper once; the copy changes `source`'s objects, so it is the last use."""
    writer = PdfWriter(Discard())
    volume = _Volume(writer, writer.reserve())
    volume.stamper = _Stamper(writer, _blank_sheet())
    volume.replace_numbers = False  # the pages' own numbers matter to the volume, not here
    try:
        volume._copy(source, "paper", None, [])
    except VolumeError as error:
        return error.reason
    except Exception as error:  # noqa: BLE001 - as `_Volume.add` takes any reader failure
        return _reason(error, path)
    return None


class Discard:
    """A binary file that keeps nothing."""

    def write(self, data: bytes) -> int:
        return len(data)


def _blank_sheet() -> pikepdf.Pdf:
    """A stamp sheet of empty pieces, as `stamp_sheet` lays them out, without LaTeX."""
    sheet = pikepdf.new()
    for _ in range(11):
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=pikepdf.Array([0, 0, 5, STAMP_HEIGHT_PT]),
            Resources=pikepdf.Dictionary(),
            Contents=sheet.make_stream(b""),
        )
        sheet.pages.append(pikepdf.Page(page))
    return sheet


class _Stamper:
    """Stamps volume page `n` with the label and the digits of `n`, each a form XObject.

    The pieces are written once; each paper refers to them through stand-in objects, and
    each page gets a few bytes of drawing instructions.
    """

    def __init__(self, writer: PdfWriter, sheet: pikepdf.Pdf) -> None:
        copy = SourceCopy(writer, sheet, {})
        self.forms: list[int] = []  # output numbers: the label, then digits 0-9
        self.widths: list[float] = []
        for page in sheet.pages:
            box = [float(value) for value in page.mediabox]
            contents = page.Contents
            form = pikepdf.Stream(sheet, contents.read_raw_bytes())  # as pdfLaTeX packed it
            form.Type = pikepdf.Name.XObject
            form.Subtype = pikepdf.Name.Form
            form.BBox = box
            form.Resources = page.Resources
            if "/Filter" in contents:
                form.Filter = contents.Filter
            self.forms.append(copy.number(sheet.make_indirect(form)))
            self.widths.append(box[2] - box[0])
        copy.drain()
        if len(self.forms) != 11:
            raise ValueError(f"the stamp sheet has {len(self.forms)} pieces instead of 11")
        self.next = 1

    def prepare(self, source: pikepdf.Pdf, fixed: dict[tuple[int, int], int | None]) -> _Stamping:
        """Stand-ins in `source` for the pieces, and the names pages call them by."""
        pieces = pikepdf.Dictionary()
        for index, number in enumerate(self.forms):
            stand_in = source.make_indirect(pikepdf.Dictionary())
            fixed[stand_in.objgen] = number
            pieces[_PIECES[index]] = stand_in
        save_state = source.make_indirect(pikepdf.Stream(source, b"q\n"))
        return _Stamping(pieces, save_state)

    def stamp(
        self,
        source: pikepdf.Pdf,
        page: pikepdf.Object,
        stamping: _Stamping,
        footer: Footer | None = None,
    ) -> None:
        """Stamp the next volume number on `page`: in place of the paper's own printed
        number when `footer` found one (its box covered with white first), else at the
        bottom right, moved beside the footer's text when that would cover it."""
        number = self.next
        self.next += 1
        if not isinstance(page.get("/Resources"), pikepdf.Dictionary):
            page.Resources = pikepdf.Dictionary()
        resources = page.Resources
        if not isinstance(resources.get("/XObject"), pikepdf.Dictionary):
            resources.XObject = pikepdf.Dictionary()  # one of another type names nothing
        xobjects = resources.XObject
        for name, form in stamping.pieces.items():
            xobjects[name] = form
        box = _box(page.get("/MediaBox")) or LETTER
        pieces = [0, *(1 + int(digit) for digit in str(number))]
        width = sum(self.widths[piece] for piece in pieces)
        draws = []
        printed = footer.number if footer is not None else None
        if printed is not None:
            x0, y0, x1, y1 = printed.box
            # The page's background is taken to be white, as a paper's is.
            draws.append(f"q 1 g {x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f} re f Q")
            x = (x0 + x1 - width) / 2
            y = printed.baseline - STAMP_DEPTH_PT
        else:
            x = box[2] - STAMP_RIGHT_PT - width
            y = box[1] + STAMP_BOTTOM_PT - STAMP_DEPTH_PT
            if footer is not None:
                x = _beside(x, y, width, footer.text_boxes, box)
        for piece in pieces:
            draws.append(f"q 1 0 0 1 {x:.3f} {y:.3f} cm {_PIECES[piece]} Do Q")
            x += self.widths[piece]
        draw = ("Q\n" + "\n".join(draws) + "\n").encode()
        contents = page.get("/Contents")
        original = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        parts = [stamping.save_state, *[part for part in original if part is not None]]
        page.Contents = pikepdf.Array([*parts, source.make_indirect(pikepdf.Stream(source, draw))])


STAMP_GAP_PT = 12.0  # between a stamp moved beside a footer and the footer's text


def _beside(
    x: float, y: float, width: float, boxes: list[Box], page: tuple[float, float, float, float]
) -> float:
    """Where a stamp of `width` at (x, y) goes so as to cover none of `boxes`: where it is,
    else left of the text it would cover, else right of it; where it is if neither fits."""
    bottom, top = y, y + STAMP_HEIGHT_PT

    def covers(left: float) -> list[Box]:
        return [
            item
            for item in boxes
            if item[0] < left + width and item[2] > left and item[1] < top and item[3] > bottom
        ]

    hit = covers(x)
    if not hit:
        return x
    left = min(item[0] for item in hit) - STAMP_GAP_PT - width
    if left >= page[0] + STAMP_GAP_PT and not covers(left):
        return left
    right = max(item[2] for item in hit) + STAMP_GAP_PT
    if right + width <= page[2] - STAMP_GAP_PT and not covers(right):
        return right
    return x


# The names pages call the pieces by: unlikely to be in a paper's own resources.
_PIECES = ["/VolumeStampLabel", *[f"/VolumeStampDigit{digit}" for digit in range(10)]]


class _Stamping:
    """The stand-ins one source's stamps share: the pieces and a `q` stream."""

    def __init__(self, pieces: pikepdf.Dictionary, save_state: pikepdf.Object) -> None:
        self.pieces = pieces
        self.save_state = save_state


def _rename_destinations(
    source: pikepdf.Pdf, prefix: str, external: str | None = None
) -> dict[str, pikepdf.Object]:
    """Give the source's named destinations, and the links to them, names of their own.

    Every LaTeX paper has a `page.1`; prefixed with the paper's key, each keeps its own.
    Returns the destinations by their new names, as indirect objects of the source. A
    destination that is not a page of the source is no link target: it is left behind, and
    a link straight to one loses its target (a reader would go nowhere).
    """
    pages = {page.obj.objgen for page in source.pages}
    names: dict[str, pikepdf.Object] = {}
    for name, value in _named_destinations(source).items():
        if external and name.startswith(external):
            continue
        destination = _destination(value, pages)
        if destination is not None:
            names[name] = destination
    for page in source.pages:
        annotations = page.obj.get("/Annots")
        if isinstance(annotations, pikepdf.Array):
            for annotation in annotations:
                if isinstance(annotation, pikepdf.Dictionary):
                    _rename_link(annotation, prefix, names, pages, external)
    return {
        f"{prefix}:{name}": target if target.is_indirect else source.make_indirect(target)
        for name, target in names.items()
    }


def _named_destinations(source: pikepdf.Pdf) -> dict[str, object]:
    """The destinations of the name tree and of the older `/Dests` dictionary, by name,
    whatever their values; parts of the wrong type are skipped."""
    found: dict[str, object] = {}
    root = source.Root
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for name, value in _name_tree(names.get("/Dests")):
            found.setdefault(name, value)
    dests = root.get("/Dests")
    if isinstance(dests, pikepdf.Dictionary):  # the older form: a dictionary keyed by names
        for key, value in dests.items():
            found.setdefault(str(key).lstrip("/"), value)
    # A name of bytes that are not text (pikepdf hands them over with surrogates) cannot be
    # written under a new name; links to it lose their target.
    return {name: value for name, value in found.items() if _is_text(name)}


def _is_text(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


NAME_TREE_DEPTH = 32


def _name_tree(
    node: object, depth: int = 0, seen: set[tuple[int, int]] | None = None
) -> Iterator[tuple[str, object]]:
    """The (name, value) pairs of a name tree, read as readers do: string keys only, each
    node once however often it is referred to, not deeper than `NAME_TREE_DEPTH`."""
    seen = set() if seen is None else seen
    if depth > NAME_TREE_DEPTH or not isinstance(node, pikepdf.Dictionary):
        return
    if node.is_indirect:
        if node.objgen in seen:
            return
        seen.add(node.objgen)
    pairs = node.get("/Names")
    if isinstance(pairs, pikepdf.Array):
        items = list(pairs)
        for key, value in zip(items[0::2], items[1::2], strict=False):
            if isinstance(key, pikepdf.String):
                yield str(key), value
    kids = node.get("/Kids")
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            yield from _name_tree(kid, depth + 1, seen)


def _destination(value: object, pages: set[tuple[int, int]]) -> pikepdf.Array | None:
    """The explicit destination `value` names (an array, or a dictionary's `/D`), if it
    opens a page of the paper; None for anything else."""
    if isinstance(value, pikepdf.Dictionary):
        value = value.get("/D")
    if isinstance(value, pikepdf.Array) and len(value) > 0 and _is_page(value[0], pages):
        return value
    return None


def _is_page(value: object, pages: set[tuple[int, int]]) -> bool:
    return isinstance(value, pikepdf.Dictionary) and value.is_indirect and value.objgen in pages


def _rename_link(
    annotation: pikepdf.Object,
    prefix: str,
    names: dict[str, pikepdf.Object],
    pages: set[tuple[int, int]],
    external: str | None,
) -> None:
    if annotation.get("/Subtype") != pikepdf.Name.Link:
        return
    action = annotation.get("/A")
    for holder, key in ((annotation, "/Dest"), (action, "/D")):
        if not isinstance(holder, pikepdf.Dictionary) or key not in holder:
            continue
        if holder is action and action.get("/S") != pikepdf.Name.GoTo:
            continue
        target = holder.get(key)
        if isinstance(target, (pikepdf.String, pikepdf.Name)):
            name = str(target).lstrip("/") if isinstance(target, pikepdf.Name) else str(target)
            if name in names:
                holder[key] = pikepdf.String(f"{prefix}:{name}")
            elif not (external and name.startswith(external)):
                del holder[key]  # a name the paper does not define: a link to nowhere
        elif not isinstance(target, pikepdf.Array) or not target or not _is_page(target[0], pages):
            del holder[key]  # no destination, or not one of the paper's pages


def _page_labels(front_pages: int, pages: int) -> bytes:
    """Front matter i, ii, ...; the papers 1, 2, ... as the contents and PMLR ranges count."""
    numbers = []
    if front_pages:
        numbers.append(b"0 << /S /r >>")
    if pages > front_pages:
        numbers.append(b"%d << /S /D /St 1 >>" % front_pages)
    return b"<< /Nums " + array(numbers) + b" >>"


@dataclass
class Bookmark:
    """An entry of the volume's outline: its title, the page it opens, its entries."""

    title: str
    page: int  # output number of the page
    children: list[Bookmark] = field(default_factory=list)


def _write_outline(writer: PdfWriter, bookmarks: list[Bookmark]) -> int:
    """The front matter and one bookmark a track, open, each holding its papers'."""
    root = writer.reserve()
    first, last, count = _write_level(writer, bookmarks, root)
    writer.write(
        root, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (first, last, count)
    )
    return root


def _write_level(writer: PdfWriter, bookmarks: list[Bookmark], parent: int) -> tuple[int, int, int]:
    """Write `bookmarks` under `parent`: their first and last numbers and how many entries
    show (all of them: every level is open)."""
    items = [writer.reserve() for _ in bookmarks]
    shown = len(items)
    for index, (bookmark, number) in enumerate(zip(bookmarks, items, strict=True)):
        entries = [b"/Title " + text_string(bookmark.title), b"/Parent %d 0 R" % parent]
        entries.append(b"/Dest [ %d 0 R /Fit ]" % bookmark.page)
        if index > 0:
            entries.append(b"/Prev %d 0 R" % items[index - 1])
        if index + 1 < len(items):
            entries.append(b"/Next %d 0 R" % items[index + 1])
        if bookmark.children:
            first, last, count = _write_level(writer, bookmark.children, number)
            entries.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (first, last, count))
            shown += count
        writer.write(number, b"<< " + b" ".join(entries) + b" >>")
    return items[0], items[-1], shown


NAMES_PER_LEAF = 64


def _write_name_tree(writer: PdfWriter, destinations: dict[str, int]) -> int:
    """A name tree of two levels: leaves of a few dozen names, sorted as PDF strings."""
    encoded = sorted(
        (bytes(pikepdf.String(name)), text_string(name), number)
        for name, number in destinations.items()
    )
    leaves = []
    for start in range(0, len(encoded), NAMES_PER_LEAF):
        chunk = encoded[start : start + NAMES_PER_LEAF]
        leaf = writer.reserve()
        pairs = [b"%s %d 0 R" % (string, number) for _, string, number in chunk]
        limits = array([chunk[0][1], chunk[-1][1]])
        writer.write(leaf, b"<< /Limits " + limits + b" /Names " + array(pairs) + b" >>")
        leaves.append(leaf)
    root = writer.reserve()
    writer.write(root, b"<< /Kids " + array(b"%d 0 R" % leaf for leaf in leaves) + b" >>")
    return root
