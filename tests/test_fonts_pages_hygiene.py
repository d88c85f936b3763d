"""Rules FONT001-002, PAGESIZE001-003 and HYG001-004 on their fixtures, on clean papers, and on
the real papers of the shared corpus against its hand-checked ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import proceedings.rules.hygiene as hygiene
from conftest import BAD, FIXTURES, PAPERS, check_json
from proceedings.check import CheckOptions, check_pdf
from proceedings.report import Finding
from proceedings.rules import CheckedPaper, Violation, get_rule
from proceedings.venues import VenueRules

FACTS = FIXTURES / "facts"
CODES = (
    "FONT001",
    "FONT002",
    "PAGESIZE001",
    "PAGESIZE002",
    "PAGESIZE003",
    "HYG001",
    "HYG002",
    "HYG003",
    "HYG004",
)


def ours(path: Path) -> dict[str, Finding]:
    """The findings of this family's rules on `path`, by code (each fires once at most)."""
    report = check_pdf(path, CheckOptions())
    found = [finding for finding in report.findings if finding.code in CODES]
    assert len({finding.code for finding in found}) == len(found), found
    return {finding.code: finding for finding in found}


@pytest.mark.parametrize("path", [FACTS / "clean.pdf", PAPERS / "long_refs_mid_p5.pdf"])
def test_clean_papers_raise_nothing(path: Path) -> None:
    assert ours(path) == {}


def test_every_rule_has_its_documentation_and_hint() -> None:
    for code in CODES:
        rule = get_rule(code)
        assert rule is not None, code
        for section in ("## What it catches", "## Why it matters", "## How to fix"):
            assert section in rule.explanation, (code, section)
        assert rule.fix and not rule.fix.endswith(" ")


# ------------------------------------------------------------------------------- fonts


def test_unembedded_fonts_named_with_pages_and_figure() -> None:
    found = ours(FACTS / "unembedded.pdf")
    assert set(found) == {"FONT001"}
    font = found["FONT001"]
    assert font.severity.value == "error" and font.page == 1
    assert font.message == (
        "2 fonts are not embedded: Times-Roman (a standard-14 font) on pages 1-2; "
        "Helvetica (a standard-14 font) in a figure on page 2"
    )
    assert "pdftexDownloadBase14" in font.hint


def test_type3_font_in_a_figure_through_the_cli() -> None:
    code, report = check_json(str(FACTS / "type3_figure.pdf"))
    assert code == 0  # a warning does not fail the paper
    (finding,) = [item for item in report["papers"][0]["findings"] if item["code"] == "FONT002"]
    assert finding["severity"] == "warning" and finding["page"] == 2
    assert finding["message"] == "a Type 3 font: an unnamed font (/L) in a figure on page 2"
    assert 'rcParams["pdf.fonttype"] = 42' in finding["hint"]
    assert "cm-super" in finding["hint"]


def test_fonts_only_in_figures_get_the_figure_hint(corpus: Path) -> None:
    found = ours(corpus / "pdf" / "pmlr_clear23_sauter23a.pdf")
    assert "Helvetica (a standard-14 font) in a figure on pages 3, 8" in found["FONT001"].message
    assert found["FONT001"].hint.startswith("Export the figure again")


def test_arxiv_stamp_is_recognised(corpus: Path) -> None:
    found = ours(corpus / "pdf" / "neurips23_dpo.pdf")
    assert found["FONT001"].message == (
        "a font is not embedded: Times-Roman (a standard-14 font) on page 1 "
        "(arXiv's identifier stamp)"
    )
    assert "not the copy downloaded from arXiv" in found["FONT001"].hint


# --------------------------------------------------------------------------- page size


def test_a4_paper_reported_with_size_and_pages() -> None:
    found = ours(FACTS / "a4.pdf")
    assert set(found) == {"PAGESIZE001"}
    assert found["PAGESIZE001"].message == (
        "page size is not US Letter (612 x 792 pt): A4, 595 x 842 pt, on pages 1-2"
    )
    assert found["PAGESIZE001"].page == 1 and found["PAGESIZE001"].severity.value == "error"


def _run(code: str, path: Path, page_size: str = "letter") -> list[Violation]:
    rule = get_rule(code)
    assert rule is not None
    paper = CheckedPaper(
        id=path.stem,
        path=path,
        track="long",
        page_limit=5,
        venue=VenueRules(page_size=page_size),
    )
    return list(rule.check(paper))


def test_expected_page_size_comes_from_the_venue() -> None:
    assert _run("PAGESIZE001", FACTS / "a4.pdf", page_size="a4") == []
    (letter_on_a4,) = _run("PAGESIZE001", FACTS / "clean.pdf", page_size="A4")
    assert letter_on_a4.message == (
        "page size is not A4 (595 x 842 pt): US Letter, 612 x 792 pt, on pages 1-2"
    )
    # At an A4 venue the fix tells how to compile on A4, not on US Letter.
    assert letter_on_a4.hint is not None and "a4paper" in letter_on_a4.hint
    assert "Letter" not in letter_on_a4.hint
    assert _run("PAGESIZE001", FACTS / "clean.pdf", page_size="letter") == []
    # A size no one can compile on is the setting's fault (VOL018), not every paper's.
    assert _run("PAGESIZE001", FACTS / "clean.pdf", page_size="tabloid") == []


