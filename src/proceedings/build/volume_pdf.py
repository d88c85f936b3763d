"""`volume.pdf`: the front matter, then every archival paper stamped with its volume page.

The stamps come from one small pdfLaTeX run (a page per number, fonts embedded) and are
overlaid with pypdf in the bottom margin, right of the paper's own page number so neither
hides the other. Front-matter pages are labelled i, ii, ...; paper pages 1, 2, ... as the
table of contents and the PMLR page ranges count them. Each paper gets a bookmark; the links
inside a paper survive the merge.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.constants import PageLabelStyle

from proceedings.build.latex import run_latex
from proceedings.build.plan import Plan

# Where the stamp's baseline stands: this far above the bottom edge and in from the right.
STAMP_BOTTOM_PT = 28.0
STAMP_RIGHT_PT = 72.0

_STAMPS = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{mathptmx}
\usepackage[paperwidth=72pt,paperheight=14pt,margin=0pt]{geometry}
\pagestyle{empty}
\pdfinfoomitdate=1 \pdftrailerid{}
\begin{document}
\count255=%(first)d
\loop
  \noindent\makebox[72pt][r]{\footnotesize %(label)s\the\count255}\newpage
  \advance\count255 by 1
\ifnum\count255<%(stop)d\repeat
\end{document}
"""


def stamp_sheet(first: int, last: int, label: str = "") -> PdfReader:
    """A PDF with one small page per number from `first` to `last`."""
    source = _STAMPS % {"first": first, "stop": last + 1, "label": label}
    return PdfReader(io.BytesIO(run_latex(source, engine="pdflatex")))


def assemble_volume(plan: Plan, frontmatter: Path | None, out: Path, label: str = "") -> Path:
    """Write `out`: the front matter (if any) and the archival papers, stamped and marked."""
    writer = PdfWriter()
    front_pages = 0
    if frontmatter is not None:
        writer.append(str(frontmatter), import_outline=False)
        front_pages = len(writer.pages)
        writer.add_outline_item(title="Front matter", page_number=0)
    stamps = stamp_sheet(1, plan.total_pages, label) if plan.archival else None
    for item in plan.archival:
        assert item.paper.pdf is not None
        start = len(writer.pages)
        writer.append(str(item.paper.pdf), import_outline=False)
        writer.add_outline_item(title=f"{item.paper.title} ({item.page_range})", page_number=start)
        assert stamps is not None
        for offset in range(item.pages):
            _stamp(writer.pages[start + offset], stamps.pages[item.first_page - 1 + offset])
    if front_pages:
        writer.set_page_label(0, front_pages - 1, style=PageLabelStyle.LOWERCASE_ROMAN)
    if len(writer.pages) > front_pages:
        writer.set_page_label(
            front_pages, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=1
        )
    writer.add_metadata({"/Title": str(plan.volume.proceedings.get("booktitle", "Proceedings"))})
    with out.open("wb") as handle:
        writer.write(handle)
    return out


def _stamp(page: PageObject, stamp: PageObject) -> None:
    box = page.mediabox
    x = float(box.right) - STAMP_RIGHT_PT - float(stamp.mediabox.width)
    y = float(box.bottom) + STAMP_BOTTOM_PT - 4
    page.merge_transformed_page(stamp, Transformation().translate(x, y))
