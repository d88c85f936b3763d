"""MARGIN001 measures only what shows on the page, and says by how much, past which edge."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from conftest import FIXTURES, check_json
from proceedings.pdf.layout import open_document

MARGIN = FIXTURES / "margin"
# The text block of the fixtures' style (tests/fixtures/README.md): x from 108 to 504 pt.
BLOCK_RIGHT = 504.0
TOLERANCE = 8.0  # what the rule lets pass unreported
SIZE = re.compile(r"by up to (\d+) pt \((\d+\.\d\d) in\) on page (\d+)")

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


def margin_findings(path: Path) -> list[dict[str, Any]]:
    _, result = check_json(str(path))
    findings: list[dict[str, Any]] = result["papers"][0]["findings"]
    return [finding for finding in findings if finding["code"] == "MARGIN001"]


def poppler_words(path: Path, page: int) -> list[tuple[str, float, float]]:
    """(word, xMin, xMax) of each word poppler reads on `page`, clipped or not."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    pattern = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>')
    return [(word, float(x0), float(x1)) for x0, x1, word in pattern.findall(xml)]


def page_width(path: Path, page: int) -> float:
    document = pdfium.PdfDocument(str(path))
    try:
        return float(document[page - 1].get_width())
    finally:
        document.close()


# Each line's text is in the PDF and reaches past the text block, and none of it shows.
HIDDEN = [
    (1, "Legend:", "the legend of a figure included with trim and clip"),
    (1, "Far label", "a label of that figure far beyond the edge of the page"),
    (2, "Legend:", "the legend of a figure drawn whole inside a clip of the page"),
    (2, "Clipped legend", "a legend entry set as page text inside a clip rectangle"),
    (2, "Hidden note", "a note drawn with the invisible text render mode"),
]


@pytest.mark.parametrize(("page", "text", "what"), HIDDEN, ids=[item[2] for item in HIDDEN])
def test_text_that_does_not_show_is_not_measured(page: int, text: str, what: str) -> None:
    with open_document(MARGIN / "clipped_figures.pdf") as document:
        lines = [line for line in document.pages[page - 1].lines if text in line.text]
        assert lines, what
        for line in lines:
            assert line.x1 > BLOCK_RIGHT + TOLERANCE, what  # the text layer's box does
            shown = document.shown_extent(page, line)
            assert shown is None or shown[1] <= BLOCK_RIGHT + TOLERANCE, (what, shown)


def test_a_paper_whose_margin_text_is_all_clipped_has_no_margin_finding() -> None:
    assert margin_findings(MARGIN / "clipped_figures.pdf") == []


@needs_poppler
def test_an_overfull_line_is_reported_with_the_size_seen_on_the_page() -> None:
    path = MARGIN / "overfull_line.pdf"
    (finding,) = margin_findings(path)
    # Only page 2's line: the trimmed figure on page 1 hides text far beyond the page.
    assert finding["page"] == 2 and "outside it on" not in finding["message"]
    assert "past the right edge of the text block" in finding["message"]
    match = SIZE.search(finding["message"])
    assert match, finding["message"]
    points, inches, page = int(match[1]), float(match[2]), int(match[3])
    (end,) = [x1 for word, _, x1 in poppler_words(path, 2) if word.endswith("seed-1.yaml")]
    assert page == 2
    assert abs(points - (end - BLOCK_RIGHT)) <= 1.0
    assert inches == pytest.approx(points / 72, abs=0.01)


def test_text_running_off_the_page_is_measured_to_the_page_edge() -> None:
    path = MARGIN / "off_page.pdf"
    (finding,) = margin_findings(path)
    # The note of page 2 runs past the edge of the page; page 1's stands wholly beyond it.
    assert finding["page"] == 2 and "outside it on" not in finding["message"]
    match = SIZE.search(finding["message"])
    assert match, finding["message"]
    assert int(match[1]) == round(page_width(path, 2) - BLOCK_RIGHT)


def test_clipped_figure_labels_of_a_real_paper_are_not_in_the_margin(corpus: Path) -> None:
    # An ACL paper whose figure 1 is a PDF with its axis labels outside the clip of its frame;
    # its text layer puts them up to 80 pt beyond the edge of the page.
    path = corpus / "pdf" / "acl_emnlp22_ffn_promote.pdf"
    with open_document(path) as document:
        first = document.pages[0]
        assert max(line.x1 for line in first.lines) > first.width
    assert margin_findings(path) == []


def test_real_margin_overflow_is_still_reported(corpus: Path) -> None:
    # Review-response tags such as "hVoC - W4/Q2" left beside the text on most pages.
    (tags,) = margin_findings(corpus / "pdf" / "iclr_refusal_index_review2026.pdf")
    assert tags["severity"] == "error"
    assert "past the right edge" in tags["message"]
    # A caption line of Hindi and English examples that runs past the right edge.
    (caption,) = margin_findings(corpus / "pdf" / "iclr_pml4dc20_27.pdf")
    assert caption["page"] == 12 and "right edge" in caption["message"]
