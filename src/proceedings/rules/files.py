"""Rules about the file itself: can it be opened, and does it carry readable text."""

from __future__ import annotations

from collections.abc import Iterator

from proceedings.paper import facts_for
from proceedings.report import Severity
from proceedings.rules import CheckedPaper, Violation, rule
from proceedings.text_quality import pages_without_text, text_is_garbled
from proceedings.wording import counted, describe_pages


@rule(
    "PDF001",
    "unreadable-pdf",
    Severity.ERROR,
    fix="Export the PDF again from the LaTeX sources (pdfLaTeX) and upload that file.",
    needs_document=False,
)
def unreadable_pdf(paper: CheckedPaper) -> Iterator[Violation]:
    """The file cannot be opened as a PDF.

    ## What it catches
    An empty file, a file that is not a PDF (an HTML error page or a Word document saved with a
    `.pdf` name), a truncated or damaged PDF, a PDF protected by a password, a PDF without
    pages, or a path that is a folder or cannot be read.

    ## Why it matters
    PMLR publishes the file as it is uploaded; a file that does not open is not published. No
    other check can run on it.

    ## Example
    A PDF cut off before its end:

        error PDF001 truncated.pdf is damaged and cannot be opened (unable to find trailer
        dictionary while recovering damaged file)

    ## How to fix
    Compile the paper again and upload the new PDF. Remove any password: PMLR needs a file
    anyone can open.
    """
    if paper.open_error is not None:
        yield Violation(paper.open_error, hint=paper.open_hint)


@rule(
    "PDF002",
    "no-text-layer",
    Severity.WARNING,
    fix="Upload the PDF produced by LaTeX, not a scan or a printout saved as images.",
)
def no_text_layer(paper: CheckedPaper) -> Iterator[Violation]:
    """Pages carry no text layer (scanned or rasterised), so they cannot be read.

    ## What it catches
    Pages that contain only images: a scanned paper, or a PDF "printed" to images; and a PDF
    whose pages are all blank.

    ## Why it matters
    The page limit is measured from the text: where a page has none, the end of the main text
    cannot be found and the count cannot be trusted. Such PDFs are also not searchable or
    accessible once published.

    ## Known problems
    An intentionally empty page (a blank page before an appendix) is not reported unless every
    page is blank; a page that holds only a figure is.

    ## Example
    A scanned paper:

        warning PDF002 page 1 no page has a text layer (a scan or an image-only PDF); the main text
        cannot be measured, so no page-limit verdict is given

    ## How to fix
    Upload the PDF that pdfLaTeX wrote, not a scan or an image export.
    """
    document = paper.document
    assert document is not None
    missing = pages_without_text(document)
    if not any(page.has_text for page in document.pages):
        # Blank pages alone are not reported below, but a PDF of nothing else has no verdict.
        what = "a scan or an image-only PDF" if missing else "every page is blank"
        yield Violation(
            f"no page has a text layer ({what}); "
            "the main text cannot be measured, so no page-limit verdict is given",
            page=missing[0] if missing else 1,
        )
    elif missing:
        yield Violation(
            f"{describe_pages(missing)} {'has' if len(missing) == 1 else 'have'} no text layer; "
            "the page count may be off",
            page=missing[0],
        )


@rule(
    "PDF003",
    "garbled-text",
    Severity.WARNING,
    fix="Use Type 1 or TrueType fonts (pdfLaTeX with T1 fonts, or `pdf.fonttype: 42` in "
    "matplotlib) so the text can be extracted.",
)
def garbled_text(paper: CheckedPaper) -> Iterator[Violation]:
    """The text layer is gibberish: fonts without a Unicode mapping.

    ## What it catches
    PDFs whose fonts (often bitmap Type 3 fonts from old dvips or Ghostscript runs) carry no
    mapping from glyphs to characters, so extracted text is a stream of symbols.

    ## Why it matters
    The end of the main text cannot be found in unreadable text, so no page-limit verdict is
    given; search engines and screen readers cannot read the paper either.

    ## Example
    A paper set in Type 3 fonts without a Unicode map:

        warning PDF003 the text layer cannot be read (fonts without a Unicode mapping); the main
        text cannot be measured, so no page-limit verdict is given

    ## How to fix
    Compile with pdfLaTeX and the standard Type 1 fonts; in figures, embed TrueType fonts.
    """
    document = paper.document
    assert document is not None
    if text_is_garbled(document):
        yield Violation(
            "the text layer cannot be read (fonts without a Unicode mapping); "
            "the main text cannot be measured, so no page-limit verdict is given"
        )


@rule(
    "INT001",
    "internal-error",
    Severity.ERROR,
    fix="Please report it with the PDF (or the message) so it can be fixed.",
    needs_document=False,
)
def internal_error(paper: CheckedPaper) -> Iterator[Violation]:
    """proceedings itself failed on this paper: a bug in proceedings, not in the paper.

    ## What it catches
    An unexpected error inside the checker while reading or checking one paper.

    ## Why it matters
    The paper could not be checked completely; the other papers of the run still are.

    ## Example
    A rule that fails on a paper (here a bug put into PAGE001 to show it):

        error INT001 internal error in rule PAGE001, a bug in proceedings: TypeError: 'NoneType'
        object is not callable at pages.py:62

    ## How to fix
    Report it with the file that caused it. Meanwhile, check the paper by hand.
    """
    if paper.internal_error is not None:
        yield Violation(f"internal error, a bug in proceedings: {paper.internal_error}")


