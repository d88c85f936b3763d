"""Report formats for continuous integration and for reading in a browser.

`render_github` (GitHub Actions annotations), `render_junit` (JUnit XML for CI test views) and
`render_html` (one self-contained page with thumbnails of the papers' pages) each take a
`Report` and return its text, as `render_text` and `render_json` in `proceedings.report` do.
"""

from __future__ import annotations

from proceedings.reports.github import render_github
from proceedings.reports.html import render_html
from proceedings.reports.junit import render_junit

__all__ = ["render_github", "render_html", "render_junit"]
