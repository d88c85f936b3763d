"""`site/program.html` and `site/program.ics`: the workshop's day (program.yaml) for readers
and for their calendars.

The page lists each session with its times in the program's time zone, its speaker, chair or
panelists, and its papers, each linked to its entry in `index.html`; like the index it fetches
nothing. The calendar is written by hand to RFC 5545: one VEVENT per session, times in UTC
(an exact instant needs no VTIMEZONE block), text escaped and lines folded at 75 octets. The
same plan always gives the same bytes: DTSTAMP is the program's day, not the build's time.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from pylatexenc.latex2text import LatexNodes2Text

from proceedings.build.plan import Plan
from proceedings.build.site import _environment, rich_text
from proceedings.program import Program, Session
from proceedings.volume import Paper

PAGE = "program.html"
CALENDAR = "program.ics"


@dataclass(frozen=True)
class _Item:
    paper: Paper
    title: Markup
    authors: str


@dataclass(frozen=True)
class _Row:
    session: Session
    times: str
    details: list[str]
    papers: list[_Item]


def write_program(plan: Plan, out_dir: Path) -> bool:
    """Write the program's page and calendar into `out_dir` (the site); without a program,
    remove those an earlier build left. Whether there is a program."""
    program = plan.volume.program
    if program is None:
        for name in (PAGE, CALENDAR):
            (out_dir / name).unlink(missing_ok=True)
        return False
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / PAGE).write_text(render_program(plan, program), encoding="utf-8")
    # RFC 5545 lines end in CRLF: written as bytes, so no platform changes them.
    (out_dir / CALENDAR).write_bytes(render_calendar(plan, program).encode("utf-8"))
    return True


def _offset(program: Program) -> str:
    first = program.sessions[0].start if program.sessions else None
    if first is None or first.utcoffset() is None:
        return ""
    text = first.strftime("%z")  # -0300
    return f"UTC{text[0]}{text[1:3]}:{text[3:]}".replace("-", "\u2212")


def _papers(plan: Plan, session: Session) -> list[_Item]:
    by_id = {paper.id: paper for paper in plan.volume.papers}
    return [
        _Item(paper, rich_text(paper.title), ", ".join(author.name for author in paper.authors))
        for paper in (by_id.get(paper_id) for paper_id in session.papers)
        if paper is not None
    ]


def _details(session: Session) -> list[str]:
    lines = []
    if session.speaker is not None:
        who = session.speaker.name
        if session.speaker.affiliation:
            who += f" ({session.speaker.affiliation})"
        lines.append(who)
    if session.panelists:
        lines.append("Panelists: " + ", ".join(session.panelists))
    if session.chair:
        lines.append(f"Chair: {session.chair}")
    if session.description:
        lines.append(session.description)
    return lines


def render_program(plan: Plan, program: Program) -> str:
    fields = plan.volume.proceedings
    rows = [
        _Row(
            session,
            f"{session.start:%H:%M}\u2013{session.end:%H:%M}",
            _details(session),
            _papers(plan, session),
        )
        for session in program.sessions
    ]
    return (
        _environment()
        .get_template("program.html.j2")
        .render(
            title=str(fields.get("shortname") or fields.get("name") or "The workshop"),
            name=str(fields.get("name") or ""),
            day=program.date.strftime("%A, %B %-d, %Y"),
            place=str(fields.get("address") or ""),
            zone=program.timezone,
            offset=_offset(program),
            rows=rows,
            calendar=CALENDAR,
        )
    )


def render_calendar(plan: Plan, program: Program) -> str:
    fields = plan.volume.proceedings
    name = str(fields.get("shortname") or fields.get("name") or "Workshop")
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "workshop"
    stamp = f"{program.date:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//proceedings//program//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name + ' program')}",
        f"X-WR-TIMEZONE:{escape_text(program.timezone)}",
    ]
    by_id = {paper.id: paper for paper in plan.volume.papers}
    location = str(fields.get("address") or "")
    for session in program.sessions:
        description = _details(session)
        if session.speaker is not None and session.speaker.talk:
            description.insert(0, f"Talk: {session.speaker.talk}")
        for paper_id in session.papers:
            paper = by_id.get(paper_id)
            if paper is not None:
                authors = ", ".join(author.name for author in paper.authors)
                description.append(f"Paper {paper.id}: {plain(paper.title)} ({authors})")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{slug}-{_utc(session.start)}-{_utc(session.end)}@proceedings",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(session.start)}",
            f"DTEND:{_utc(session.end)}",
            f"SUMMARY:{escape_text(f'{name}: {session.title}')}",
        ]
        if description:
            lines.append(f"DESCRIPTION:{escape_text(chr(10).join(description))}")
        if location:
            lines.append(f"LOCATION:{escape_text(location)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def plain(text: str) -> str:
    """A title's LaTeX (`$12 \\times 12$`, `\\emph{}`) as the text a calendar can show."""
    if "\\" not in text and "$" not in text and "{" not in text:
        return text
    try:
        return str(LatexNodes2Text(math_mode="text").latex_to_text(text))
    except Exception:  # noqa: BLE001  a slip in LaTeX: shown as written
        return text


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(text: str) -> str:
    """A TEXT value of RFC 5545 (3.3.11): backslash, semicolon and comma escaped, a line
    break written `\\n`; other control characters, which the format does not allow, dropped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(char for char in text if char == "\t" or ord(char) >= 0x20 and char != "\x7f")


def fold(line: str, limit: int = 75) -> str:
    """`line` folded as RFC 5545 (3.1) asks: no line longer than 75 octets, each continuation
    starting with a space; a UTF-8 character is never split."""
    parts: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        room = limit if not parts else limit - 1  # the continuation's leading space
        if size + width > room:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
