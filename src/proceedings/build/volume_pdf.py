"""`volume.pdf`: the front matter, then every archival paper stamped with its volume page.

qpdf (through pikepdf) does the merging: it is an order of magnitude faster than a Python PDF
library on a volume of hundreds of papers. The stamps come from one small pdfLaTeX run (a page
per number, fonts embedded) and are laid over the bottom margin, right of the paper's own
page number so neither hides the other. Front-matter pages are labelled i, ii, ...; paper
pages 1, 2, ... as the table of contents and the PMLR page ranges count them. Each paper gets
a bookmark. Links inside a paper keep working: its named destinations are copied into the
volume under names prefixed with the paper's key, since every LaTeX paper has a `page.1`.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from proceedings.build.latex import run_latex
from proceedings.build.plan import Plan

# Where the stamp's baseline stands: this far above the bottom edge and in from the right.
STAMP_BOTTOM_PT = 24.0
STAMP_RIGHT_PT = 72.0
STAMP_WIDTH_PT = 144.0
STAMP_HEIGHT_PT = 14.0

_STAMPS = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{mathptmx}
\usepackage[paperwidth=%(width)dpt,paperheight=%(height)dpt,margin=0pt]{geometry}
\pagestyle{empty}
\pdfinfoomitdate=1 \pdftrailerid{}
\begin{document}
\count255=%(first)d
\loop
  \noindent\makebox[\linewidth][r]{\footnotesize %(label)s\the\count255}\newpage
  \advance\count255 by 1
\ifnum\count255<%(stop)d\repeat
\end{document}
"""


def stamp_sheet(first: int, last: int, label: str = "") -> bytes:
    """A PDF with one small page per number from `first` to `last`. `label` is LaTeX."""
    source = _STAMPS % {
        "first": first,
        "stop": last + 1,
        "label": label,
        "width": STAMP_WIDTH_PT,
        "height": STAMP_HEIGHT_PT,
    }
    return run_latex(source, engine="pdflatex")


def assemble_volume(
    plan: Plan, frontmatter: Path | None, out: Path, stamps_pdf: bytes | None = None
) -> Path:
    """Write `out`: the front matter (if any) and the archival papers, stamped and marked.

    `stamps_pdf` is `stamp_sheet(1, plan.total_pages)`, made here when not given.
    """
    volume = pikepdf.Pdf.new()
    opened: list[pikepdf.Pdf] = []
    bookmarks: list[tuple[str, int]] = []
    destinations: dict[str, pikepdf.Object] = {}
    kids: list[pikepdf.Object] = []
    try:
        front_pages = 0
        if frontmatter is not None:
            source = _open(frontmatter, opened)
            _rename_destinations(source, "front", destinations)
            _append_pages(volume, source, kids)
            front_pages = len(kids)
            bookmarks.append(("Front matter", 0))
        stamper = None
        if plan.archival:
            sheet = stamps_pdf if stamps_pdf is not None else stamp_sheet(1, plan.total_pages)
            stamper = _Stamper(volume, _open_bytes(sheet, opened))
        start = front_pages
        for item in plan.archival:
            assert item.paper.pdf is not None
            source = _open(item.paper.pdf, opened)
            _rename_destinations(source, item.key, destinations)
            _append_pages(volume, source, kids)
            bookmarks.append((f"{item.paper.title} ({item.page_range})", start))
            start += item.pages
        _page_tree(volume, kids)
        # One pass: indexing the page list is linear in its length, so stamping (or making
        # bookmarks) page by index would make a volume of 20,000 pages quadratic.
        marked = {first for _, first in bookmarks}
        targets: dict[int, pikepdf.Array] = {}
        for index, page in enumerate(volume.pages):
            if index in marked:
                targets[index] = pikepdf.Array([page.obj, pikepdf.Name.Fit])
            if stamper is not None and index >= front_pages:
                stamper.stamp(page, index - front_pages)
        _copy_destinations(volume, destinations)
        _label_pages(volume, front_pages)
        with volume.open_outline() as outline:
            for title, first in bookmarks:
                outline.root.append(pikepdf.OutlineItem(title, targets[first]))
        volume.docinfo["/Title"] = str(plan.volume.proceedings.get("booktitle", "Proceedings"))
        volume.save(out, deterministic_id=True, compress_streams=True)
    finally:
        for pdf in opened:
            pdf.close()
        volume.close()
    return out


_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def _append_pages(volume: pikepdf.Pdf, source: pikepdf.Pdf, kids: list[pikepdf.Object]) -> None:
    """Copy the source's pages into `volume`, to be hung in one page tree by `_page_tree`.

    Copying page objects and building the tree once is five times faster on a large volume
    than adding pages one by one, which updates the page tree every time.
    """
    for page in source.pages:
        item = page.obj
        for key in _INHERITED:  # what the page takes from its parents must come along
            if key not in item:
                value = _inherited(item, key)
                if value is not None:
                    item[key] = value
        kids.append(volume.copy_foreign(item))


