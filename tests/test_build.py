"""`proceedings build` on the shipped example volume, with the outputs read back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml

from conftest import PAPERS as FIXTURE_PAPERS
from conftest import page_texts, run_cli
from proceedings.build.pipeline import BuildError, build_volume
from proceedings.volume import load_volume
from volumes import make_volume

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"


def squash(text: str) -> str:
    return " ".join(text.replace("\ufffe", "").replace("-\r\n", "").split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "build"
    result = run_cli("build", str(EXAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.output
    for label in ("PMLR upload", "front matter", "volume PDF", "web index", "check report"):
        assert label in result.output
    return out


# papers.yaml's papers as YAML reads them.
Papers = list[dict[str, Any]]


@pytest.fixture(scope="module")
def example() -> tuple[Papers, Papers]:
    papers = yaml.safe_load((EXAMPLE / "papers.yaml").read_text(encoding="utf-8"))["papers"]
    archival = [paper for paper in papers if paper["archival"]]
    others = [paper for paper in papers if not paper["archival"]]
    return archival, others


def _opened_page(destination: object) -> tuple[int, int]:
    """The page object an outline item's explicit destination (`[page /XYZ ...]`) opens."""
    import pikepdf

    assert isinstance(destination, pikepdf.Array), destination
    return destination[0].objgen


def test_outputs_are_where_the_design_says(built: Path) -> None:
    for name in (
        "pmlr/icbinb-2026.bib",
        "frontmatter/frontmatter.tex",
        "frontmatter/frontmatter.pdf",
        "volume.pdf",
        "site/index.html",
        "report.json",
    ):
        assert (built / name).is_file(), name


def test_front_matter_names_every_archival_title_and_author(
    built: Path, example: tuple[Papers, Papers]
) -> None:
    archival, _ = example
    text = squash(" ".join(page_texts(built / "frontmatter" / "frontmatter.pdf")))
    for paper in archival:
        assert squash(str(paper["title"])) in text
        for author in paper["authors"]:
            family = author["name"].split()[-1]
            assert family in text, author["name"]
    assert "王芳" in text and "Соколова" in text


def stamped_numbers(path: Path) -> list[int | None]:
    """The number each page's stamp draws, read from the digits its last content stream
    sets (the text layer may join it with the paper's own number hidden under it)."""
    numbers: list[int | None] = []
    with pikepdf.Pdf.open(path) as pdf:
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            last = contents[-1] if isinstance(contents, pikepdf.Array) else contents
            data = last.read_bytes().decode("latin-1") if last is not None else ""
            digits = re.findall(r"/VolumeStampDigit([0-9]) Do", data)
            label = "/VolumeStampLabel Do" in data
            numbers.append(int("".join(digits)) if label and digits else None)
    return numbers


def test_contents_page_ranges_are_where_the_papers_start_in_the_volume(
    built: Path, example: tuple[Papers, Papers]
) -> None:
    archival, _ = example
    front = page_texts(built / "frontmatter" / "frontmatter.pdf")
    # From the contents on: the program, before them, names the papers too.
    first = next(i for i, text in enumerate(front) if text.lstrip().startswith("Contents"))
    contents = squash(" ".join(front[first:]))
    volume = page_texts(built / "volume.pdf")
    stamps = {}
    for index, number in enumerate(stamped_numbers(built / "volume.pdf")):
        if number is not None:
            stamps[number] = index
    assert sorted(stamps) == list(range(1, len(volume) - len(front) + 1))
    for paper in archival:
        title = squash(str(paper["title"]))
        after = contents[contents.index(title) + len(title) :]
        pages = re.search(r"(\d+)\s*[–-]\s*(\d+)", after)
        assert pages is not None, title
        first, last = map(int, pages.groups())
        start_page = squash(volume[stamps[first]])
        assert title[:40] in start_page, (title, first)
        assert last >= first


def test_author_index_order_folds_accents_and_particles(built: Path) -> None:
    pages = page_texts(built / "frontmatter" / "frontmatter.pdf")
    index = squash(pages[-1])
    order = ["Álvarez, José", "Berg, Ludwig van der", "Dubois-Leroy", "Hernández", "Müller, Zoë"]
    order += ["Nguyễn", "Øberg, Lars", "Okonkwo", "Souza, Anna de", "Yılmaz"]
    positions = [index.index(name) for name in order]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
    assert index.count("Zhang, Wei") == 2  # two people of one name, kept apart
    assert index.count("Álvarez, José") == 1  # one person on two papers, listed once


