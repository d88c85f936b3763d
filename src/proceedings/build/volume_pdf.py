"""`volume.pdf`: the front matter, then every archival paper stamped with its volume page.

pikepdf (qpdf) reads each paper and serializes its objects; `pdf_writer` writes them out paper
by paper, so a volume of 2,000 papers needs no more memory than one. The stamps come from one
small pdfLaTeX run (a page per number, fonts embedded) and are laid over the bottom margin,
right of the paper's own page number so neither hides the other. Front-matter pages are
labelled i, ii, ...; paper pages 1, 2, ... as the table of contents and the PMLR page ranges
count them. Each paper gets a bookmark. Links inside a paper keep working: its named
destinations are copied into the volume under names prefixed with the paper's key, since every
LaTeX paper has a `page.1`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pikepdf

from proceedings.build.frontmatter import DESTINATION_PREFIX, paper_destination
from proceedings.build.latex import run_latex
from proceedings.build.pdf_writer import PdfWriter, SourceCopy, array, text_string
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


def stamp_sheet(label: str = "") -> bytes:
    """The pieces page stamps are set from: `label` (LaTeX), then each digit, a page each."""
    source = _STAMPS % {"label": label, "height": STAMP_HEIGHT_PT, "depth": STAMP_DEPTH_PT}
    return run_latex(source, engine="pdflatex")


class VolumeError(Exception):
    """A paper's PDF cannot be copied into the volume; the message names the file."""


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
    with open(out, "wb", buffering=1 << 20) as handle:
        writer = PdfWriter(handle)
        catalog, page_tree = writer.reserve(), writer.reserve()
        volume = _Volume(writer, page_tree)
        if plan.archival:
            sheet = stamps_pdf if stamps_pdf is not None else stamp_sheet()
            with pikepdf.Pdf.open(io.BytesIO(sheet)) as sheet_pdf:
                volume.stamper = _Stamper(writer, sheet_pdf)
        papers: list[int] = []
        bookmarks: list[tuple[str, int]] = []  # title, number of the first page
        for item in plan.archival:
            assert item.paper.pdf is not None
            numbers = volume.add(item.paper.pdf, item.key, pages=item.pages)
            bookmarks.append((f"{item.paper.title} ({item.page_range})", numbers[0]))
            papers += numbers
            # The contents of the front matter link here (`frontmatter.paper_destination`).
            start = writer.reserve()
            writer.write(start, b"[ %d 0 R /Fit ]" % numbers[0])
            volume.destinations[paper_destination(item.key)] = start
            if progress is not None:
                progress(len(bookmarks), len(plan.archival))
        volume.stamper = None  # the front matter is numbered i, ii, ... by its own pages
        front: list[int] = []
        path = frontmatter() if callable(frontmatter) else frontmatter
        if path is not None:
            front = volume.add(path, "front", external=DESTINATION_PREFIX)
            bookmarks.insert(0, ("Front matter", front[0]))
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

    def add(
        self, path: Path, prefix: str, pages: int | None = None, external: str | None = None
    ) -> list[int]:
        """Copy every page of `path`, stamped if there is a stamper, and its destinations.

        Destinations named with the `external` prefix are the volume's: links to them are
        kept as they are, and the file's own stand-ins for them are left behind.
        Returns the output numbers of its pages. `pages` is the count the plan numbered the
        volume with; a file that qpdf reads with another count would shift every later
        stamp, so it stops the build.
        """
        try:
            # Read as a stream, not mapped: the next paper is opened only after this one closes.
            with pikepdf.Pdf.open(path, access_mode=pikepdf.AccessMode.stream) as source:
                found = len(source.pages)
                if pages is not None and found != pages:
                    raise VolumeError(
                        f"{path}: its page tree is damaged: it counts {pages} pages one way and "
                        f"{found} another; rewrite it (`qpdf {path.name} fixed.pdf`) and "
                        "check that every page is there"
                    )
                if found == 0:
                    raise VolumeError(f"{path}: has no pages")
                return self._copy(source, prefix, external)
        except (pikepdf.PdfError, ValueError, RecursionError, OSError) as error:
            raise VolumeError(f"{path}: cannot be copied into the volume: {error}") from None

    def _copy(self, source: pikepdf.Pdf, prefix: str, external: str | None) -> list[int]:
        destinations = _rename_destinations(source, prefix, external)
        # Pages point at a stand-in for their parent, which becomes the volume's page tree;
        # the source's own catalog and page tree stay behind.
        parent = source.make_indirect(pikepdf.Dictionary())
        fixed: dict[tuple[int, int], int | None] = {parent.objgen: self.page_tree}
        fixed[source.Root.objgen] = None
        if source.Root.get("/Pages") is not None and source.Root.Pages.is_indirect:
            fixed[source.Root.Pages.objgen] = None
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
            item.Parent = parent
        copy = SourceCopy(self.writer, source, fixed)
        # Numbered before anything is written, so links to a page find its new number.
        numbers = [copy.number(item) for item in pages]
        if stamping is not None and self.stamper is not None:
            for item in pages:
                self.stamper.stamp(source, item, stamping)
        copy.drain()
        for name, destination in destinations.items():
            self.destinations[name] = copy.number(destination)
        copy.drain()
        return numbers


