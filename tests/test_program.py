"""program.yaml, the workshop's day: read, checked against the volume (VOL020), and built into
`site/program.html` and `site/program.ics`."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import time
import zoneinfo
from pathlib import Path

import icalendar
import pytest

from conftest import PAPERS, check_json, page_texts
from proceedings.build.frontmatter import render_frontmatter
from proceedings.build.pipeline import build_volume
from proceedings.build.plan import plan_volume
from proceedings.build.program_site import escape_text, fold
from proceedings.report import Finding, Severity
from proceedings.rules import get_rule, run_rules
from proceedings.volume import load_volume, read_sources
from volumes import VOLUME_YAML

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"

SPEAKERS = """\
frontmatter:
  invited_speakers:
    - {name: "Margarethe Holm", affiliation: "MPI", talk: "What Failed Replications Taught Us"}
"""

PAPERS_YAML = """\
papers:
  - {id: "1", title: "One", authors: [A Person], abstract: x, track: long, archival: true}
  - {id: "2", title: "Two", authors: [A Person], abstract: x, track: tiny, archival: false}
"""

PROGRAM = """\
timezone: America/Sao_Paulo
sessions:
  - {start: "08:00", end: "08:10", kind: opening}
  - {start: "08:10", end: "08:55", kind: talk, speaker: "Margarethe Holm"}
  - {start: "08:55", end: "09:30", kind: spotlights, papers: ["1"]}
  - {start: "09:30", end: "10:30", kind: posters, papers: ["1", "2"]}
  - {start: 10:30, end: 10:45, kind: closing}
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "volume"
    folder.mkdir()
    (folder / "volume.yaml").write_text(VOLUME_YAML + SPEAKERS)
    (folder / "papers.yaml").write_text(PAPERS_YAML)
    (folder / "program.yaml").write_text(PROGRAM)
    return folder


def vol020(folder: Path) -> list[Finding]:
    rule = get_rule("VOL020")
    assert rule is not None
    return list(run_rules(read_sources(folder), [rule], subject="volume"))


def where(findings: list[Finding]) -> list[tuple[str | None, int | None, str]]:
    return [(item.file, item.line, item.severity.value) for item in findings]


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "program.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_good_program_has_no_finding_and_is_read_in_its_time_zone(root: Path) -> None:
    assert vol020(root) == []
    volume, _ = load_volume(root)
    assert volume.program is not None
    sessions = volume.program.sessions
    assert [session.title for session in sessions] == [
        "Opening remarks",
        "Invited talk: Margarethe Holm",
        "Spotlight talks",
        "Poster session",
        "Closing remarks",
    ]
    # The date is the volume's start; 08:00 in Rio is 11:00 UTC.
    assert sessions[0].start.isoformat() == "2026-04-27T08:00:00-03:00"
    # An unquoted 10:30, which YAML reads as the number 630, is still 10:30.
    assert sessions[-1].start.strftime("%H:%M") == "10:30"
    assert sessions[1].speaker is not None and sessions[1].speaker.affiliation == "MPI"


def test_no_program_yaml_no_finding(root: Path) -> None:
    (root / "program.yaml").unlink()
    assert vol020(root) == []
    assert load_volume(root)[0].program is None


def test_unknown_paper_id_is_an_error_at_its_line(root: Path) -> None:
    edit(root, 'papers: ["1", "2"]', 'papers: ["1", "2", "99"]')
    findings = vol020(root)
    assert where(findings) == [("program.yaml", 6, "error")]
    assert "'99' is not a paper of papers.yaml" in findings[0].message


def test_unknown_speaker_names_the_invited_ones(root: Path) -> None:
    edit(root, 'speaker: "Margarethe Holm"', 'speaker: "Margaret Holm"')
    findings = vol020(root)
    assert where(findings) == [("program.yaml", 4, "error")]
    assert "'Margaret Holm' is not one of the invited speakers" in findings[0].message
    assert "(Margarethe Holm)" in findings[0].message


def test_overlapping_sessions(root: Path) -> None:
    edit(root, 'start: "08:55", end: "09:30"', 'start: "08:50", end: "09:30"')
    findings = vol020(root)
    assert where(findings) == [("program.yaml", 5, "error")]
    assert "starts at 08:50, before 'Invited talk: Margarethe Holm' (line 4) ends at 08:55" in (
        findings[0].message
    )


def test_a_long_session_overlapping_two_later_ones_is_found_for_each(root: Path) -> None:
    edit(root, 'start: "08:10", end: "08:55"', 'start: "08:10", end: "10:00"')
    assert where(vol020(root)) == [("program.yaml", 5, "error"), ("program.yaml", 6, "error")]