def test_non_archival_papers_stay_out_of_the_bib_and_the_volume(
    built: Path, example: tuple[Papers, Papers]
) -> None:
    archival, others = example
    bib = (built / "pmlr" / "icbinb-2026.bib").read_text(encoding="ascii")
    assert bib.count("@InProceedings{") == len(archival)
    front = len(page_texts(built / "frontmatter" / "frontmatter.pdf"))
    papers_part = squash(" ".join(page_texts(built / "volume.pdf")[front:]))
    for paper in others:
        title = squash(str(paper["title"]))
        assert title[:30] not in bib
        assert title not in papers_part


def test_pmlr_upload_is_flat_and_passes_the_pmlr_rules(
    built: Path, example: tuple[Papers, Papers]
) -> None:
    archival, _ = example
    result = run_cli("check", str(built / "pmlr" / "icbinb-2026.bib"), "--format", "json")
    assert result.exit_code == 0, result.output
    pdfs = sorted(path.name for path in (built / "pmlr").glob("*.pdf"))
    assert len(pdfs) == len(archival)
    assert all(re.fullmatch(r"[a-z]+26[a-z]\.pdf", name) for name in pdfs)
    assert not [path for path in (built / "pmlr").iterdir() if path.is_dir()]


def test_site_lists_every_accepted_paper_and_marks_non_archival(
    built: Path, example: tuple[Papers, Papers]
) -> None:
    archival, others = example
    html = (built / "site" / "index.html").read_text(encoding="utf-8")
    for paper in archival + others:
        assert f'id="paper-{paper["id"]}"' in html
    assert html.count("non-archival</span>") == len(others)
    assert not re.search(r'(?:src|href)="https?://(?!openreview\.net/)', html)


