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

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: Georgia, "Times New Roman", serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
.sub { color: #555; margin-top: 0; }
h2 { font-size: 1.3rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
article { margin: 1.1rem 0; }
.title { font-weight: bold; }
.authors { font-style: italic; }
.meta { font-size: .9rem; color: #555; }
.tag { font-size: .75rem; border: 1px solid #999; border-radius: 3px; padding: 0 .3rem;
       margin-left: .4rem; color: #555; }
details { font-size: .95rem; margin-top: .2rem; }
summary { cursor: pointer; color: #345; }
a { color: #1a4f8b; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="sub">{{ subtitle }}</p>
{% for section in sections %}
<h2 id="{{ section.anchor }}">{{ section.title }}</h2>
{% for entry in section.entries %}
<article id="paper-{{ entry.paper.id }}">
<div class="title">{{ entry.paper.title }}{% if not entry.paper.archival %}<span class="tag">non-archival</span>{% endif %}</div>
<div class="authors">{{ entry.authors }}</div>
<div class="meta">
{%- if entry.pdf %}<a href="{{ entry.pdf }}">PDF</a>{% endif %}
{%- if entry.pages %} &middot; pages {{ entry.pages }}{% endif %}
{%- if entry.paper.openreview %} &middot; <a href="https://openreview.net/forum?id={{ entry.paper.openreview | urlencode }}">OpenReview</a>{% endif %}
</div>
{% if entry.paper.abstract %}<details><summary>Abstract</summary><p>{{ entry.paper.abstract }}</p></details>{% endif %}
</article>
{% endfor %}
{% endfor %}
</body>
</html>
"""


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
    environment = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
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
    return environment.from_string(_TEMPLATE).render(
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
