"""`site/` as a reader's browser gets it, copied alone to another folder: every link resolves
inside it (or goes to OpenReview or PMLR), each paper links its PDF, supplementary material
and BibTeX entry, math is MathML and no LaTeX source shows."""

from __future__ import annotations

import datetime
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from proceedings.build.pipeline import build_volume
from proceedings.build.plan import plan_volume
from proceedings.build.site import pmlr_page, rich_text
from proceedings.volume import load_volume

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"


class Page(HTMLParser):
    """The links of a page and its text outside `<math>`, by element class."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self.meta: list[str] = []
        self._math = 0
        self._in_meta = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(str(values[name]))
        if tag == "math":
            self._math += 1
        if tag == "div" and values.get("class") == "meta":
            self._in_meta = 1
            self.meta.append("")
        elif self._in_meta:
            self._in_meta += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "math":
            self._math -= 1
        if self._in_meta:
            self._in_meta -= 1

    def handle_data(self, data: str) -> None:
        if not self._math:
            self.text.append(data)
        if self._in_meta:
            self.meta[-1] += data


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("site")
    build_volume(EXAMPLE, base / "build", only=("site",), check_papers=False)
    moved = base / "elsewhere" / "site"
    shutil.copytree(base / "build" / "site", moved)
    shutil.rmtree(base / "build")  # nothing the pages link may be left behind
    return moved


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_link_of_the_copied_site_resolves_inside_it(site: Path) -> None:
    for html in site.glob("*.html"):
        page = parse(html)
        assert page.links
        for link in page.links:
            if link.startswith("https://"):
                assert re.match(r"https://(openreview\.net|proceedings\.mlr\.press)/", link)
                continue
            assert "../" not in link and not link.startswith("/"), link
            target = (site / link.split("#")[0]).resolve()
            assert target.is_file() and site.resolve() in target.parents, link


def test_each_archival_paper_links_its_pdf_supplementary_and_bibtex(site: Path) -> None:
    volume, _ = load_volume(EXAMPLE)
    plan = plan_volume(volume)
    links = set(parse(site / "index.html").links)
    for item in plan.archival:
        pdf = site / "papers" / f"{item.key}.pdf"
        assert f"papers/{item.key}.pdf" in links
        assert item.paper.pdf is not None
        assert pdf.read_bytes() == item.paper.pdf.read_bytes()
        bib = (site / "papers" / f"{item.key}.bib").read_text(encoding="utf-8")
        assert bib.startswith(f"@InProceedings{{{item.key},")
        assert f"pages = {{{item.first_page}--{item.last_page}}}" in bib
        assert f"papers/{item.key}.bib" in links
        if item.paper.supplementary is not None:
            assert any(link.startswith(f"papers/{item.key}-supp.") for link in links)
    for paper in [*[item.paper for item in plan.archival], *plan.non_archival]:
        if paper.openreview:
            assert f"https://openreview.net/forum?id={paper.openreview}" in links


def test_no_latex_source_and_no_stray_separator_is_shown(site: Path) -> None:
    page = parse(site / "index.html")
    text = "".join(page.text)
    assert "$" not in text
    assert not re.search(r"\\[A-Za-z]+", text)
    html = (site / "index.html").read_text(encoding="utf-8")
    assert html.count("<math") >= 2  # the example's abstracts hold formulas
    assert "<mo>&#x000D7;</mo>" in html or "<mo>×</mo>" in html  # `\times`
    for meta in page.meta:
        parts = [part.strip() for part in meta.split("·")]
        assert all(parts), meta  # no separator at either end or doubled


def test_the_workshop_date_is_written_as_readers_write_it(site: Path) -> None:
    text = " ".join(parse(site / "index.html").text)
    assert "ICBINB 2026 · Rio de Janeiro, Brazil · April 27, 2026" in " ".join(text.split())
    assert "2026-04-27" not in text


def test_math_and_latex_in_a_title_become_mathml_and_text() -> None:
    html = str(rich_text(r"Learning $\alpha$-divergences in \emph{one} step, for $5 and $10"))
    assert "<math" in html and "<mi>&#x003B1;</mi>" in html
    assert "\\emph" not in html and "one" in html
    assert "$5 and $10" in html  # amounts are not a formula


def test_papers_link_their_pmlr_page_once_the_volume_is_published(tmp_path: Path) -> None:
    volume, _ = load_volume(EXAMPLE)
    plan = plan_volume(volume)
    item = plan.archival[0]
    assert pmlr_page(plan, item) is None  # volume 999 is the placeholder
    real = dict(volume.proceedings, volume=312)
    published = plan.__class__(
        volume=volume.__class__(**{**volume.__dict__, "proceedings": real}),
        archival=plan.archival,
        non_archival=plan.non_archival,
    )
    day = datetime.date(2026, 8, 2)
    assert pmlr_page(published, item, day) == f"https://proceedings.mlr.press/v312/{item.key}.html"
    assert pmlr_page(published, item, datetime.date(2026, 7, 1)) is None  # not yet published