def test_building_twice_gives_identical_files(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first, second = tmp_path / "one", tmp_path / "two"
    build_volume(EXAMPLE, first, check_papers=False)
    build_volume(EXAMPLE, second, check_papers=False)
    for name in (
        "pmlr/icbinb-2026.bib",
        "site/index.html",
        "volume.pdf",
        "frontmatter/frontmatter.pdf",
    ):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_only_builds_parts_and_keeps_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_volume(EXAMPLE, out, only=("pmlr", "site"), check_papers=False)
    assert (out / "pmlr" / "icbinb-2026.bib").is_file() and not (out / "volume.pdf").exists()
    marker = out / "site" / "index.html"
    before = marker.read_bytes()
    build_volume(EXAMPLE, out, only=("pmlr",), check_papers=False)
    assert marker.read_bytes() == before


def test_failed_build_leaves_the_previous_build_whole(tmp_path: Path) -> None:
    volume = tmp_path / "papers"
    shutil.copytree(EXAMPLE, volume, ignore=shutil.ignore_patterns("src"))
    out = tmp_path / "build"
    build_volume(volume, out, only=("pmlr", "site"), check_papers=False)
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    override = volume / "templates" / "latex"
    override.mkdir(parents=True)
    (override / "titlepage.tex.j2").write_text("\\undefinedcommand\n")
    with pytest.raises(BuildError, match="front matter does not compile"):
        build_volume(volume, out, check_papers=False)
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before
    assert not list(tmp_path.glob(".build.*-*"))  # no scratch folder left behind


def test_metadata_errors_stop_the_build_with_the_findings(tmp_path: Path) -> None:
    volume = tmp_path / "papers"
    shutil.copytree(EXAMPLE, volume, ignore=shutil.ignore_patterns("src"))
    (volume / "pdf" / "12.pdf").unlink()
    result = run_cli("build", str(volume), "-o", str(tmp_path / "build"))
    assert result.exit_code == 1
    assert "VOL007" in result.output and "papers.yaml:" in result.output
    assert not (tmp_path / "build").exists()


def test_a_paper_with_errors_stops_the_build_and_names_its_first_errors(tmp_path: Path) -> None:
    volume = tmp_path / "papers"
    shutil.copytree(EXAMPLE, volume, ignore=shutil.ignore_patterns("src"))
    # Another paper's PDF, seven pages long, in place of paper 12's.
    shutil.copy(FIXTURE_PAPERS / "long_refs_p6_40.pdf", volume / "pdf" / "12.pdf")
    out = tmp_path / "build"
    result = run_cli("build", str(volume), "-o", str(out), "--only", "pmlr")
    assert result.exit_code == 1, result.output
    assert "pdf/12.pdf (12):" in result.output
    assert "META001 page 1:" in result.output  # the first errors, where they are
    assert "--allow-errors" in result.output.splitlines()[-1]
    assert not out.exists()  # nothing written

    result = run_cli("build", str(volume), "-o", str(out), "--only", "pmlr", "--allow-errors")
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert "WITH ERRORS (--allow-errors)" in last and "in 1 paper;" in last
    assert (out / "pmlr" / "icbinb-2026.bib").is_file()
    assert (out / "report.json").is_file()


def test_no_check_skips_the_papers_but_not_the_metadata(tmp_path: Path) -> None:
    volume = tmp_path / "papers"
    shutil.copytree(EXAMPLE, volume, ignore=shutil.ignore_patterns("src"))
    shutil.copy(FIXTURE_PAPERS / "long_refs_p6_40.pdf", volume / "pdf" / "12.pdf")
    out = tmp_path / "build"
    result = run_cli("build", str(volume), "-o", str(out), "--only", "pmlr", "--no-check")
    assert result.exit_code == 0, result.output
    (volume / "pdf" / "17.pdf").unlink()
    result = run_cli("build", str(volume), "-o", str(out), "--no-check", "--allow-errors")
    assert result.exit_code == 1 and "VOL007" in result.output


def test_inputs_are_not_written(tmp_path: Path) -> None:
    volume = tmp_path / "papers"
    shutil.copytree(EXAMPLE, volume, ignore=shutil.ignore_patterns("src"))
    before = {path: path.stat().st_mtime_ns for path in volume.rglob("*")}
    build_volume(volume, tmp_path / "build", only=("pmlr", "site"), check_papers=False)
    assert {path: path.stat().st_mtime_ns for path in volume.rglob("*")} == before


HOSTILE = r"\input{/etc/passwd} \write18{touch PWNED} % & # _ ^ ~ { } \ end"


def test_hostile_title_is_printed_literally_and_runs_nothing(tmp_path: Path) -> None:
    volume = tmp_path / "papers"
    (volume / "pdf").mkdir(parents=True)
    shutil.copy(FIXTURE_PAPERS / "tiny_pass.pdf", volume / "pdf" / "1.pdf")
    pwned = tmp_path / "pwned"
    title = HOSTILE.replace("PWNED", str(pwned))
    (volume / "papers.yaml").write_text(
        yaml.safe_dump(
            {
                "papers": [
                    {
                        "id": "1",
                        "title": title,
                        "authors": [{"name": "Ada Example"}],
                        "abstract": "An abstract with 100% of the usual characters: $x_1$.",
                        "track": "tiny",
                        "archival": True,
                    }
                ]
            }
        )
    )
    shutil.copy(EXAMPLE / "volume.yaml", volume / "volume.yaml")
    shutil.copy(EXAMPLE / "preface.md", volume / "preface.md")
    loaded, _ = load_volume(volume)
    assert loaded.papers[0].title == " ".join(title.split())
    out = tmp_path / "build"
    build_volume(volume, out, check_papers=False)
    text = squash(" ".join(page_texts(out / "frontmatter" / "frontmatter.pdf")))
    assert squash(title) in text.replace("“", '"')
    assert not pwned.exists()
    bib = (out / "pmlr" / "icbinb-2026.bib").read_text(encoding="ascii")
    # PMLR's decoder gives `\textbackslash{}` back as a backslash; balanced braces stay.
    assert r"\textbackslash{}input{/etc/passwd}" in bib
    assert r"100\% of" in bib


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("openreview", "X}, pdf = {https://evil.example/x.pdf}, note = {y"),
        ("pmlr_key", "../../pdf/1"),
        ("pmlr_key", "/tmp/anywhere"),
        ("id", "../../etc/passwd"),
    ],
)
def test_a_value_that_would_break_out_of_the_bib_or_the_folder_is_refused(
    tmp_path: Path, field: str, value: str
) -> None:
    volume = make_volume(tmp_path / "papers", [FIXTURE_PAPERS / "tiny_pass.pdf"])
    papers = yaml.safe_load((volume / "papers.yaml").read_text())
    papers["papers"][0][field] = value
    (volume / "papers.yaml").write_text(yaml.safe_dump(papers))
    before = {path: path.read_bytes() for path in volume.rglob("*") if path.is_file()}
    check = run_cli("check", str(volume), "--format", "json")
    assert check.exit_code == 1
    assert value[:20] in check.output
    with pytest.raises(BuildError):
        build_volume(volume, tmp_path / "build", only=("pmlr",), check_papers=False)
    assert not (tmp_path / "build" / "pmlr").exists()
    assert {path: path.read_bytes() for path in volume.rglob("*") if path.is_file()} == before
    assert not list(tmp_path.glob("pdf")) and not Path("/tmp/anywhere.pdf").exists()