def test_session_ending_before_it_starts(root: Path) -> None:
    edit(root, 'start: "09:30", end: "10:30"', 'start: "09:30", end: "09:00"')
    findings = vol020(root)
    # The session left out, its papers are in no session but the spotlight's paper 1.
    assert where(findings) == [("program.yaml", 6, "error"), ("program.yaml", 3, "warning")]
    assert "sessions[3].end: 09:00 is not after its start (09:30)" in findings[0].message
    assert "paper 2 of papers.yaml is in no session" in findings[1].message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('end: "08:10"', 'end: "8h10"', "sessions[0].end: '8h10' is not a time of day"),
        ('end: "08:10"', 'end: "24:00"', "sessions[0].end: '24:00' is not a time of day"),
        ('end: "08:10"', "end: true", "sessions[0].end: True is not a time of day"),
        ("America/Sao_Paulo", "America/Rio", "timezone: 'America/Rio' is not an IANA time zone"),
        ("America/Sao_Paulo", "../../etc/passwd", "'../../etc/passwd' is not an IANA time zone"),
        ("America/Sao_Paulo", "[UTC]", "timezone: ['UTC'] is not an IANA"),
        ("kind: opening", "kind: keynote", "'keynote' is not a kind of session"),
        ("kind: opening", "kind: opening, paper: 1", "sessions[0].paper: unknown key"),
    ],
)
def test_bad_values_are_errors_with_file_and_line(
    root: Path, old: str, new: str, message: str
) -> None:
    edit(root, old, new)
    findings = vol020(root)
    assert [item.severity for item in findings] == [Severity.ERROR]
    assert findings[0].file == "program.yaml" and findings[0].line in (1, 3)
    assert message in findings[0].message


def test_an_accepted_paper_in_no_session_is_a_warning(root: Path) -> None:
    edit(root, 'papers: ["1", "2"]', 'papers: ["1"]')
    findings = vol020(root)
    assert where(findings) == [("program.yaml", 3, "warning")]
    assert findings[0].message == "paper 2 of papers.yaml is in no session of the program"


def test_a_program_that_is_no_mapping_or_no_file(root: Path) -> None:
    (root / "program.yaml").write_text("- just a list\n")
    assert [item.message for item in vol020(root)] == [
        "is not a mapping with `timezone` and `sessions`"
    ]
    (root / "program.yaml").unlink()
    os.mkfifo(root / "program.yaml")
    sources = read_sources(root)  # a FIFO is not read (it would block): VOL001 reports it
    assert sources.program is None
    assert [(error.file, "FIFO" in error.message) for error in sources.errors] == [
        ("program.yaml", True)
    ]


def test_check_reports_the_example_volumes_program_errors(tmp_path: Path) -> None:
    example = tmp_path / "papers"
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns("src", "build.sh"))
    path = example / "program.yaml"
    path.write_text(path.read_text().replace('"41", "64"]', '"41", "46"]'))
    code, report = check_json(example)
    program = [item for item in report["files"] if item["file"].endswith("program.yaml")]
    assert [(item["code"], item["line"]) for item in program[0]["findings"]] == [("VOL020", 14)]
    assert code == 1


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    build_volume(EXAMPLE, out, only=("site", "frontmatter"), check_papers=False)
    return out / "site"


