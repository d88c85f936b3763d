"""`site/index.html`: every accepted paper by track, for the workshop's web site.

One self-contained page (styles inline, no scripts or fonts fetched from elsewhere), with
authors, abstracts folded in `<details>`, and links to the PDF and to OpenReview. Archival
papers link to their PDF in the PMLR upload folder; non-archival ones are marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from proceedings.build.plan import Plan
from proceedings.volume import Paper


@dataclass(frozen=True)
class _Entry:
    paper: Paper
    authors: str
    pdf: str | None
    pages: str | None


@dataclass(frozen=True)
class _Section:
    title: str
    anchor: str
    entries: list[_Entry]


def render_site(plan: Plan, pdf_prefix: str = "../pmlr/") -> str:
    """The page's HTML: the same plan always gives the same bytes."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("proceedings", "templates/site"),
        autoescape=True,
        keep_trailing_newline=True,
    )
    sections = []
    for track in plan.volume.tracks:
        entries = [
            _Entry(item.paper, _names(item.paper), f"{pdf_prefix}{item.key}.pdf", item.page_range)
            for item in plan.archival
            if item.track.id == track.id
        ]
        entries += [
            _Entry(paper, _names(paper), None, None)
            for paper in plan.non_archival
            if paper.track == track.id
        ]
        if entries:
            sections.append(_Section(track.title, f"track-{track.id}", entries))
    fields = plan.volume.proceedings
    subtitle = " · ".join(
        str(value)
        for value in (fields.get("shortname"), fields.get("address"), fields.get("start"))
        if value
    )
    return environment.get_template("index.html.j2").render(
        title=str(fields.get("booktitle") or fields.get("name") or "Accepted papers"),
        subtitle=subtitle,
        sections=sections,
    )


def write_site(plan: Plan, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / "index.html"
    page.write_text(render_site(plan), encoding="utf-8")
    return page


def _names(paper: Paper) -> str:
    return ", ".join(author.name for author in paper.authors)
