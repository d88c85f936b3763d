"""`site/`: the workshop's web pages, a folder that can be published as it is.

`index.html` lists every accepted paper by track: title, authors, the abstract folded in
`<details>`, and links to the paper's PDF, its supplementary material and its BibTeX entry,
all copied into `site/papers/`, and to its OpenReview page. Nothing is fetched from elsewhere
(styles inline, no scripts or fonts) and no link leaves the folder but the OpenReview and PMLR
ones, so `site/` works copied anywhere. Math in titles and abstracts (`$12 \\times 12$`) is
MathML, which browsers display natively; other LaTeX in them is read as text.
When the volume is published (its `published` date is past and its number is not the
placeholder 999), each paper also links its page on PMLR.
"""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from latex2mathml.converter import convert
from markupsafe import Markup, escape
from pylatexenc.latex2text import LatexNodes2Text

from proceedings.asciilatex import formulas
from proceedings.build.output import output_path
from proceedings.build.plan import Plan, PlannedPaper
from proceedings.build.pmlr import PmlrError, bib_text, people, supp_name
from proceedings.build.pmlr import _author_from as author_from
from proceedings.volume import Paper, parse_date

PAPERS = "papers"  # the folder of site/ holding the copied files
PLACEHOLDER_VOLUME = 999  # the number a volume uses until PMLR gives it one


@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class _Entry:
    paper: Paper
    title: Markup
    abstract: Markup
    authors: str
    links: list[Link]
    pages: str | None


@dataclass(frozen=True)
class _Section:
    title: str
    anchor: str
    entries: list[_Entry]


def rich_text(text: str) -> Markup:
    """`text` as HTML: its formulas as MathML, the rest read from LaTeX to plain text."""
    parts: list[str] = []
    position = 0
    for formula in formulas(text):
        parts.append(str(escape(_plain(text[position : formula.start]))))
        parts.append(_mathml(formula.body, formula.opening in ("$$", "\\[")))
        position = formula.end
    parts.append(str(escape(_plain(text[position:]))))
    return Markup("".join(parts))


def _plain(text: str) -> str:
    if "\\" not in text and "{" not in text and "~" not in text:
        return text
    try:
        return str(LatexNodes2Text(math_mode="verbatim").latex_to_text(text))
    except Exception:  # noqa: BLE001  a reader's slip in LaTeX: shown as written
        return text


def _mathml(body: str, display: bool) -> str:
    try:
        return str(convert(body, display="block" if display else "inline"))
    except Exception:  # noqa: BLE001  a formula the converter cannot read: its text
        return str(escape(_plain(body)))


def pmlr_page(plan: Plan, item: PlannedPaper, today: datetime.date | None = None) -> str | None:
    """The paper's page on PMLR, once the volume is published there."""
    fields = plan.volume.proceedings
    number = fields.get("volume")
    published = parse_date(fields.get("published"))
    today = today or datetime.date.today()
    if not isinstance(number, int) or number == PLACEHOLDER_VOLUME:
        return None
    if published is None or published > today:
        return None
    return f"https://proceedings.mlr.press/v{number}/{item.key}.html"


def citation(plan: Plan, item: PlannedPaper) -> str:
    """The paper's BibTeX entry for readers to cite, as PMLR's pages give it."""
    fields = plan.volume.proceedings
    paper = item.paper
    where = f"papers.yaml: paper {paper.id}"
    editors = [editor for entry in fields.get("editors") or [] if (editor := author_from(entry))]
    lines = [
        f"@InProceedings{{{item.key},",
        f"  title = {{{bib_text(paper.title, where + ' title')}}},",
        f"  author = {{{people(paper.authors, where + ' authors')}}},",
        f"  booktitle = {{{bib_text(str(fields.get('booktitle', '')), 'volume.yaml booktitle')}}},",
        f"  pages = {{{item.page_range.replace('-', '--')}}},",
        f"  year = {{{fields.get('year', '')}}},",
    ]
    if editors:
        lines.append(f"  editor = {{{people(editors, 'volume.yaml editors')}}},")
    lines += [
        f"  volume = {{{fields.get('volume', '')}}},",
        "  series = {Proceedings of Machine Learning Research},",
        "  publisher = {PMLR},",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("proceedings", "templates/site"),
        autoescape=True,
        keep_trailing_newline=True,
    )


def render_site(
    plan: Plan,
    files: Callable[[PlannedPaper], list[Link]] | None = None,
    program: bool = False,
) -> str:
    """The index's HTML: the same plan always gives the same bytes. `files` gives each
    archival paper's links to the files copied beside the page; `program` whether there is
    a program page to link."""
    sections = []
    for track in plan.volume.tracks:
        entries = []
        for item in plan.archival:
            if item.track.id == track.id:
                links = files(item) if files is not None else []
                page = pmlr_page(plan, item)
                if page is not None:
                    links.append(Link("PMLR", page))
                entries.append(_entry(item.paper, links, item.page_range))
        entries += [
            _entry(paper, [], None) for paper in plan.non_archival if paper.track == track.id
        ]
        if entries:
            sections.append(_Section(track.title, f"track-{track.id}", entries))
    fields = plan.volume.proceedings
    start = parse_date(fields.get("start"))
    when = f"{start:%B} {start.day}, {start.year}" if start else fields.get("start")
    subtitle = " · ".join(
        str(value) for value in (fields.get("shortname"), fields.get("address"), when) if value
    )
    return (
        _environment()
        .get_template("index.html.j2")
        .render(
            title=str(fields.get("booktitle") or fields.get("name") or "Accepted papers"),
            subtitle=subtitle,
            sections=sections,
            program=program,
        )
    )


def _entry(paper: Paper, links: list[Link], pages: str | None) -> _Entry:
    if paper.openreview:
        links = [*links, Link("OpenReview", f"https://openreview.net/forum?id={paper.openreview}")]
    return _Entry(
        paper, rich_text(paper.title), rich_text(paper.abstract), _names(paper), links, pages
    )


def write_site(plan: Plan, out_dir: Path, program: bool = False) -> Path:
    """Write `index.html` and the papers' files into `out_dir`; return the page's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = out_dir / PAPERS
    folder.mkdir(exist_ok=True)
    # The previous build's files go, each by its full path (an error names the file).
    for old in sorted(folder.iterdir()):
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()
    copied: dict[str, list[Link]] = {}
    for item in plan.archival:
        links = []
        assert item.paper.pdf is not None
        shutil.copyfile(item.paper.pdf, output_path(folder, f"{item.key}.pdf"))
        links.append(Link("PDF", f"{PAPERS}/{item.key}.pdf"))
        supplementary = item.paper.supplementary
        if supplementary is not None and supplementary.is_file():
            name = supp_name(item)
            shutil.copyfile(supplementary, output_path(folder, name))
            links.append(Link("Supplementary", f"{PAPERS}/{name}"))
        try:
            entry = citation(plan, item)
        except PmlrError:
            entry = None  # the PMLR upload reports the text it cannot write
        if entry is not None:
            output_path(folder, f"{item.key}.bib").write_text(entry, encoding="utf-8")
            links.append(Link("BibTeX", f"{PAPERS}/{item.key}.bib"))
        copied[item.key] = links
    page = out_dir / "index.html"
    html = render_site(plan, lambda item: list(copied.get(item.key, [])), program)
    page.write_text(html, encoding="utf-8")
    return page


def _names(paper: Paper) -> str:
    return ", ".join(author.name for author in paper.authors)
