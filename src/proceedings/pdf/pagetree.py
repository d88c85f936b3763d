"""The pages of a PDF as qpdf reads them, which is how the build copies them into the volume.

PDFium (the checks) and qpdf (the build) repair damaged page trees differently: a loop in the
tree, or a page object qpdf refuses (nested too deep), gives one reader pages the other does
not see. Comparing the two counts tells the author before the volume is built; so does
making the build's own copy of the pages (written nowhere), which stops on what qpdf reads
but cannot copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf


@dataclass(frozen=True)
class QpdfPages:
    count: int | None  # None when qpdf cannot list the pages at all
    problem: str | None = None  # why not, in qpdf's words
    copy_problem: str | None = None  # why the build cannot copy the pages it lists


def qpdf_pages(path: Path) -> QpdfPages:
    """How many pages qpdf finds in `path`, and whether the build can copy them; never
    raises."""
    # Imported here: a check loads the build's modules only when it has a PDF to copy.
    from proceedings.build.volume_pdf import copy_problem

    try:
        with pikepdf.Pdf.open(path, access_mode=pikepdf.AccessMode.stream) as pdf:
            count = len(pdf.pages)
    except pikepdf.PasswordError:
        return QpdfPages(None, "it needs a password")
    # Whatever qpdf or pikepdf raise on a damaged file (a C++ exception arrives as a
    # RuntimeError) means the same: the build cannot read it.
    except Exception as error:  # noqa: BLE001
        # qpdf's message starts with the file's path and the object: keep the reason.
        reason = str(error).rsplit("): ", 1)[-1] if "): " in str(error) else str(error)
        return QpdfPages(None, reason)
    return QpdfPages(count, copy_problem=copy_problem(path) if count else None)