_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def _inherited(item: pikepdf.Object, key: str) -> pikepdf.Object | None:
    node = item.get("/Parent")
    for _ in range(64):  # a page tree deeper than this is broken
        if node is None:
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


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

    def stamp(self, source: pikepdf.Pdf, page: pikepdf.Object, stamping: _Stamping) -> None:
        number = self.next
        self.next += 1
        resources = page.get("/Resources")
        if resources is None:
            resources = page.Resources = pikepdf.Dictionary()
        if "/XObject" not in resources:
            resources.XObject = pikepdf.Dictionary()
        for name, form in stamping.pieces.items():
            resources.XObject[name] = form
        box = page.get("/MediaBox") or pikepdf.Array([0, 0, 612, 792])
        x = float(box[2]) - STAMP_RIGHT_PT
        y = float(box[1]) + STAMP_BOTTOM_PT - STAMP_DEPTH_PT
        draws = []
        for digit in reversed(str(number)):  # from the right edge leftwards
            x -= self.widths[1 + int(digit)]
            draws.append(f"q 1 0 0 1 {x:.3f} {y:.3f} cm {_PIECES[1 + int(digit)]} Do Q")
        x -= self.widths[0]
        draws.append(f"q 1 0 0 1 {x:.3f} {y:.3f} cm {_PIECES[0]} Do Q")
        draw = ("Q\n" + "\n".join(reversed(draws)) + "\n").encode()
        contents = page.get("/Contents")
        original = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        parts = [stamping.save_state, *[part for part in original if part is not None]]
        page.Contents = pikepdf.Array([*parts, source.make_indirect(pikepdf.Stream(source, draw))])


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
    Returns the destinations by their new names, as indirect objects of the source.
    """
    names = _named_destinations(source)
    if external:
        names = {name: value for name, value in names.items() if not name.startswith(external)}
    renamed: dict[str, pikepdf.Object] = {}
    if not names:
        return renamed
    for page in source.pages:
        for annotation in page.obj.get("/Annots", []):
            _rename_link(annotation, prefix, names)
    for name, destination in names.items():
        if isinstance(destination, pikepdf.Dictionary) and "/D" in destination:
            destination = destination.D
        if not destination.is_indirect:
            destination = source.make_indirect(destination)
        renamed[f"{prefix}:{name}"] = destination
    return renamed


def _named_destinations(source: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    found: dict[str, pikepdf.Object] = {}
    root = source.Root
    if "/Names" in root and "/Dests" in root.Names:
        for name, value in pikepdf.NameTree(root.Names.Dests).items():
            found[str(name)] = value
    if "/Dests" in root:  # the older form: a dictionary keyed by names
        for name, value in root.Dests.items():
            found[str(name).lstrip("/")] = value
    return found


def _rename_link(annotation: pikepdf.Object, prefix: str, names: dict[str, pikepdf.Object]) -> None:
    if annotation.get("/Subtype") != pikepdf.Name.Link:
        return
    action = annotation.get("/A")
    for holder, key in ((annotation, "/Dest"), (action, "/D")):
        if holder is None or key not in holder:
            continue
        if holder is action and action.get("/S") != pikepdf.Name.GoTo:
            continue
        target = holder[key]
        if isinstance(target, (pikepdf.String, pikepdf.Name)):
            name = str(target).lstrip("/") if isinstance(target, pikepdf.Name) else str(target)
            if name in names:
                holder[key] = pikepdf.String(f"{prefix}:{name}")


def _page_labels(front_pages: int, pages: int) -> bytes:
    """Front matter i, ii, ...; the papers 1, 2, ... as the contents and PMLR ranges count."""
    numbers = []
    if front_pages:
        numbers.append(b"0 << /S /r >>")
    if pages > front_pages:
        numbers.append(b"%d << /S /D /St 1 >>" % front_pages)
    return b"<< /Nums " + array(numbers) + b" >>"


def _write_outline(writer: PdfWriter, bookmarks: list[tuple[str, int]]) -> int:
    """One bookmark per paper (and the front matter), each opening its first page."""
    root = writer.reserve()
    items = [writer.reserve() for _ in bookmarks]
    for index, ((title, page), number) in enumerate(zip(bookmarks, items, strict=True)):
        entries = [b"/Title " + text_string(title), b"/Parent %d 0 R" % root]
        entries.append(b"/Dest [ %d 0 R /Fit ]" % page)
        if index > 0:
            entries.append(b"/Prev %d 0 R" % items[index - 1])
        if index + 1 < len(items):
            entries.append(b"/Next %d 0 R" % items[index + 1])
        writer.write(number, b"<< " + b" ".join(entries) + b" >>")
    writer.write(
        root,
        b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
        % (items[0], items[-1], len(items)),
    )
    return root


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
