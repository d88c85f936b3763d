"""The CI and browser report formats: GitHub annotations, JUnit XML and the HTML page."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pikepdf
import pytest
from markupsafe import escape

from conftest import BAD, PAPERS
from proceedings.check import CheckOptions, check_bib, check_paths, check_volume
from proceedings.report import (
    FileReport,
    Finding,
    PaperReport,
    Report,
    Severity,
    Status,
    render_text,
)
from proceedings.report.github import render_github
from proceedings.report.html import render_html
from proceedings.report.junit import render_junit

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"
PASSING = PAPERS / "long_refs_mid_p5.pdf"
OVER = PAPERS / "long_refs_p6_40.pdf"  # REFERENCES on page 6, 40% down: over the limit of 5
UNREADABLE = BAD / "truncated.pdf"
HOSTILE = "<script>alert(1)</script>"
COMMAND = re.compile(r"^::(?P<level>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


@pytest.fixture(scope="module")
def loose() -> Report:
    """A passing paper, one over the limit, an unreadable file and one with a warning."""
    return check_paths([PASSING, OVER, UNREADABLE, BAD / "image_only.pdf"])


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    """A copy of the example volume with a wrong track and a hostile title on paper 12."""
    root = tmp_path_factory.mktemp("broken") / "papers"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("src", "build.sh"))
    path = root / "papers.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Asking Twice Does Not Help", f"Asking {HOSTILE} Twice", 1)
    text = text.replace("    track: long\n", "    track: medium\n", 1)
    path.write_text(text, encoding="utf-8")
    return root, check_volume(root)


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def _unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def _commands(text: str) -> list[tuple[str, dict[str, str], str]]:
    """Each workflow command as (level, properties, message), unescaped as the runner does."""
    assert text.endswith("\n")
    parsed = []
    for line in text.splitlines():
        match = COMMAND.match(line)
        assert match, line
        props = {}
        if match["props"]:
            for item in match["props"].split(","):
                key, _, value = item.partition("=")
                props[key] = _unescape(value)
        parsed.append((match["level"], props, _unescape(match["message"])))
    return parsed


def _all_findings(report: Report) -> list[Finding]:
    found = [finding for item in report.files for finding in item.findings]
    return found + [finding for paper in report.papers for finding in paper.findings]


# GitHub Actions


def test_github_gives_one_command_per_finding_then_a_summary(loose: Report) -> None:
    commands = _commands(render_github(loose))
    findings = _all_findings(loose)
    assert len(commands) == len(findings) + 1
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    assert [level for level, _, _ in commands[:-1]] == [levels[f.severity] for f in findings]
    level, props, message = commands[-1]
    assert (level, props) == ("notice", {})
    assert message.startswith("Checked 4 papers: ") and "could not be read" in message


def test_github_pdf_finding_goes_on_the_file_with_its_page_in_the_message(loose: Report) -> None:
    text = render_github(loose)
    line = next(line for line in text.splitlines() if "PAGE001" in line)
    assert line.startswith(f"::error file={OVER},title=PAGE001 page-limit::page 6: ")
    assert "line=" not in line
    assert "40%25 down" in line  # `%` escaped in the message
    assert "%0Ahint: Shorten the main text" in line  # the hint on its own line
    assert "\r" not in text and text.count("\n") == len(text.splitlines())
    unreadable = next(c for c in _commands(text) if c[1]["file"] == str(UNREADABLE))
    assert unreadable[0] == "error" and unreadable[1]["title"] == "PDF001 unreadable-pdf"
    assert unreadable[2].startswith("truncated.pdf is damaged")
    warning = next(c for c in _commands(text) if c[1]["title"].startswith("PDF002"))
    assert warning[0] == "warning"


def test_github_metadata_finding_goes_on_the_line_of_papers_yaml(
    broken: tuple[Path, Report],
) -> None:
    root, report = broken
    line = _line_of(root / "papers.yaml", "track: medium")
    commands = _commands(render_github(report))
    vol006 = [c for c in commands if c[1].get("title") == "VOL006 unknown-track"]
    assert len(vol006) == 1
    level, props, message = vol006[0]
    assert level == "error"
    assert props == {
        "file": str(root / "papers.yaml"),
        "line": str(line),
        "title": "VOL006 unknown-track",
    }
    assert "'medium' is not a track" in message
    meta = next(c for c in commands if c[1].get("title", "").startswith("META001"))
    assert meta[1]["file"] == str(root / "pdf" / "12.pdf")
    assert HOSTILE in meta[2]  # annotations are plain text: nothing to escape but the syntax


def test_text_report_shows_control_characters_instead_of_sending_them() -> None:
    # A title typed into a web form, quoted in a finding: printed raw, the escape sequence
    # would clear the organizer's terminal and the newline would forge a finding line.
    title = "Results\x1b[2J\nerror   FAKE001  all good\x00"
    finding = Finding("META001", Severity.ERROR, f"the title {title} is not on page 1")
    report = Report(papers=[PaperReport("a", "pdf/a\x07.pdf", "long", 5, findings=[finding])])
    text = render_text(report)
    assert not any(char in text for char in "\x1b\x00\x07")
    assert "Results\\x1b[2J\\nerror   FAKE001  all good\\x00 is not on page 1" in text
    assert text.splitlines()[0].startswith("pdf/a\\x07.pdf")
    assert not any(line.startswith("error   FAKE001") for line in text.splitlines())


def test_github_escapes_properties_and_messages() -> None:
    finding = Finding(
        "VOL006",
        Severity.WARNING,
        "50% of\r\nthe titles: a, b",
        hint="fix it",
        line=3,
        file="papers.yaml",
    )
    paper_note = Finding("META003", Severity.INFO, "note: x", line=7, file="papers.yaml")
    report = Report(
        papers=[PaperReport("a", "vol:1,x/pdf/a.pdf", "long", 5, findings=[paper_note])],
        files=[FileReport("vol:1,x/papers.yaml", "metadata", findings=[finding])],
    )
    text = render_github(report)
    first, second, summary = text.splitlines()
    assert first == (
        "::warning file=vol%3A1%2Cx/papers.yaml,line=3,title=VOL006 unknown-track::"
        "50%25 of%0D%0Athe titles: a, b%0Ahint: fix it"
    )
    # A paper's finding on papers.yaml lands on the volume's papers.yaml, at its line.
    assert second == (
        "::notice file=vol%3A1%2Cx/papers.yaml,line=7,title=META003 not-ascii-latex::note: x"
    )
    assert _commands(text)[0][2] == "50% of\r\nthe titles: a, b\nhint: fix it"
    assert summary.startswith("::notice::Checked 1 paper and 1 other file")


def test_github_bib_findings_carry_their_lines() -> None:
    bib = PAPERS.parent / "bib" / "refs" / "bad_doi.bib"
    commands = _commands(render_github(Report(papers=[], files=[check_bib(bib)])))
    lines = [props["line"] for _, props, _ in commands[:-1]]
    assert lines and all(props["file"] == str(bib) for _, props, _ in commands[:-1])
    assert lines == sorted(lines, key=int)


# JUnit


def _suite(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(text.encode("utf-8"))
    suites = root.findall("testsuite")
    assert root.tag == "testsuites" and len(suites) == 1
    assert suites[0].get("name") == "proceedings"
    return suites[0]


def _expected_counts(report: Report) -> dict[str, str]:
    items = [*report.files, *report.papers]
    return {
        "tests": str(len(items)),
        "failures": str(sum(1 for item in items if item.status is Status.FAIL)),
        "errors": str(sum(1 for item in items if item.status is Status.ERROR)),
    }


def test_junit_counts_match_the_report(loose: Report) -> None:
    suite = _suite(render_junit(loose))
    expected = _expected_counts(loose)
    assert {key: suite.get(key) for key in expected} == expected
    assert expected["tests"] == "4" and expected["errors"] == "1" and expected["failures"] != "0"
    cases = suite.findall("testcase")
    assert [case.get("file") for case in cases] == [paper.file for paper in loose.papers]
    assert {case.get("classname") for case in cases} == {"papers"}


def test_junit_failures_carry_codes_and_every_finding(loose: Report) -> None:
    cases = {case.get("file"): case for case in _suite(render_junit(loose)).iter("testcase")}
    over = cases[str(OVER)]
    failure = over.find("failure")
    assert failure is not None and failure.get("type") == "PAGE001"
    assert "5.40 pages" in (failure.get("message") or "")
    body = failure.text or ""
    assert "error PAGE001 page 6: main text runs to 5.40 pages" in body
    assert "hint: Shorten the main text" in body
    error = cases[str(UNREADABLE)].find("error")
    assert error is not None and error.get("type") == "PDF001"
    assert cases[str(UNREADABLE)].find("failure") is None
    passing = cases[str(PASSING)]
    assert passing.find("failure") is None and passing.find("error") is None
    scan = cases[str(BAD / "image_only.pdf")]
    assert scan.find("failure") is None
    assert "warning PDF002 page 1:" in (scan.findtext("system-out") or "")


def test_junit_volume_has_a_case_per_file_and_paper(broken: tuple[Path, Report]) -> None:
    root, report = broken
    suite = _suite(render_junit(report))
    expected = _expected_counts(report)
    assert {key: suite.get(key) for key in expected} == expected
    cases = {case.get("file"): case for case in suite.iter("testcase")}
    # volume.yaml, papers.yaml, program.yaml and the ten papers.
    assert len(cases) == len(report.files) + len(report.papers) == 13
    metadata = cases[str(root / "papers.yaml")]
    assert metadata.get("classname") == "metadata"
    failure = metadata.find("failure")
    assert failure is not None and failure.get("type") == "VOL006"
    line = _line_of(root / "papers.yaml", "track: medium")
    assert f"error VOL006 papers.yaml:{line}:" in (failure.text or "")
    title = cases[str(root / "pdf" / "12.pdf")].find("failure")
    assert title is not None and HOSTILE in (title.get("message") or "")


def test_junit_drops_characters_xml_forbids() -> None:
    message = "bad \x00 text\x0b layer \ufffe \ud800 end"
    paper = PaperReport(
        "x\x01",
        "x\x1f.pdf",
        "long",
        5,
        findings=[Finding("PDF003", Severity.ERROR, message, hint="a\x08b")],
    )
    text = render_junit(Report(papers=[paper]))
    failure = _suite(text).find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == "bad  text layer   end"
    assert "hint: ab" in (failure.text or "")


# HTML


def _html(text: object) -> str:
    """`text` as the page's templates write it."""
    return str(escape(str(text)))


