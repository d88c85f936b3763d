"""Reports of a check: the model (`model`) and its renderers, one module a format: `text`
for people, `json` for programs, `github` annotations, `junit` XML and an `html` page.

The model and the text and JSON renderers are named here; the other formats are imported
from their modules, as they need more (Jinja2, page thumbnails).
"""

from __future__ import annotations

from proceedings.report.json import render_json
from proceedings.report.model import (
    REPORT_VERSION,
    BodyEndInfo,
    FileReport,
    Finding,
    PaperReport,
    Report,
    Severity,
    Status,
    format_number,
)
from proceedings.report.text import (
    describe_position,
    measure_line,
    render_text,
    summary_line,
    visible,
)

__all__ = [
    "REPORT_VERSION",
    "BodyEndInfo",
    "FileReport",
    "Finding",
    "PaperReport",
    "Report",
    "Severity",
    "Status",
    "describe_position",
    "format_number",
    "measure_line",
    "render_json",
    "render_text",
    "summary_line",
    "visible",
]
