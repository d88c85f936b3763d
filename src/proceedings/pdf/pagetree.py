"""The pages of a PDF as qpdf reads them, which is how the build copies them into the volume.

PDFium (the checks) and qpdf (the build) repair damaged page trees differently: a loop in the
tree, or a page object qpdf refuses (nested too deep), gives one reader pages the other does
not see. Comparing the two counts tells the author before the volume is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf


@dataclass(frozen=True)
class QpdfPages:
    count: int | None  # None when qpdf cannot list the pages at all
    problem: str | None = None  # why not, in qpdf's words


def qpdf_pages(path: Path) -> QpdfPages:
    """How many pages qpdf finds in `path`; never raises."""
    try:
        with pikepdf.Pdf.open(path, access_mode=pikepdf.AccessMode.stream) as pdf:
            return QpdfPages(len(pdf.pages))
    except pikepdf.PasswordError:
        return QpdfPages(None, "it needs a password")
    except (pikepdf.PdfError, OSError, ValueError, RecursionError) as error:
        # qpdf's message starts with the file's path and the object: keep the reason.
        reason = str(error).rsplit("): ", 1)[-1] if "): " in str(error) else str(error)
        return QpdfPages(None, reason)
