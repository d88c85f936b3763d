"""proceedings: check camera-ready papers and assemble a PMLR proceedings volume.

The Python API, which the `proceedings` command wraps:

- `check_paths(paths, options)`: check volume folders, BibTeX files, folders of PDFs and
  PDFs, as `proceedings check` does; `check_volume(folder)` one volume folder. Both return
  a `Report` of `Finding`s; `CheckOptions` sets the venue, the track, the rules and workers.
- `build_volume(folder, out)`: build the PMLR upload, front matter, volume.pdf and site.
- `import_openreview(notes, papers_yaml)`: import an OpenReview export into papers.yaml;
  `import_venue` (proceedings.openreview.run) reads the venue from the API itself.

    >>> from pathlib import Path
    >>> from proceedings import check_paths
    >>> report = check_paths([Path("paper.pdf")])          # doctest: +SKIP
    >>> [finding.code for paper in report.papers for finding in paper.findings]  # +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from proceedings.version import __version__

# Each name is imported when first used, so that `import proceedings` (and with it every
# start of the command) does not load the build or the importer to check one PDF.
_API = {
    "CheckOptions": "proceedings.check",
    "check_paths": "proceedings.check",
    "check_volume": "proceedings.check",
    "check_bib": "proceedings.check",
    "build_volume": "proceedings.build.pipeline",
    "import_openreview": "proceedings.openreview",
    "Report": "proceedings.report",
    "Finding": "proceedings.report",
    "Severity": "proceedings.report",
}

__all__ = [
    "CheckOptions",
    "Finding",
    "Report",
    "Severity",
    "__version__",
    "build_volume",
    "check_bib",
    "check_paths",
    "check_volume",
    "import_openreview",
]

if TYPE_CHECKING:
    from proceedings.build.pipeline import build_volume
    from proceedings.check import CheckOptions, check_bib, check_paths, check_volume
    from proceedings.openreview import import_openreview
    from proceedings.report import Finding, Report, Severity


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'proceedings' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value
    return value
