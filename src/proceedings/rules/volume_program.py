"""The rule about program.yaml: the workshop's day against the volume's papers and speakers."""

from __future__ import annotations

from collections.abc import Iterator

from proceedings.report import Severity
from proceedings.rules import Violation, rule
from proceedings.volume import VolumeSources, program_of


@rule(
    "VOL020",
    "program",
    Severity.ERROR,
    fix="Correct the session at the line given; docs/volume-format.md describes program.yaml.",
    subject="volume",
)
def program(sources: VolumeSources) -> Iterator[Violation]:
    """The workshop's program (program.yaml) names what the volume lacks, or is no day.

    ## What it catches
    In `program.yaml`: a paper id that is not in papers.yaml, a `speaker` who is not one of
    `frontmatter.invited_speakers` in volume.yaml, two sessions that overlap, a session that
    ends before it starts (or when it starts), a time not in `HH:MM` form, a `timezone` that
    is not an IANA time zone, an unknown kind of session or unknown key; and, as a warning, a
    paper of papers.yaml that is in no session. A volume without program.yaml has no finding.

    ## Why it matters
    The program is printed in the front matter, published as `site/program.html` and as a
    calendar (`site/program.ics`) that attendees import: a paper missing from every session
    is never presented, and a wrong time zone moves every event in every calendar.

    ## Known problems
    Parallel sessions are reported as overlaps: the program describes a one-track day. An
    unquoted time such as `10:30` is read by YAML as the number 630 and taken back as 10:30,
    but a bare number such as `9` is read as 00:09; quote times to be sure. Panelists are
    free text and not checked against any list.

    ## Example
    A poster session listing a paper the volume does not have:

        error VOL020 program.yaml:31 sessions[5].papers[3]: '99' is not a paper of papers.yaml

    ## How to fix
    Use the ids of papers.yaml and the names of `frontmatter.invited_speakers`, give each
    session a start before its end and after the end of the one before, and list every
    accepted paper in a poster (or spotlight) session.
    """
    source = sources.program
    if source is None:
        return
    _, problems = program_of(sources)
    for problem in problems:
        yield Violation(
            problem.message,
            file=source.file,
            line=source.line(problem.path),
            severity=Severity.WARNING if problem.warning else None,
            hint="Add the paper to the poster session, or leave it out of papers.yaml."
            if problem.warning
            else None,
        )