def _sections(page: str) -> list[str]:
    """Each paper's section of the page, in the page's order."""
    parts = page.split('<section class="card paper ')[1:]
    return [part.split("</section>", 1)[0] for part in parts]


def _section_of(page: str, file: Path | str) -> str:
    marker = f'<span class="file">{_html(str(file))}</span>'
    found = [part for part in _sections(page) if marker in part]
    assert len(found) == 1, file
    return found[0]


def _figure(section: str, number: int) -> str:
    start = section.index(f'data-page="{number}"')
    return section[start : section.index("</figure>", start)]


# A tag other than a plain link (<a href>) that names a URL on the network, and CSS that would
# fetch one.
NETWORK_TAG = re.compile(
    r"<(?!a\s)[a-z]+[^>]*\b(?:src|href|srcset|action|poster|data)\s*=\s*[\"']?\s*"
    r"(?:https?:)?//",
    re.IGNORECASE,
)
NETWORK_CSS = re.compile(r"url\(\s*[\"']?\s*(?:https?:)?//|@import", re.IGNORECASE)


def _assert_self_contained(page: str) -> None:
    assert not NETWORK_TAG.search(page) and not NETWORK_CSS.search(page)
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert "<iframe" not in page.lower() and "<object" not in page.lower()


def test_html_shows_each_paper_with_thumbnails_limit_and_findings(loose: Report) -> None:
    page = render_html(loose)
    assert page.startswith("<!DOCTYPE html>")
    _assert_self_contained(page)
    assert len(_sections(page)) == len(loose.papers)
    over = _section_of(page, OVER)
    # Six pages drawn, a red bar after page 5 (the limit) and not after any other page.
    assert over.count('src="data:image/png;base64,') == 6
    assert re.findall(r'data-limit-after="(\d+)"', over) == ["5"]
    assert over.index('data-page="5"') < over.index('data-limit-after="5"')
    assert over.index('data-limit-after="5"') < over.index('data-page="6"')
    # The main text ends on page 6, 40% down the text block: a line on that page alone.
    sixth = _figure(over, 6)
    assert 'class="end"' in sixth and over.count('class="end"') == 1
    top = float(re.findall(r'class="end" style="top: ([\d.]+)%"', sixth)[0])
    assert 40 < top < 50  # 40% of the text block, below the top margin
    # The page-limit finding stands beside page 6; its message and hint are on the page.
    assert "PAGE001" in sixth
    assert _html("main text runs to 5.40 pages; the long-paper limit is 5") in sixth
    assert "Shorten the main text" in sixth
    assert "5.40" in over and "REFERENCES starts on page 6, 40% down" in over


