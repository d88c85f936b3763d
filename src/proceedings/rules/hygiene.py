"""Rules about what a published PDF should not carry: restrictions, scripts, attachments, bulk."""

from __future__ import annotations

from collections.abc import Iterator

from proceedings.paper import facts_for
from proceedings.pdf.facts import EmbeddedFile
from proceedings.report import Severity
from proceedings.rules import CheckedPaper, Violation, rule
from proceedings.wording import counted

# Largest PDF accepted, in bytes (50 MB, counted in binary megabytes).
MAX_FILE_SIZE = 50 * 1024 * 1024
_MB = 1024 * 1024
# A message names at most this many places or files, then says how many more there are.
MAX_NAMED = 6


@rule(
    "HYG001",
    "encrypted",
    Severity.WARNING,
    fix="Save a copy without security settings: `qpdf --decrypt paper.pdf out.pdf`, or export "
    "again with no password or permissions set, and upload that.",
)
def encrypted(paper: CheckedPaper) -> Iterator[Violation]:
    """The PDF is encrypted and restricts what may be done with it.

    ## What it catches
    A PDF that opens without a password but is encrypted with permissions that forbid
    printing, changing, copying, commenting or assembling pages: the "restrict editing" or
    "security" settings of Acrobat, Word and some online converters, or `qpdf --encrypt`.

    ## Why it matters
    PMLR and the volume builder must read, merge and stamp the file; a tool that honours the
    permissions refuses to, and readers may be unable to print or quote the paper.

    ## Known problems
    A PDF that needs a password to open is reported by PDF001 instead. Encryption without any
    restriction is not reported.

    ## Example
    A PDF encrypted with printing and changes forbidden:

        warning HYG001 the PDF is encrypted (AES-128) and forbids printing, modifying, adding
        comments or filling forms, assembling pages; PMLR may not be able to process it

    ## How to fix
    Save an unencrypted copy (`qpdf --decrypt paper.pdf out.pdf`), or export again with no
    security settings.
    """
    facts = facts_for(paper)
    if not facts.encrypted or facts.needs_password or not facts.restrictions:
        return
    cipher = f" ({facts.encryption})" if facts.encryption else ""
    forbidden = ", ".join(facts.restrictions)
    yield Violation(
        f"the PDF is encrypted{cipher} and forbids {forbidden}; PMLR may not be able to process it"
    )


@rule(
    "HYG002",
    "javascript",
    Severity.ERROR,
    fix="Remove the interactive parts (form fields and buttons, `animate`, `media9`, `ocgx` "
    "and other packages that add scripts) and compile again.",
)
def javascript(paper: CheckedPaper) -> Iterator[Violation]:
    """The PDF contains JavaScript.

    ## What it catches
    JavaScript anywhere a viewer runs it: document-level scripts (`/Names/JavaScript`), the
    action run when the document opens (`/OpenAction`), triggers on the document, a page, a
    link or a form field (`/AA`), and JavaScript actions of links and buttons. LaTeX packages
    that add such scripts include hyperref's form fields, `animate`, `media9` and `insdljs`.

    ## Why it matters
    Archives and publishers do not publish active content: it is a security risk to readers,
    it is blocked by many viewers and mail filters, and PDF/A (the archival format) forbids
    it. PMLR may reject or strip the file.

    ## Known problems
    A script is reported where it is attached, whatever it does; an empty script is reported
    too.

    ## Example
    A form field that runs a script:

        error HYG002 page 2 the PDF contains JavaScript: on page 2 (a form field)

    ## How to fix
    Remove form fields, buttons and animations (or use a static version), and compile again.
    """
    facts = facts_for(paper)
    if not facts.javascript:
        return
    places = [script.where for script in facts.javascript]
    shown = ", ".join(places[:MAX_NAMED])
    more = f" and {len(places) - MAX_NAMED} more places" if len(places) > MAX_NAMED else ""
    pages = [script.page for script in facts.javascript if script.page is not None]
    yield Violation(
        f"the PDF contains JavaScript: {shown}{more}",
        page=min(pages) if pages else None,
    )


@rule(
    "HYG003",
    "embedded-files",
    Severity.WARNING,
    fix="Remove the attached files from the PDF (`\\attachfile`, `\\embedfile`, "
    "`\\textattachfile`) and submit data or code as supplementary material instead.",
)
def embedded_files(paper: CheckedPaper) -> Iterator[Violation]:
    """The PDF carries embedded files or file attachments.

    ## What it catches
    Files stored inside the PDF: document-level attachments (`/EmbeddedFiles`, written by
    `embedfile`, `qpdf --add-attachment` or a viewer's "attach file") and file-attachment
    annotations on a page (`attachfile`, `attachfile2`, a paper-clip comment).

    ## Why it matters
    PMLR publishes the paper, and supplementary material separately; files hidden inside the
    PDF are not reviewed, bloat the volume, are invisible in many viewers and can carry
    executables or private data.

    ## Known problems
    Embedded files that PDF/A-3 or ZUGFeRD workflows require are reported too.

    ## Example
    Files attached to the document and to a page:

        warning HYG003 page 2 the PDF carries 2 embedded files: notes.txt (attached to the
        document), data.csv (attached on page 2)

    ## How to fix
    Remove the attachments and upload the files as supplementary material.
    """
    facts = facts_for(paper)
    if not facts.embedded_files:
        return
    files = [_describe_file(item) for item in facts.embedded_files]
    shown = ", ".join(files[:MAX_NAMED])
    more = f" and {len(files) - MAX_NAMED} more" if len(files) > MAX_NAMED else ""
    count = len(files)
    pages = [item.page for item in facts.embedded_files if item.page is not None]
    yield Violation(
        f"the PDF carries {counted(count, 'embedded file')}: {shown}{more}",
        page=min(pages) if pages else None,
    )


@rule(
    "HYG004",
    "file-too-large",
    Severity.ERROR,
    fix="Shrink the figures: save plots as vector PDF instead of large bitmaps, downsample "
    "photographs to 300 dpi, or run `gs -o small.pdf -sDEVICE=pdfwrite "
    "-dPDFSETTINGS=/printer paper.pdf`.",
)
def file_too_large(paper: CheckedPaper) -> Iterator[Violation]:
    """The PDF is larger than 50 MB.

    ## What it catches
    A PDF file over the size limit, almost always because of bitmap figures saved at a very
    high resolution, uncompressed images, or scatter plots with millions of vector points.

    ## Why it matters
    Upload forms and PMLR's hosting limit file sizes; readers download every paper of the
    volume, and the volume PDF merges them all.

    ## Example
    A 51 MB PDF:

        error HYG004 the PDF is 51.0 MB; the limit is 50 MB

    ## How to fix
    Save plots as vector PDF (or rasterise dense scatter plots at 300 dpi with matplotlib's
    `rasterized=True`), downsample photographs, or recompress the PDF:
    `gs -o small.pdf -sDEVICE=pdfwrite -dPDFSETTINGS=/printer paper.pdf`.

    ## Options
    The limit is `MAX_FILE_SIZE` in `proceedings.rules.hygiene` (50 MB).
    """
    facts = facts_for(paper)
    if facts.file_size > MAX_FILE_SIZE:
        yield Violation(
            f"the PDF is {facts.file_size / _MB:.1f} MB; the limit is {MAX_FILE_SIZE // _MB} MB"
        )


def _describe_file(item: EmbeddedFile) -> str:
    if item.page is None:
        return f"{item.name} (attached to the document)"
    return f"{item.name} (attached on page {item.page})"