LINKED = r"""\documentclass{article}
\usepackage[hidelinks]{hyperref}
\begin{document}
\section{First}\label{first}
See Section~\ref{second} on the next page.
\newpage
\section{Second}\label{second}
Back to Section~\ref{first}.
\end{document}
"""


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
def test_links_inside_papers_still_work_in_the_volume(tmp_path: Path) -> None:
    import subprocess

    import pikepdf

    (tmp_path / "linked.tex").write_text(LINKED)
    for _ in range(2):
        subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "linked.tex"],
            cwd=tmp_path, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    volume = make_volume(tmp_path / "papers", [tmp_path / "linked.pdf"] * 2)
    out = tmp_path / "build"
    build_volume(volume, out, only=("frontmatter", "volume"), check_papers=False)
    with pikepdf.Pdf.open(out / "volume.pdf") as pdf:
        tree = pikepdf.NameTree(pdf.Root.Names.Dests)
        page_of = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        front = len(pdf.pages) - 4
        targets = []
        for index, page in enumerate(pdf.pages[front:], start=front):
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != pikepdf.Name.Link:
                    continue
                name = str(annotation.get("/Dest") or annotation.A.D)
                destination = tree[name]
                targets.append((index, page_of[destination[0].objgen], name.split(":")[0]))
    # Each paper's two links point at its own pages, not at the other paper's copy.
    assert sorted(targets) == [
        (front, front + 1, "number126a"),  # PMLR keeps the digits of "Number1"
        (front + 1, front, "number126a"),
        (front + 2, front + 3, "number226a"),
        (front + 3, front + 2, "number226a"),
    ]


def test_contents_and_author_index_link_to_the_papers_in_the_volume(
    built: Path, example: tuple[Papers, Papers]
) -> None:
    import pikepdf

    archival, _ = example
    front_texts = page_texts(built / "frontmatter" / "frontmatter.pdf")
    contents = next(i for i, text in enumerate(front_texts) if text.lstrip().startswith("Contents"))
    index = next(
        i for i, text in enumerate(front_texts) if text.lstrip().startswith("Author Index")
    )
    with pikepdf.Pdf.open(built / "volume.pdf") as pdf:
        tree = pikepdf.NameTree(pdf.Root.Names.Dests)
        page_of = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            # The papers' bookmarks, under their tracks'.
            starts = [
                page_of[_opened_page(paper.destination)]
                for track in list(outline.root)[1:]
                for paper in track.children
            ]
        links: dict[int, list[int]] = {}
        for number, page in enumerate(pdf.pages[: len(front_texts)]):
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") == pikepdf.Name.Link:
                    name = str(annotation.get("/Dest") or annotation.A.D)
                    links.setdefault(number, []).append(page_of[tree[name][0].objgen])
    assert len(starts) == len(archival)
    # The contents: first the front matter's parts, each to its page; then one link per
    # archival paper, to its first page, in order.
    parts = links[contents][:4]
    assert [front_texts[page].split()[0] for page in parts] == [
        "Preface",
        "Organization",
        "Program",
        "Author",
    ]
    assert links.pop(contents)[4:] == starts
    # The author index: every page number links to the paper that starts there.
    assert set(links.pop(index)) == set(starts)
    assert links == {}
