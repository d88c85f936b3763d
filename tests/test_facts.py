"""The PDF's structural facts: fonts (also inside figures), page boxes, encryption, scripts,
attachments, size and version; read fast, and never an exception on a bad file."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Name

from conftest import BAD, FIXTURES, PAPERS
from proceedings.paper import CheckedPaper, facts_for, read_paper_facts
from proceedings.pdf.facts import EmbeddedFile, PdfFacts, read_facts

FACTS = FIXTURES / "facts"
LETTER = (0.0, 0.0, 612.0, 792.0)


# ---------------------------------------------------------------- the committed fixtures


def test_clean_paper_has_letter_pages_and_embedded_fonts_only() -> None:
    facts = read_facts(FACTS / "clean.pdf")
    assert facts.problem is None
    assert facts.pdf_version == "1.5"
    assert facts.file_size == (FACTS / "clean.pdf").stat().st_size
    assert [page.number for page in facts.pages] == [1, 2]
    assert all(page.media_box == LETTER and page.crop_box == LETTER for page in facts.pages)
    assert all(page.rotation == 0 for page in facts.pages)
    assert facts.fonts and all(font.embedded and not font.type3 for font in facts.fonts)
    assert {font.base_name for font in facts.fonts} >= {"NimbusRomNo9L-Regu"}
    assert not facts.encrypted and not facts.javascript and not facts.embedded_files


def test_a4_pages() -> None:
    facts = read_facts(FACTS / "a4.pdf")
    assert {(round(page.width, 2), round(page.height, 2)) for page in facts.pages} == {
        (595.28, 841.89)
    }


def test_type3_font_found_inside_the_included_figure() -> None:
    facts = read_facts(FACTS / "type3_figure.pdf")
    (type3,) = [font for font in facts.fonts if font.type3]
    assert type3.embedded  # Type 3 glyphs are in the file by definition
    assert type3.name is None and type3.resource_name == "L"
    assert type3.pages == (2,) and type3.figure_pages == (2,) and type3.only_in_figures


def test_unembedded_fonts_in_the_text_and_in_a_figure() -> None:
    facts = read_facts(FACTS / "unembedded.pdf")
    missing = {font.name: font for font in facts.fonts if not font.embedded}
    assert set(missing) == {"Times-Roman", "Helvetica"}
    assert missing["Times-Roman"].pages == (1, 2) and missing["Times-Roman"].figure_pages == ()
    assert missing["Helvetica"].pages == (2,) and missing["Helvetica"].only_in_figures
    assert all(font.standard14 for font in missing.values())


def test_rotated_and_cropped_pages() -> None:
    rotated = read_facts(FACTS / "rotated.pdf")
    assert [page.rotation for page in rotated.pages] == [0, 90, 0]
    cropped = read_facts(FACTS / "cropped.pdf")
    assert [page.crop_box for page in cropped.pages] == [LETTER, (18, 18, 594, 774), LETTER]
    assert all(page.media_box == LETTER for page in cropped.pages)
    assert (cropped.pages[1].width, cropped.pages[1].height) == (576, 756)


def test_javascript_of_a_form_button_is_found_with_its_page() -> None:
    facts = read_facts(FACTS / "javascript.pdf")
    assert [(script.where, script.page) for script in facts.javascript] == [
        ("on page 2 (a form field)", 2)
    ]


def test_attachments_in_the_name_tree_and_on_a_page() -> None:
    facts = read_facts(FACTS / "attachment.pdf")
    assert set(facts.embedded_files) == {EmbeddedFile("notes.txt"), EmbeddedFile("data.csv", 2)}


def test_encryption_and_its_restrictions() -> None:
    facts = read_facts(FACTS / "encrypted.pdf")
    assert facts.encrypted and not facts.needs_password and facts.problem is None
    assert facts.encryption == "AES-128"
    assert "printing" in facts.restrictions and "modifying" in facts.restrictions
    assert "copying text and images" not in facts.restrictions
    assert len(facts.pages) == 2 and all(font.embedded for font in facts.fonts)
    owner = read_facts(BAD / "encrypted_owner.pdf")
    assert owner.encryption == "AES-256" and "printing" in owner.restrictions


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler's pdffonts")
@pytest.mark.parametrize(
    "path", sorted(FACTS.glob("*.pdf")) + sorted(PAPERS.glob("*.pdf")), ids=lambda p: p.name
)
def test_fonts_per_page_agree_with_pdffonts(path: Path) -> None:
    facts = read_facts(path)
    for page in facts.pages:
        expected = _pdffonts(path, page.number)
        found = Counter(
            (font.name, font.type3, font.embedded)
            for font in facts.fonts
            if page.number in font.pages
        )
        assert found == expected, f"page {page.number}"


# ------------------------------------------------------------------------ bad inputs


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("empty.pdf", "is empty"),
        ("not_a_pdf.pdf", "is not a PDF"),
        ("truncated.pdf", "cannot be parsed"),  # qpdf finds no trailer to repair from
        ("encrypted_user.pdf", "is encrypted with a password"),
        ("no_pages.pdf", "has no pages"),
    ],
)
def test_bad_files_give_a_problem_not_an_exception(name: str, problem: str) -> None:
    facts = read_facts(BAD / name)
    assert facts.problem is not None and facts.problem.startswith(problem)
    assert facts.fonts == () and facts.pages == ()


def test_password_protected_file_still_says_it_is_encrypted() -> None:
    facts = read_facts(BAD / "encrypted_user.pdf")
    assert facts.encrypted and facts.needs_password
    # Without the password nothing past the trailer is read, not even the cipher.
    assert facts.encryption is None and facts.restrictions == ()


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert (read_facts(tmp_path / "absent.pdf").problem or "").startswith("cannot be read")
    assert (read_facts(tmp_path).problem or "").startswith("cannot be read")


def test_garbage_after_a_header_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    facts = read_facts(path)
    assert facts.problem is not None and facts.pdf_version == "1.7"


# --------------------------------------------------------- structures built by hand


def _font(pdf: pikepdf.Pdf, name: str, embedded: bool = False) -> pikepdf.Object:
    font = pikepdf.Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name("/" + name))
    if embedded:
        font.FontDescriptor = pikepdf.Dictionary(FontFile=pdf.make_stream(b""))
    return pdf.make_indirect(font)


def _form(pdf: pikepdf.Pdf, resources: pikepdf.Dictionary) -> pikepdf.Object:
    return pdf.make_stream(
        b"", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 10, 10], Resources=resources
    )


def _blank(pages: int) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(612, 792))
    return pdf


def test_nested_figures_and_a_cycle_between_them(tmp_path: Path) -> None:
    """Page 1 draws figure A, which draws figure B, which draws A again (a cycle); page 2 draws
    B only. Fonts of both figures are found on both pages, and reading ends."""
    pdf = _blank(2)
    resources_b = pikepdf.Dictionary(Font=pikepdf.Dictionary(FB=_font(pdf, "Courier")))
    form_b = _form(pdf, resources_b)
    form_a = _form(
        pdf,
        pikepdf.Dictionary(
            Font=pikepdf.Dictionary(FA=_font(pdf, "Embedded-A", embedded=True)),
            XObject=pikepdf.Dictionary(B=form_b),
        ),
    )
    form_b.Resources.XObject = pikepdf.Dictionary(A=form_a)
    for page, name, form in ((pdf.pages[0], "/A", form_a), (pdf.pages[1], "/B", form_b)):
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary({name: form}))
    path = tmp_path / "nested.pdf"
    pdf.save(path)
    facts = read_facts(path)
    assert facts.problem is None
    by_name = {font.name: font for font in facts.fonts}
    assert by_name["Courier"].pages == (1, 2) and by_name["Courier"].only_in_figures
    assert not by_name["Courier"].embedded and by_name["Embedded-A"].embedded
    assert by_name["Embedded-A"].figure_pages == (1,)


def test_page_tree_cycle_and_inherited_boxes(tmp_path: Path) -> None:
    pdf = _blank(2)
    pages = pdf.Root.Pages
    pages.Rotate = 180  # inherited by both pages
    pages.Kids.append(pages)  # the tree contains itself
    path = tmp_path / "cycle.pdf"
    pdf.save(path)
    facts = read_paper_facts(path)
    assert [page.rotation for page in facts.pages] == [180, 180]
    # qpdf, which the build copies pages with, refuses the tree: PDF005 says so.
    assert facts.qpdf is not None and facts.qpdf.count is None
    assert "Loop detected" in (facts.qpdf.problem or "")


def test_document_scripts_open_action_and_attached_files(tmp_path: Path) -> None:
    pdf = _blank(1)
    pdf.attachments["results.csv"] = b"a,b\n1,2\n"
    script = pikepdf.Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert('hi');"))
    pdf.Root.Names.JavaScript = pikepdf.Dictionary(Names=[pikepdf.String("greet"), script])
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=Name.GoTo,
        D=[0, Name.Fit],
        Next=pikepdf.Dictionary(S=Name.JavaScript, JS=pikepdf.String("this.print();")),
    )
    path = tmp_path / "scripted.pdf"
    pdf.save(path)
    facts = read_facts(path)
    places = [script.where for script in facts.javascript]
    assert "in the action run when the document opens" in places
    assert any("document-level script" in place for place in places)
    assert facts.embedded_files == (EmbeddedFile("results.csv"),)


# --------------------------------------------------------------------------- caching


def test_facts_for_prefers_the_pipeline_facts_then_keeps_what_it_read() -> None:
    given = PdfFacts(path=FACTS / "clean.pdf", file_size=1)
    paper = CheckedPaper(id="x", path=FACTS / "clean.pdf", track="long", page_limit=5, facts=given)
    assert facts_for(paper) is given
    paper = CheckedPaper(id="x", path=FACTS / "clean.pdf", track="long", page_limit=5)
    first = facts_for(paper)
    assert first.page_count == 2 and paper.facts is first and facts_for(paper) is first


# ------------------------------------------------------------ sources and the corpus


@pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdflatex", "pdffonts", "pdfinfo", "qpdf")),
    reason="needs pdflatex, poppler-utils and qpdf",
)
def test_fixture_sources_build_to_the_committed_facts(tmp_path: Path) -> None:
    subprocess.run(
        ["bash", str(FACTS / "build.sh"), str(tmp_path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for committed in sorted(FACTS.glob("*.pdf")):
        rebuilt, original = read_facts(tmp_path / committed.name), read_facts(committed)
        assert _summary(rebuilt) == _summary(original), committed.name


def test_corpus_fonts_agree_with_pdffonts(corpus: Path) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("needs poppler's pdffonts")
    for line in (corpus / "manifest.jsonl").read_text().splitlines():
        path = corpus / "pdf" / json.loads(line)["file"]
        found = Counter((font.name, font.type3, font.embedded) for font in read_facts(path).fonts)
        assert found == _pdffonts(path), path.name


def test_corpus_page_sizes_match_the_manifest(corpus: Path) -> None:
    sizes = {"letter": (612, 792), "a4": (595, 842)}
    for line in (corpus / "manifest.jsonl").read_text().splitlines():
        entry = json.loads(line)
        facts = read_facts(corpus / "pdf" / entry["file"])
        assert facts.problem is None, entry["file"]
        found = {(round(page.width), round(page.height)) for page in facts.pages}
        assert found == {sizes[entry["page_size"]]}, entry["file"]


def _summary(facts: PdfFacts) -> object:
    fonts = sorted(
        (font.base_name or "", font.subtype, font.embedded, font.pages, font.figure_pages)
        for font in facts.fonts
    )
    pages = [(page.media_box, page.crop_box, page.rotation) for page in facts.pages]
    return (fonts, pages, facts.javascript, facts.embedded_files, facts.restrictions)


_PDFFONTS_LINE = re.compile(
    r"^(.*?)\s+(CID Type 0C \(OT\)|Type 1C \(OT\)|TrueType \(CID\)|CID Type 0C|CID Type 0|"
    r"CID TrueType|Type 1C|Type 1|Type 3|TrueType|unknown)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+"
    r"(yes|no)\s+(\d+)\s+(\d+)$"
)


def _pdffonts(path: Path, page: int | None = None) -> Counter[tuple[str | None, bool, bool]]:
    """(name, Type 3?, embedded?) of each font `pdffonts` lists, for one page or all."""
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    output = subprocess.run(
        ["pdffonts", *pages, str(path)], check=True, capture_output=True, text=True
    ).stdout
    found: Counter[tuple[str | None, bool, bool]] = Counter()
    for line in output.splitlines()[2:]:
        match = _PDFFONTS_LINE.match(line)
        assert match is not None, line
        name = None if match.group(1) == "[none]" else match.group(1)
        found[(name, match.group(2) == "Type 3", match.group(4) == "yes")] += 1
    return found
