"""The front matter a reader gets: title page with the editors' affiliations, the copyright
page, the signed preface, the contents with the front matter's own parts, the running head of
a long contents, and the bookmarks of volume.pdf grouped by track.

Read from the built PDFs with PDFium (text) and qpdf (outline)."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
import yaml

from conftest import PAPERS, page_texts
from proceedings.build.pipeline import build_volume
from proceedings.build.plan import plan_volume
from proceedings.volume import load_volume
from volumes import make_volume

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"


def squash(text: str) -> str:
    return " ".join(text.replace("\ufffe", "").replace("-\r\n", "").split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("front") / "build"
    build_volume(EXAMPLE, out, only=("frontmatter", "volume"), check_papers=False)
    return out


@pytest.fixture(scope="module")
def pages(built: Path) -> list[str]:
    return [squash(text) for text in page_texts(built / "frontmatter" / "frontmatter.pdf")]


def test_title_page_names_each_editor_with_the_affiliation(pages: list[str]) -> None:
    volume = yaml.safe_load((EXAMPLE / "volume.yaml").read_text(encoding="utf-8"))
    title = pages[0]
    after = title.split("E D I T E D B Y", 1)[1]  # letter-spaced
    for editor in volume["proceedings"]["editors"]:
        assert f"{editor['name']} {editor['affiliation']}" in after


def test_the_back_of_the_title_page_states_issn_copyright_and_licence(pages: list[str]) -> None:
    back = pages[1]
    assert "Proceedings of Machine Learning Research, Volume 999" in back
    assert "ISSN 2640-3498" in back
    assert "The authors retain the copyright of their papers" in back
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)" in back
    assert "https://creativecommons.org/licenses/by/4.0/" in back


def test_copyright_page_takes_the_volumes_own_text(tmp_path: Path) -> None:
    root = make_volume(tmp_path / "papers", [PAPERS / "tiny_pass.pdf"])
    text = (root / "volume.yaml").read_text(encoding="utf-8")
    text += (
        "frontmatter:\n  copyright:\n    issn: 1234-5678\n"
        "    license: All rights reserved by the authors\n"
    )
    (root / "volume.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "build"
    build_volume(root, out, only=("frontmatter",), check_papers=False)
    back = squash(page_texts(out / "frontmatter" / "frontmatter.pdf")[1])
    assert "ISSN 1234-5678" in back and "2640-3498" not in back
    assert "licence All rights reserved by the authors." in back
    assert "creativecommons" not in back  # a licence of its own has no CC link
    # An editor without an affiliation is printed without one.
    assert "Ada Example" in squash(page_texts(out / "frontmatter" / "frontmatter.pdf")[0])


def test_preface_is_signed_by_its_editors_with_place_and_date(pages: list[str]) -> None:
    preface = next(page for page in pages if page.startswith("Preface"))
    signature = preface.rsplit("contributions.", 1)[1]
    assert (
        signature.split()
        == (
            "Helena Marquardt Tunde Adebayo Yuki Tanaka "
            "Cambridge, Pittsburgh and Tokyo, 15 June 2026 iii"
        ).split()
    )


def test_contents_list_the_front_matters_parts_at_their_pages(pages: list[str]) -> None:
    roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
    contents = next(index for index, page in enumerate(pages) if page.startswith("Contents"))
    entries = re.findall(
        r"(Preface|Organization|Author Index) \.[ .]*\.? ?([ivx]+)", pages[contents]
    )
    assert [name for name, _ in entries] == ["Preface", "Organization", "Author Index"]
    for name, number in entries:
        page = pages[roman.index(number)]
        assert page.startswith(name), (name, number)


def test_a_contents_of_several_pages_has_a_continued_head(tmp_path: Path) -> None:
    root = make_volume(tmp_path / "papers", [PAPERS / "tiny_pass.pdf"] * 40)
    out = tmp_path / "build"
    build_volume(root, out, only=("frontmatter",), check_papers=False)
    pages = [squash(text) for text in page_texts(out / "frontmatter" / "frontmatter.pdf")]
    contents = [index for index, page in enumerate(pages) if "Paper Number" in page]
    contents = [index for index in contents if not pages[index].startswith("Author Index")]
    assert len(contents) >= 2
    assert pages[contents[0]].startswith("Contents") and "continued" not in pages[contents[0]]
    for index in contents[1:]:
        assert pages[index].startswith("Contents (continued)"), pages[index][:60]
    # Only the contents: the author index after it has no such head.
    assert not any("(continued)" in page for page in pages[contents[-1] + 1 :])


def _opened_page(destination: object) -> tuple[int, int]:
    """The page object an outline item's explicit destination (`[page /XYZ ...]`) opens."""
    assert isinstance(destination, pikepdf.Array), destination
    return destination[0].objgen


def test_bookmarks_of_the_volume_are_grouped_by_track(built: Path) -> None:
    volume, _ = load_volume(EXAMPLE)
    plan = plan_volume(volume)
    front = len(page_texts(built / "frontmatter" / "frontmatter.pdf"))
    with pikepdf.Pdf.open(built / "volume.pdf") as pdf:
        page_of = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            tree = [
                (
                    item.title,
                    page_of[_opened_page(item.destination)],
                    [(kid.title, page_of[_opened_page(kid.destination)]) for kid in item.children],
                )
                for item in outline.root
            ]
    expected: list[tuple[str, int, list[tuple[str, int]]]] = [("Front matter", 0, [])]
    for track, papers in plan.by_track():
        kids = [
            (f"{item.paper.title} ({item.page_range})", front + item.first_page - 1)
            for item in papers
        ]
        expected.append((track.title, kids[0][1], kids))
    assert tree == expected
    assert [title for title, _, _ in tree] == ["Front matter", "Long Papers", "Tiny Papers"]