def _inherited(item: pikepdf.Object, key: str) -> pikepdf.Object | None:
    node = item.get("/Parent")
    for _ in range(64):  # a page tree deeper than this is broken
        if node is None:
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _page_tree(volume: pikepdf.Pdf, kids: list[pikepdf.Object]) -> None:
    pages = volume.Root.Pages
    for kid in kids:
        kid.Parent = pages
    pages.Kids = pikepdf.Array(kids)
    pages.Count = len(kids)


def _open(path: Path, opened: list[pikepdf.Pdf]) -> pikepdf.Pdf:
    # Read as a stream, not mapped: two thousand mapped PDFs count against the memory limit.
    pdf = pikepdf.Pdf.open(path, access_mode=pikepdf.AccessMode.stream)
    opened.append(pdf)
    return pdf


def _open_bytes(data: bytes, opened: list[pikepdf.Pdf]) -> pikepdf.Pdf:
    pdf = pikepdf.Pdf.open(io.BytesIO(data))
    opened.append(pdf)
    return pdf


class _Stamper:
    """Draws page `n` of the stamp sheet into a volume page, as a form XObject.

    Done by hand rather than with `Page.add_overlay`, which made saving a volume of 2,000
    pages five times slower.
    """

    def __init__(self, volume: pikepdf.Pdf, sheet: pikepdf.Pdf) -> None:
        self.volume = volume
        self.sheet = sheet
        self.resources = volume.copy_foreign(sheet.pages[0].Resources)
        self.box = [float(value) for value in sheet.pages[0].mediabox]
        self.save_state = volume.make_indirect(pikepdf.Stream(volume, b"q\n"))
        # Read in one pass: indexing a page list walks it, which is quadratic over a volume.
        self.contents = [page.Contents.read_bytes() for page in sheet.pages]

    def stamp(self, page: pikepdf.Page, index: int) -> None:
        form = self.volume.make_indirect(
            pikepdf.Stream(
                self.volume,
                self.contents[index],
                Type=pikepdf.Name.XObject,
                Subtype=pikepdf.Name.Form,
                BBox=self.box,
                Resources=self.resources,
            )
        )
        name = f"/VolumeStamp{index + 1}"  # unique, in case pages share a resource dictionary
        resources = page.resources
        if "/XObject" not in resources:
            resources.XObject = pikepdf.Dictionary()
        resources.XObject[name] = form
        box = page.mediabox
        x = float(box[2]) - STAMP_RIGHT_PT - STAMP_WIDTH_PT
        y = float(box[1]) + STAMP_BOTTOM_PT - 4
        draw = f"Q\nq 1 0 0 1 {x:.2f} {y:.2f} cm {name} Do Q\n".encode()
        contents = page.obj.get("/Contents")
        original = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        parts = [self.save_state, *[part for part in original if part is not None]]
        page.obj.Contents = pikepdf.Array(
            [*parts, self.volume.make_indirect(pikepdf.Stream(self.volume, draw))]
        )


def _rename_destinations(
    source: pikepdf.Pdf, prefix: str, destinations: dict[str, pikepdf.Object]
) -> None:
    """Give the source's named destinations, and the links to them, names of their own."""
    names = _named_destinations(source)
    if not names:
        return
    for page in source.pages:
        for annotation in page.obj.get("/Annots", []):
            _rename_link(annotation, prefix, names)
    for name, destination in names.items():
        if isinstance(destination, pikepdf.Dictionary) and "/D" in destination:
            destination = destination.D
        if not destination.is_indirect:  # copy_foreign takes indirect objects only
            destination = source.make_indirect(destination)
        destinations[f"{prefix}:{name}"] = destination


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


def _copy_destinations(volume: pikepdf.Pdf, destinations: dict[str, pikepdf.Object]) -> None:
    if not destinations:
        return
    tree = pikepdf.NameTree.new(volume)
    for name in sorted(destinations):
        # The destination's page was copied with its paper; copy_foreign maps it to that copy.
        tree[name] = volume.copy_foreign(destinations[name])
    volume.Root.Names = pikepdf.Dictionary(Dests=tree.obj)


def _label_pages(volume: pikepdf.Pdf, front_pages: int) -> None:
    numbers: list[object] = []
    if front_pages:
        numbers += [0, pikepdf.Dictionary(S=pikepdf.Name.r)]
    if len(volume.pages) > front_pages:
        numbers += [front_pages, pikepdf.Dictionary(S=pikepdf.Name.D, St=1)]
    if numbers:
        volume.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(numbers))
