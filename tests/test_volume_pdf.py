"""`volume.pdf` as a reader sees it: every paper's pages intact, stamped, marked and labelled.

The volume is written paper by paper by the build's own PDF writer, so these tests read it
back with two other PDF libraries (PDFium for text, qpdf for structure) and compare it with
the papers it was made from.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from conftest import BAD, PAPERS, page_texts, page_words
from proceedings.build.pipeline import BuildError, build_volume
from proceedings.build.printed_numbers import FOOTER_BAND
from volumes import make_volume


def page_sizes(path: Path) -> list[tuple[int, int]]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [tuple(round(v) for v in document[i].get_size()) for i in range(len(document))]
    finally:
        document.close()


def _opened_page(destination: object) -> tuple[int, int]:
    """The page object an outline item's explicit destination (`[page /XYZ ...]`) opens."""
    assert isinstance(destination, pikepdf.Array), destination
    return destination[0].objgen


STAMP = re.compile(r"ICBINB 2026\s*•(?=\s*[0-9])")


def build(tmp_path: Path, pdfs: list[Path]) -> Path:
    volume = make_volume(tmp_path / "papers", pdfs)
    out = tmp_path / "build"
    build_volume(volume, out, only=("frontmatter", "volume"), check_papers=False)
    return out


SOURCES = [
    PAPERS / "long_refs_mid_p5.pdf",
    PAPERS / "two_column.pdf",
    PAPERS / "tiny_pass.pdf",
    BAD / "encrypted_owner.pdf",  # opens without a password; copied decrypted
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("volume"), SOURCES)


def texts_above_and_in_footer(path: Path) -> list[tuple[str, str]]:
    """Each page's text above its footer band (the bottom fifth) and within it."""
    document = pdfium.PdfDocument(str(path))
    try:
        result = []
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            text = page.get_textpage()
            band = height * FOOTER_BAND
            result.append(
                (
                    text.get_text_bounded(0, band, width, height),
                    text.get_text_bounded(0, 0, width, band),
                )
            )
        return result
    finally:
        document.close()


def test_every_page_of_every_paper_reads_as_in_its_source_with_its_stamp(built: Path) -> None:
    volume = texts_above_and_in_footer(built / "volume.pdf")
    sizes = page_sizes(built / "volume.pdf")
    front = len(page_texts(built / "frontmatter" / "frontmatter.pdf"))
    index, number = front, 1
    for source in SOURCES:
        pages = texts_above_and_in_footer(source)
        for (above, footer), size in zip(pages, page_sizes(source), strict=True):
            stamped_above, stamped_footer = volume[index]
            assert page_words(stamped_above) == page_words(above), (source.name, number)
            # The footer: the paper's own text (a printed number hidden under the stamp stays
            # in the text layer) and the stamp's label and number.
            match = STAMP.search(stamped_footer)
            assert match is not None, (source.name, number)
            rest = stamped_footer[: match.start()] + stamped_footer[match.end() :]
            assert sorted("".join(page_words(rest))) == sorted(
                "".join(page_words(footer)) + str(number)
            ), (source.name, number)
            assert sizes[index] == size
            index, number = index + 1, number + 1
    assert index == len(volume)
    assert not any(STAMP.search(above + footer) for above, footer in volume[:front])


def test_bookmarks_open_each_paper_and_pages_are_labelled_as_the_contents_counts(
    built: Path,
) -> None:
    with pikepdf.Pdf.open(built / "volume.pdf") as pdf:
        page_of = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            tops = [(item.title, page_of[_opened_page(item.destination)]) for item in outline.root]
            # The papers are grouped under their track's bookmark (here all are long papers).
            marks = [tops[0]] + [
                (item.title, page_of[_opened_page(item.destination)])
                for item in outline.root[1].children
            ]
        labels = [page.label for page in pdf.pages]
    front = len(page_texts(built / "frontmatter" / "frontmatter.pdf"))
    starts = [front]
    for source in SOURCES[:-1]:
        starts.append(starts[-1] + len(page_texts(source)))
    assert tops == [("Front matter", 0), ("Long Papers", front)]
    assert [first for _, first in marks[1:]] == starts
    assert [title.split(" (")[0] for title, _ in marks[1:]] == [
        f"Paper Number {n}" for n in range(1, 5)
    ]
    assert labels[:3] == ["i", "ii", "iii"]
    assert labels[front : front + 2] == ["1", "2"]
    assert labels[-1] == str(len(labels) - front)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf")