def test_page_size_option_of_the_cli() -> None:
    _, report = check_json("--page-size", "a4", str(FACTS / "a4.pdf"))
    assert "PAGESIZE001" not in {item["code"] for item in report["papers"][0]["findings"]}
    _, report = check_json("--page-size", "a4", str(FACTS / "clean.pdf"))
    (finding,) = [f for f in report["papers"][0]["findings"] if f["code"] == "PAGESIZE001"]
    assert finding["message"].startswith("page size is not A4 (595 x 842 pt): US Letter")


def test_rotated_page() -> None:
    found = ours(FACTS / "rotated.pdf")
    assert set(found) == {"PAGESIZE002"}  # a turned Letter page is still Letter
    assert found["PAGESIZE002"].message == "page 2 is rotated by 90 degrees"
    assert found["PAGESIZE002"].page == 2 and found["PAGESIZE002"].severity.value == "warning"


def test_cropped_page_is_its_visible_size_and_a_crop_box_finding() -> None:
    found = ours(FACTS / "cropped.pdf")
    assert set(found) == {"PAGESIZE001", "PAGESIZE003"}
    assert found["PAGESIZE003"].message == (
        "crop box 576 x 756 pt inside the media box 612 x 792 pt on page 2"
    )
    assert found["PAGESIZE003"].page == 2
    assert found["PAGESIZE001"].message.endswith(": 576 x 756 pt (crop box), on page 2")


# ----------------------------------------------------------------------------- hygiene


def test_encrypted_with_restrictions() -> None:
    found = ours(FACTS / "encrypted.pdf")
    assert set(found) == {"HYG001"}
    assert found["HYG001"].message == (
        "the PDF is encrypted (AES-128) and forbids printing, modifying, adding comments or "
        "filling forms, assembling pages; PMLR may not be able to process it"
    )
    assert "qpdf --decrypt" in found["HYG001"].hint
    assert set(ours(BAD / "encrypted_owner.pdf")) == {"HYG001"}


def test_password_protected_file_is_left_to_pdf001() -> None:
    report = check_pdf(BAD / "encrypted_user.pdf", CheckOptions())
    assert [finding.code for finding in report.findings] == ["PDF001"]


def test_javascript_is_an_error_with_its_page() -> None:
    code, report = check_json(str(FACTS / "javascript.pdf"))
    assert code == 1
    (finding,) = [item for item in report["papers"][0]["findings"] if item["code"] == "HYG002"]
    assert finding["severity"] == "error" and finding["page"] == 2
    assert finding["message"] == "the PDF contains JavaScript: on page 2 (a form field)"


def test_embedded_files_in_the_document_and_on_a_page() -> None:
    found = ours(FACTS / "attachment.pdf")
    assert set(found) == {"HYG003"}
    assert found["HYG003"].message == (
        "the PDF carries 2 embedded files: notes.txt (attached to the document), "
        "data.csv (attached on page 2)"
    )
    assert found["HYG003"].page == 2 and found["HYG003"].severity.value == "warning"


def test_file_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    assert hygiene.MAX_FILE_SIZE == 50 * 1024 * 1024
    assert "HYG004" not in ours(FACTS / "clean.pdf")
    monkeypatch.setattr(hygiene, "MAX_FILE_SIZE", 10 * 1024)
    found = ours(FACTS / "clean.pdf")
    assert set(found) == {"HYG004"}
    size = (FACTS / "clean.pdf").stat().st_size / (1024 * 1024)
    assert found["HYG004"].message == f"the PDF is {size:.1f} MB; the limit is 0 MB"


# ------------------------------------------------------------------------------ corpus


def test_corpus_agrees_with_the_ground_truth(corpus: Path) -> None:
    """FONT001 exactly when not all fonts are embedded (naming them), FONT002 exactly when
    there are Type 3 fonts, PAGESIZE001 exactly when the paper is not US Letter."""
    rules = [get_rule(code) for code in ("FONT001", "FONT002", "PAGESIZE001")]
    options = CheckOptions(rules=[rule for rule in rules if rule is not None])
    disagreements = []
    for line in (corpus / "manifest.jsonl").read_text().splitlines():
        entry = json.loads(line)
        report = check_pdf(corpus / "pdf" / entry["file"], options)
        found = {finding.code: finding for finding in report.findings}
        expected = {
            "FONT001": entry["fonts_all_embedded"] is False,
            "FONT002": bool(entry["has_type3_fonts"]),
            "PAGESIZE001": entry["page_size"] != "letter",
        }
        for code, wanted in expected.items():
            if (code in found) != wanted:
                disagreements.append((entry["file"], code, wanted))
        if "FONT001" in found:
            for name in entry["nonembedded_fonts"]:
                if name not in found["FONT001"].message:
                    disagreements.append((entry["file"], "FONT001 names", name))
    assert disagreements == []
