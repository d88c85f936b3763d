"""program.yaml, the workshop's day: read, checked against the volume (VOL020), and built into
`site/program.html` and `site/program.ics`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import check_json
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
  - {id: "1", title: "One", authors: [A Person], abstract: x, track: long}
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