def test_volume_passes_qpdf_structure_check(built: Path) -> None:
    result = subprocess.run(
        ["qpdf", "--check", str(built / "volume.pdf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def crafted(path: Path) -> Path:
    """Two pages that take their font and size from the page tree, a link annotation whose
    text looks like PDF references, a reference to an object that does not exist, and an
    annotation that points back at the document catalog."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                           BaseFont=pikepdf.Name.Helvetica)
    )  # fmt: skip
    for number in (1, 2):
        content = f"BT /F1 24 Tf 72 700 Td (Inherited page {number}) Tj ET".encode()
        pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page)))
        pdf.pages[-1].obj.Contents = pdf.make_stream(content)
    pdf.Root.Pages.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    pdf.Root.Pages.MediaBox = pikepdf.Array([0, 0, 500, 400])
    pdf.Root.Pages.Rotate = 90
    note = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Text,
        Rect=[10, 10, 30, 30],
        Contents=pikepdf.String("see (1 0 R) and 2 0 R) \\ 3 0 R"),
        P=pdf.pages[0].obj,
        Catalog=pdf.Root,
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(note)]))
    pdf.save(path)
    # A reference to an object the file does not have: PDF reads it as null.
    data = path.read_bytes()
    assert data.count(b"/Subtype /Text") == 1
    path.write_bytes(data.replace(b"/Subtype /Text", b"/Subtype /Text /Missing 9999 0 R"))
    return path


def test_inherited_resources_strings_and_dangling_references_survive(tmp_path: Path) -> None:
    source = crafted(tmp_path / "crafted.pdf")
    out = build(tmp_path, [source, PAPERS / "tiny_pass.pdf"])
    texts = page_texts(out / "volume.pdf")
    front = len(page_texts(out / "frontmatter" / "frontmatter.pdf"))
    assert "Inherited page 1" in texts[front] and "Inherited page 2" in texts[front + 1]
    with pikepdf.Pdf.open(out / "volume.pdf") as pdf:
        first = pdf.pages[front]
        assert [float(v) for v in first.mediabox] == [0, 0, 500, 400]
        assert first.obj.Rotate == 90
        note = first.obj.Annots[0]
        assert str(note.Contents) == "see (1 0 R) and 2 0 R) \\ 3 0 R"
        assert note.P.objgen == first.obj.objgen
        assert "/Catalog" not in note  # the paper's catalog does not come along
        assert "/Missing" not in note  # null, which PDF reads as absent
        # One catalog and one page tree: the volume's.
        catalogs = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                    and o.get("/Type") == pikepdf.Name.Catalog]  # fmt: skip
        assert len(catalogs) == 1
        assert len(pdf.pages) == front + 2 + len(page_texts(PAPERS / "tiny_pass.pdf"))


def test_a_paper_whose_page_count_is_ambiguous_stops_the_build_naming_it(
    tmp_path: Path,
) -> None:
    source = crafted(tmp_path / "crafted.pdf")
    # The page tree says one page and holds two: PDFium reads one, qpdf two. Numbering the
    # volume by one and copying the other would shift every later stamp and contents entry.
    broken = tmp_path / "broken.pdf"
    data = source.read_bytes()
    assert data.count(b"/Count 2") == 1
    broken.write_bytes(data.replace(b"/Count 2", b"/Count 1"))
    volume = make_volume(tmp_path / "papers", [broken, PAPERS / "tiny_pass.pdf"])
    out = tmp_path / "build"
    build_volume(volume, out, only=("frontmatter",), check_papers=False)
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    with pytest.raises(BuildError) as caught:
        build_volume(volume, out, only=("volume",), check_papers=False)
    assert "1.pdf" in str(caught.value) and "page tree is damaged" in str(caught.value)
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before


def test_long_steps_count_the_papers_they_have_done(tmp_path: Path) -> None:
    volume = make_volume(tmp_path / "papers", [PAPERS / "tiny_pass.pdf"] * 3)
    heard: list[tuple[int, int]] = []
    steps: list[str] = []
    build_volume(
        volume,
        tmp_path / "build",
        only=("frontmatter", "volume"),
        progress=steps.append,
        counter=lambda done, total: heard.append((done, total)),
        allow_errors=True,  # three copies of one paper under other papers' titles
    )
    # Checking, then copying into volume.pdf: each counts 1, 2, 3 of 3.
    assert heard == [(1, 3), (2, 3), (3, 3)] * 2
    assert steps.index("checking the papers") < steps.index("assembling volume.pdf")