def test_the_example_calendar_parses_with_one_event_per_session_at_its_time(site: Path) -> None:
    calendar = icalendar.Calendar.from_ical((site / "program.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    program = load_volume(EXAMPLE)[0].program
    assert program is not None and len(events) == len(program.sessions) == 11
    rio = zoneinfo.ZoneInfo("America/Sao_Paulo")
    first, last = events[0], events[-1]
    assert str(first["SUMMARY"]) == "ICBINB 2026: Opening remarks"
    assert first.decoded("DTSTART").astimezone(rio).strftime("%Y-%m-%d %H:%M") == (
        "2026-04-27 08:00"
    )
    assert str(last["SUMMARY"]) == "ICBINB 2026: Closing remarks"
    assert last.decoded("DTSTART").astimezone(rio).strftime("%H:%M") == "16:55"
    # 08:00 in Rio de Janeiro is 11:00 UTC.
    assert first.decoded("DTSTART") == datetime.datetime(2026, 4, 27, 11, 0, tzinfo=datetime.UTC)
    posters = next(event for event in events if "Poster session" in str(event["SUMMARY"]))
    description = str(posters["DESCRIPTION"])
    papers = load_volume(EXAMPLE)[0].papers
    assert all(f"Paper {paper.id}: " in description for paper in papers)
    # The escaped comma of "Rio de Janeiro, Brazil" reads back as a comma.
    assert str(first["LOCATION"]) == "Rio de Janeiro, Brazil"
    assert len({str(event["UID"]) for event in events}) == len(events)


def test_the_calendar_lines_are_folded_and_end_in_crlf(site: Path) -> None:
    data = (site / "program.ics").read_bytes()
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long descriptions are folded
    for line in lines:
        line.decode("utf-8")  # no UTF-8 character is cut in two by a fold


def test_fold_and_escape_follow_rfc_5545() -> None:
    assert escape_text("a, b; c\\d\ne") == "a\\, b\\; c\\\\d\\ne"
    folded = fold("DESCRIPTION:" + "é" * 60)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert "".join(part.removeprefix(" ") for part in parts) == "DESCRIPTION:" + "é" * 60


def test_the_program_page_lists_each_session_and_links_the_papers(site: Path) -> None:
    page = (site / "program.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="program.html">' in index
    assert "All times are local: America/Sao_Paulo (UTC\u221203:00)" in page
    assert "08:00\u201308:10" in page and "16:55\u201317:05" in page
    for paper in load_volume(EXAMPLE)[0].papers:
        assert f'href="index.html#paper-{paper.id}"' in page
        assert f'id="paper-{paper.id}"' in index  # every link lands on an entry
    assert "http" not in page  # nothing fetched, no link leaving the site
    assert '<a href="program.ics">' in page


def test_the_program_page_escapes_what_program_yaml_says(root: Path, tmp_path: Path) -> None:
    edit(root, "kind: opening}", 'kind: opening, title: "<script>alert(1)</script> & co"}')
    (root / "pdf").mkdir()
    for paper_id in ("1", "2"):
        shutil.copy(PAPERS / "tiny_pass.pdf", root / "pdf" / f"{paper_id}.pdf")
    build_volume(root, tmp_path / "out", only=("site",), check_papers=False)
    page = (tmp_path / "out" / "site" / "program.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_the_front_matter_prints_the_program_and_lists_it_in_the_contents(site: Path) -> None:
    pages = page_texts(site.parent / "frontmatter" / "frontmatter.pdf")
    program = next(number for number, text in enumerate(pages) if "Opening remarks" in text)
    text = " ".join(" ".join(pages[program : program + 2]).split())
    assert text.startswith("Program 27 April 2026, Rio de Janeiro, Brazil. Times are local")
    assert "08:00–08:10 Opening remarks Chair: Helena Marquardt" in text
    assert "16:55–17:05 Closing remarks" in text
    # Each poster is printed with its authors.
    assert "Knowledge Cut-off Probes Give Inconsistent Dates Ingrid Halvorsen and Matteo Rossi" in (
        text
    )
    contents = next(text for text in pages if "Contents" in text and "Preface" in text)
    assert re.search(r"Program[ .]*" + ["i", "ii", "iii", "iv", "v", "vi"][program], contents)


def test_without_a_program_the_front_matter_has_none(root: Path) -> None:
    for paper_id in ("1", "2"):
        (root / "pdf").mkdir(exist_ok=True)
        shutil.copy(PAPERS / "tiny_pass.pdf", root / "pdf" / f"{paper_id}.pdf")
    assert "fm-program" in render_frontmatter(plan_volume(load_volume(root)[0]))
    (root / "program.yaml").unlink()
    assert "fm-program" not in render_frontmatter(plan_volume(load_volume(root)[0]))


@pytest.mark.slow
def test_a_program_of_thousands_of_sessions_and_papers_is_checked_quickly(root: Path) -> None:
    papers = [
        f'  - {{id: "{n}", title: "T{n}", authors: [A], abstract: x, track: long}}'
        for n in range(2000)
    ]
    (root / "papers.yaml").write_text("papers:\n" + "\n".join(papers) + "\n")
    ids = ", ".join(f'"{n}"' for n in range(2000))
    sessions = [
        f'  - {{start: "00:{m % 60:02d}", end: "00:{m % 60:02d}", kind: break}}'
        for m in range(1000)
    ]
    (root / "program.yaml").write_text(
        "timezone: UTC\nsessions:\n"
        + "\n".join(sessions)
        + f'\n  - {{start: "01:00", end: "02:00", kind: posters, papers: [{ids}, {ids}]}}\n'
    )
    started = time.perf_counter()
    findings = vol020(root)
    assert time.perf_counter() - started < 10
    # Each zero-length session is one error; every paper is in the poster session.
    assert len(findings) == 1000
    assert all("is not after its start" in item.message for item in findings)
