"""META005: the authors of papers.yaml against the order page 1 prints them in."""

from __future__ import annotations

from pathlib import Path

from proceedings.pdf.layout import open_document
from proceedings.rules import CheckedPaper, get_rule, run_rules
from test_metadata_pdf import Text, build_page, meta_paper, paper_page

ORDER = get_rule("META005")


def order_findings(pdf: Path, names: list[str]) -> list[tuple[str, str]]:
    assert ORDER is not None
    meta = meta_paper(pdf, "When Bigger Batches Did Not Help", names)
    with open_document(pdf) as document:
        checked = CheckedPaper(
            id="1", path=pdf, track="long", page_limit=5, document=document, meta=meta
        )
        return [(item.severity.value, item.message) for item in run_rules(checked, [ORDER])]


def test_authors_in_the_printed_order_pass(tmp_path: Path) -> None:
    pdf = paper_page(tmp_path / "p.pdf", ["Ada Example, Ben Sample and Cy Other"])
    assert order_findings(pdf, ["Ada Example", "Ben Sample", "Cy Other"]) == []


def test_two_authors_swapped_is_an_error_naming_both_orders(tmp_path: Path) -> None:
    pdf = paper_page(tmp_path / "p.pdf", ["Ada Example, Ben Sample and Cy Other"])
    ((severity, message),) = order_findings(pdf, ["Ben Sample", "Ada Example", "Cy Other"])
    assert severity == "error"
    assert "'Ben Sample, Ada Example, Cy Other'" in message
    assert "the PDF 'Ada Example, Ben Sample, Cy Other'" in message


def test_a_list_that_wraps_is_read_in_order(tmp_path: Path) -> None:
    pdf = paper_page(tmp_path / "p.pdf", ["Ada Example, Ben Sample,", "Cy Other and Dee Fourth"])
    assert order_findings(pdf, ["Ada Example", "Ben Sample", "Cy Other", "Dee Fourth"]) == []
    ((severity, _),) = order_findings(pdf, ["Ada Example", "Cy Other", "Ben Sample", "Dee Fourth"])
    assert severity == "error"


def test_a_grid_of_names_read_otherwise_is_a_warning(tmp_path: Path) -> None:
    lines = [Text("When Bigger Batches Did Not Help", 100, size=17, bold=True)]
    for row, (left, right) in enumerate(
        (("Ada Example", "Ben Sample"), ("Cy Other", "Dee Fourth"))
    ):
        lines.append(Text(left, 140 + 40 * row, bold=True, x=150))
        lines.append(Text(right, 140 + 40 * row, bold=True, x=380))
    lines.append(Text("Abstract", 240, size=12, bold=True, x=280))
    lines += [Text("Body text of the paper. " * 4, 260 + 12 * row) for row in range(8)]
    pdf = build_page(tmp_path / "grid.pdf", lines)
    # Read down the columns: the order a \And \AND grid may mean.
    ((severity, message),) = order_findings(
        pdf, ["Ada Example", "Cy Other", "Ben Sample", "Dee Fourth"]
    )
    assert severity == "warning" and "grid" in message


def test_an_author_not_found_leaves_the_order_to_meta002(tmp_path: Path) -> None:
    pdf = paper_page(tmp_path / "p.pdf", ["Ada Example and Ben Sample"])
    assert order_findings(pdf, ["Ben Sample", "Zed Nobody", "Ada Example"]) == []