@rule(
    "PDF004",
    "time-limit",
    Severity.ERROR,
    fix="Export the PDF again; the message says what reading was doing when it was stopped. "
    "Raise `--timeout` if the machine is merely slow.",
    needs_document=False,
)
def time_limit(paper: CheckedPaper) -> Iterator[Violation]:
    """Reading the PDF took longer than the time limit, so it was stopped.

    ## What it catches
    A PDF whose reading does not finish within the per-paper time limit: a pathological file
    (a decompression bomb, endless page trees, thousands of damaged objects) or one with
    enormous vector figures. The message names the step reading was in when it was stopped
    (`reading the text layer of page 3`, `reading the fonts, figures and annotations of page
    2 (qpdf)`, `making the build's copy of the pages (qpdf)`), so a slow figure is told apart
    from a damaged structure.

    ## Why it matters
    One such file must not stall the check of a whole volume; PMLR's own processing is likely
    to choke on it too.

    ## Example
    A PDF of 10,000 pages, checked with `--timeout 0.5`:

        error PDF004 blank_10000.pdf took longer than 0.5 s to read and was stopped while reading
        the text layer of page 8618

    ## How to fix
    Export the PDF again. When the step is a page's text layer, rasterise that page's figures
    with millions of vector elements; when it is the structure (qpdf), rewrite the file
    (`qpdf paper.pdf fixed.pdf`) or export it again.

    ## Options
    `--timeout SECONDS` (60 by default).
    """
    return iter(())  # reported by the runner that stopped the worker, never by a rule run


@rule(
    "PDF006",
    "reader-stopped",
    Severity.ERROR,
    fix="Export the PDF again; rasterise or simplify any figure that is enormous when "
    "uncompressed. If the file is an ordinary paper, please report it.",
    needs_document=False,
)
def reader_stopped(paper: CheckedPaper) -> Iterator[Violation]:
    """Reading the PDF needed more memory than a paper is allowed, or crashed the PDF library.

    ## What it catches
    A PDF whose reading exhausts the per-paper memory limit (1 GiB): a "decompression bomb"
    (a few megabytes that inflate to gigabytes), an image of absurd dimensions; or a file so
    damaged that a native PDF library reading it stops (PDFium, which the checks read, or
    qpdf, which the build copies pages with: `PDF005` makes the build's copy here).

    ## Why it matters
    Viewers and PMLR's own processing are likely to fail on the same file; one such paper must
    not take down the check of a whole volume, so its reading is stopped and the others go on.

    ## Known problems
    A crash of the PDF library on a file that is merely unusual is reported here too; the
    message gives the signal or error so it can be told apart.

    ## Example
    A few megabytes that inflate to 4 GiB:

        error PDF006 reading bomb.pdf was stopped: it needed more than the 1 GiB memory limit or
        crashed the PDF library (the worker was killed by signal 6, SIGABRT)

    ## How to fix
    Export the PDF again from LaTeX; flatten or shrink figures that are enormous once
    uncompressed.
    """
    if paper.out_of_memory is not None:
        yield Violation(paper.out_of_memory)


@rule(
    "PDF005",
    "page-count-ambiguous",
    Severity.ERROR,
    fix="Rewrite the file with `qpdf paper.pdf fixed.pdf` (or export it again from LaTeX) and "
    "check that every page is there.",
)
def page_count_ambiguous(paper: CheckedPaper) -> Iterator[Violation]:
    """PDF readers disagree on the file's pages: its page tree or its objects are damaged.

    ## What it catches
    A page tree whose page count (`/Count`) does not match the pages it holds, a tree with a
    loop, or a page another reader refuses, so one reader shows pages another does not.
    Broken merges and hand-edited files do this. The readers compared: PDFium (the checks'
    text) and qpdf (the build; it also reads the fonts and page boxes for the checks). Also a
    file whose pages qpdf lists but the build cannot copy into the volume: the build makes its
    copy here, from the same open and written nowhere, so a file this rule passes is one the
    build takes.

    ## Why it matters
    What a reader shows is not what the checks measured, nor what the volume numbers: the
    contents would give page ranges that do not match the pages in `volume.pdf`, and the build
    stops on such a file.

    ## Known problems
    Values of the wrong type that readers skip (a destination that is not a page, a box that
    is not four numbers) are not reported: the build takes them as PDFium does.

    ## Example
    A page tree whose `/Count` says 1 for its 2 pages:

        error PDF005 the page tree is damaged: PDFium finds 1 page, qpdf (used by the build) 2
        pages; what readers show, what was checked and what the volume would hold differ

    ## How to fix
    Let a repairing tool rewrite the file (`qpdf paper.pdf fixed.pdf` rebuilds the page tree),
    or export it again, then look through it to see that every page is there.
    """
    document = paper.document
    assert document is not None
    shown = len(document.pages)
    # qpdf read the file once, for the facts, its page count and the build's copy.
    qpdf = facts_for(paper).qpdf
    if qpdf is None:
        return  # not opened at all: PDF001 says why
    counts = [f"PDFium finds {counted(shown, 'page')}"]
    if qpdf.count is None:
        counts.append(f"qpdf (used by the build) cannot list them: {qpdf.problem}")
    elif qpdf.count != shown:
        counts.append(f"qpdf (used by the build) {counted(qpdf.count, 'page')}")
    elif qpdf.copy_problem is not None:
        yield Violation(
            f"the file is damaged: PDFium shows {counted(shown, 'page')}, but the build cannot "
            f"copy them into the volume: {qpdf.copy_problem}"
        )
        return
    if len(counts) > 1:
        yield Violation(
            f"the page tree is damaged: {', '.join(counts)}; what readers show, what was "
            "checked and what the volume would hold differ"
        )