def test_html_summary_and_unreadable_paper(loose: Report) -> None:
    page = render_html(loose)
    summary = page.split("<h3>Pages</h3>", 1)[0]
    statuses = [paper.status for paper in loose.papers]
    assert f"<b>{statuses.count(Status.PASS)}</b>passed" in summary
    assert f"<b>{statuses.count(Status.FAIL)}</b>failed" in summary
    assert "<b>1</b>could not be read" in summary
    assert f"<b>{loose.errors}</b>error" in summary
    for paper in loose.papers:
        assert _html(paper.file) in summary
    bad = _section_of(page, UNREADABLE)
    assert "data:image" not in bad and "unreadable" in bad
    assert _html("truncated.pdf is damaged and cannot be opened") in bad
    # Problems first: the unreadable file, then the failing paper, then the others.
    first, second = _sections(page)[:2]
    assert _html(str(UNREADABLE)) in first and _html(str(OVER)) in second
    scan = _section_of(page, BAD / "image_only.pdf")
    assert "PDF002" in _figure(scan, 1)


def test_html_volume_lists_metadata_findings_and_escapes_everything(
    broken: tuple[Path, Report],
) -> None:
    root, report = broken
    page = render_html(report)
    _assert_self_contained(page)
    assert HOSTILE not in page and "alert(1)" in page
    assert escape(HOSTILE) in page
    assert len(_sections(page)) == len(report.papers) == 10
    assert page.count('src="data:image/png;base64,') == sum(
        paper.pages_total or 0 for paper in report.papers
    )
    line = _line_of(root / "papers.yaml", "track: medium")
    metadata = page.split("<h3>Metadata and BibTeX</h3>", 1)[1].split("<h3>", 1)[0]
    assert f"papers.yaml:{line}" in metadata and "VOL006" in metadata
    assert _html("'medium' is not a track of this volume") in metadata
    assert _html(str(root / "volume.yaml")) in metadata  # clean files listed too
    twelve = _section_of(page, root / "pdf" / "12.pdf")
    assert "META001" in _figure(twelve, 1)


