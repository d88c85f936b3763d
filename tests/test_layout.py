"""Layout rules: a paper squeezed into more text per page than the style allows is caught.

The fixtures of `fixtures/layout/` are one paper compiled in the ICLR-like style as it is and
with each trick authors use to fit a page limit; the honest papers of the shared corpus in
ICLR's style and the example volume must not get an error.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, SHARED, check_json
from proceedings.pdf.layout import open_document
from proceedings.pdf.structure import analyse
from proceedings.pdf.textblock import TextBlock, measure
from proceedings.rules import CheckedPaper, get_rule, run_rules
from proceedings.rules.layout import ICLR2026, layout_of
from proceedings.volume import VenueRules
from volumes import make_volume

LAYOUT = FIXTURES / "layout"
EXAMPLE = Path(__file__).resolve().parents[1] / "papers"
SQUEEZED = {
    # fixture: (rule, words the message must hold)
    "geometry": ("LAYOUT001", ["text block 7.3 in x 9.", "5.5 in x 9 in", "margins were changed"]),
    "textheight": ("LAYOUT001", ["9.6 in tall", "the style's is 9 in", "text height"]),
    "oneline": ("LAYOUT001", ["9.1 in tall", "the style's is 9 in"]),
    "textwidth": ("LAYOUT001", ["6.3 in wide", "the style's is 5.5 in", "text width"]),
    "linespread": ("LAYOUT002", ["10 pt on 9.3 pt lines", "10 pt on 11 pt", "line spacing"]),
    "small": ("LAYOUT002", ["9 pt on 9.3 pt lines", "type size and the line spacing"]),
    "fontsize": ("LAYOUT002", ["9 pt on 10 pt lines", "type size and the line spacing"]),
}


def _layout_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        finding
        for paper in report["papers"]
        for finding in paper["findings"]
        if finding["code"].startswith("LAYOUT")
    ]


def _measure(pdf: Path) -> TextBlock:
    with open_document(pdf) as document:
        return measure(document, analyse(document))


def test_honest_fixture_gets_no_layout_finding_though_it_is_over_the_limit() -> None:
    _, report = check_json(str(LAYOUT / "honest.pdf"))
    assert _layout_findings(report) == []
    codes = {finding["code"] for finding in report["papers"][0]["findings"]}
    assert "PAGE001" in codes  # the honest paper is too long: the tricks below hide that


@pytest.mark.parametrize("name", sorted(SQUEEZED))
def test_each_squeezed_fixture_gets_one_error_naming_what_changed(name: str) -> None:
    code, words = SQUEEZED[name]
    exit_code, report = check_json(str(LAYOUT / f"{name}.pdf"))
    findings = _layout_findings(report)
    assert [(finding["code"], finding["severity"]) for finding in findings] == [(code, "error")]
    for word in words:
        assert word in findings[0]["message"]
    assert findings[0]["hint"]
    assert exit_code == 1


def test_honest_fixture_measures_the_style() -> None:
    block = _measure(LAYOUT / "honest.pdf")
    assert block.left == pytest.approx(108, abs=1)
    assert block.width == pytest.approx(396, abs=1)
    assert block.height == pytest.approx(648, abs=4)
    assert block.body_size == pytest.approx(10, abs=0.1)
    assert block.line_pitch == pytest.approx(11, abs=0.1)


def test_squeezed_fixtures_measure_what_the_trick_set() -> None:
    geometry = _measure(LAYOUT / "geometry.pdf")
    assert geometry.left == pytest.approx(0.6 * 72, abs=1)
    assert geometry.width == pytest.approx(612 - 1.2 * 72, abs=1)
    assert geometry.height == pytest.approx(792 - 1.2 * 72, abs=6)
    assert _measure(LAYOUT / "textheight.pdf").height == pytest.approx(648 + 0.6 * 72, abs=4)
    assert _measure(LAYOUT / "textwidth.pdf").width == pytest.approx(6.3 * 72, abs=1)
    assert _measure(LAYOUT / "linespread.pdf").line_pitch == pytest.approx(11 * 0.85, abs=0.1)
    fontsize = _measure(LAYOUT / "fontsize.pdf")
    assert (fontsize.body_size, fontsize.line_pitch) == pytest.approx((9, 10), abs=0.1)


def test_a_volume_without_a_layout_gets_no_layout_rule(tmp_path: Path) -> None:
    root = make_volume(tmp_path / "volume", [LAYOUT / "geometry.pdf", LAYOUT / "small.pdf"])
    _, report = check_json(str(root))
    assert _layout_findings(report) == []


@pytest.mark.parametrize(
    "setting",
    [
        "  layout:\n    profile: iclr2026\n",
        "  layout:\n    text_width: 396\n    text_height: 648\n    left: 108\n"
        "    body_size: 10\n    line_pitch: 11\n",
    ],
)
def test_a_volume_with_a_layout_checks_its_papers(tmp_path: Path, setting: str) -> None:
    pdfs = [LAYOUT / "honest.pdf", LAYOUT / "geometry.pdf", LAYOUT / "small.pdf"]
    root = make_volume(tmp_path / "volume", pdfs)
    with (root / "volume.yaml").open("a", encoding="utf-8") as handle:
        handle.write("venue:\n" + setting)
    _, report = check_json(str(root))
    by_paper = {
        paper["id"]: [f["code"] for f in paper["findings"] if f["code"].startswith("LAYOUT")]
        for paper in report["papers"]
    }
    assert by_paper == {"1": [], "2": ["LAYOUT001"], "3": ["LAYOUT002"]}
    assert not any(
        f["code"].startswith("VOL") for item in report["files"] for f in item["findings"]
    )


def test_a_layout_that_sets_only_the_type_checks_only_the_type(tmp_path: Path) -> None:
    root = make_volume(tmp_path / "volume", [LAYOUT / "geometry.pdf", LAYOUT / "fontsize.pdf"])
    with (root / "volume.yaml").open("a", encoding="utf-8") as handle:
        handle.write("venue:\n  layout:\n    body_size: 10\n    line_pitch: 11\n")
    _, report = check_json(str(root))
    assert [f["code"] for f in _layout_findings(report)] == ["LAYOUT002"]


def test_an_unknown_profile_is_reported_with_its_line_and_checks_nothing(tmp_path: Path) -> None:
    root = make_volume(tmp_path / "volume", [LAYOUT / "geometry.pdf"])
    text = (root / "volume.yaml").read_text(encoding="utf-8")
    (root / "volume.yaml").write_text(
        text + "venue:\n  layout:\n    profile: iclr2025\n", encoding="utf-8"
    )
    line = len(text.splitlines()) + 3
    _, report = check_json(str(root))
    setting = [f for item in report["files"] for f in item["findings"] if f["code"] == "LAYOUT003"]
    assert len(setting) == 1
    assert "iclr2025" in setting[0]["message"] and setting[0]["line"] == line
    assert [f for p in report["papers"] for f in p["findings"] if f["code"] < "LAYOUT003"
            and f["code"].startswith("LAYOUT")] == []  # fmt: skip


def test_a_length_that_is_not_a_number_is_a_schema_error(tmp_path: Path) -> None:
    root = make_volume(tmp_path / "volume", [LAYOUT / "honest.pdf"])
    with (root / "volume.yaml").open("a", encoding="utf-8") as handle:
        handle.write("venue:\n  layout:\n    text_width: wide\n")
    _, report = check_json(str(root))
    codes = [f["code"] for item in report["files"] for f in item["findings"]]
    assert codes.count("VOL003") == 1 and "LAYOUT003" not in codes  # one finding, not two
    assert _layout_findings(report) == []  # a layout half read judges no paper


def test_an_empty_layout_is_reported(tmp_path: Path) -> None:
    root = make_volume(tmp_path / "volume", [LAYOUT / "geometry.pdf"])
    with (root / "volume.yaml").open("a", encoding="utf-8") as handle:
        handle.write("venue:\n  layout: {}\n")
    _, report = check_json(str(root))
    setting = [f for item in report["files"] for f in item["findings"] if f["code"] == "LAYOUT003"]
    assert [f["message"] for f in setting] == [
        "venue.layout names no profile and no length: nothing is checked"
    ]


def test_loose_pdfs_follow_iclr_and_volume_papers_only_their_venue() -> None:
    assert layout_of(VenueRules(), in_volume=False)[0] == ICLR2026
    assert layout_of(VenueRules(), in_volume=True)[0] is None
    custom = VenueRules(layout=(("profile", "iclr2026"), ("text_width", 430)))
    layout = layout_of(custom, in_volume=True)[0]
    assert layout is not None and layout.text_width == 430 and layout.text_height == 648


def test_a_block_of_another_shape_holding_no_more_is_a_warning() -> None:
    # Narrower and taller than the style's, with less area: not the style, but no gain.
    rule = get_rule("LAYOUT001")
    assert rule is not None
    with open_document(LAYOUT / "honest.pdf") as document:
        paper = CheckedPaper(id="x", path=LAYOUT / "honest.pdf", track="long", page_limit=5)
        paper.document, paper.structure = document, analyse(document)
        paper.venue = VenueRules(layout=(("text_width", 440), ("text_height", 600)))
        paper.meta = None
        findings = list(run_rules(paper, [rule]))
    assert [(f.severity.value, "in tall" in f.message) for f in findings] == [("warning", True)]


def test_example_volume_with_the_layout_set_stays_clean(tmp_path: Path) -> None:
    root = tmp_path / "papers"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("src", "build.sh"))
    volume = (root / "volume.yaml").read_text(encoding="utf-8")
    assert "\nvenue:\n" in volume
    (root / "volume.yaml").write_text(
        volume.replace("\nvenue:\n", "\nvenue:\n  layout:\n    profile: iclr2026\n"),
        encoding="utf-8",
    )
    _, report = check_json(str(root), "--select", "LAYOUT")
    assert _layout_findings(report) == []
    assert not any(item["findings"] for item in report["files"])


def _iclr_corpus_papers(corpus: Path) -> list[Path]:
    rows = [json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines()]
    return [corpus / "pdf" / row["file"] for row in rows if row["style"].startswith("iclr")]


def test_no_layout_error_on_the_corpus_papers_in_iclr_style(corpus: Path) -> None:
    papers = _iclr_corpus_papers(corpus)
    assert len(papers) >= 10
    _, report = check_json(*map(str, papers), "--select", "LAYOUT")
    errors = [f for f in _layout_findings(report) if f["severity"] == "error"]
    assert errors == []


def test_corpus_papers_in_iclr_style_measure_the_style(corpus: Path) -> None:
    # Each paper of the ICLR style with a few full pages of main text measures its layout.
    measured = [_measure(pdf) for pdf in _iclr_corpus_papers(corpus)]
    in_style = [block for block in measured if block.left == pytest.approx(108, abs=1)]
    assert len(in_style) >= 12
    for block in in_style:
        assert block.width == pytest.approx(396, abs=1)
        assert block.body_size == pytest.approx(10, abs=0.1)
        assert block.line_pitch == pytest.approx(11, abs=0.1)
        assert block.height is not None and block.height < 648 + 7


def test_real_volumes_of_other_styles_get_no_layout_finding() -> None:
    volume = SHARED / "volumes" / "v163"
    if not (volume / "volume.yaml").is_file():
        pytest.skip("the shared volumes are not present")
    _, report = check_json(str(volume), "--select", "LAYOUT")
    assert _layout_findings(report) == []
    assert report["papers"]