def test_html_fractional_limit_is_a_line_on_its_page() -> None:
    report = check_paths([OVER], CheckOptions(page_limit=4.5))
    section = _section_of(render_html(report), OVER)
    assert "data-limit-after" not in section
    fifth = _figure(section, 5)
    assert 'class="limit-line"' in fifth and section.count('class="limit-line"') == 1


def test_html_long_paper_shows_the_first_pages_and_says_how_many_more(tmp_path: Path) -> None:
    long_pdf = tmp_path / "long.pdf"
    with pikepdf.new() as writer, pikepdf.open(OVER) as source:
        for _ in range(3):
            writer.pages.extend(source.pages)
        writer.save(long_pdf)
    report = check_paths([long_pdf])
    assert report.papers[0].pages_total == 18
    section = _section_of(render_html(report), long_pdf)
    assert section.count('src="data:image/png;base64,') == 12
    assert "6 more pages" in section


def test_html_without_the_pdf_lists_the_findings_without_thumbnails(tmp_path: Path) -> None:
    copy = tmp_path / "gone.pdf"
    shutil.copy(OVER, copy)
    report = check_paths([copy])
    copy.unlink()
    section = _section_of(render_html(report), copy)
    assert "data:image" not in section
    assert "The pages cannot be shown" in section
    assert "PAGE001" in _figure(section, 6)
