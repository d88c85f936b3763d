"""The workshop's day: `program.yaml` read into a `Program`, with what is wrong with it.

Reading is lenient, as for the other metadata: a session that cannot be understood is left
out of the `Program` and named among the `problems` (path, message), which rule VOL020
reports with the file's lines. The format is in docs/volume-format.md:

    timezone: America/Sao_Paulo
    date: 2026-04-27            # the volume's `start` when left out
    sessions:
      - {start: "08:00", end: "08:10", kind: opening}
      - {start: "08:10", end: "08:55", kind: talk, speaker: Margarethe Holm}
      - {start: "10:30", end: "11:30", kind: posters, papers: ["12", "17"]}

This module knows nothing of `Volume` (which holds a `Program`): it is given the paper ids and
the invited speakers it checks against.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from dataclasses import dataclass
from typing import Any

from proceedings.yamlsource import PathKey, YamlSource, parse_date

PROGRAM_FILE = "program.yaml"

# What a session is, and the title it gets when it has none.
KINDS = {
    "opening": "Opening remarks",
    "talk": "Invited talk",
    "spotlights": "Spotlight talks",
    "posters": "Poster session",
    "break": "Break",
    "panel": "Panel discussion",
    "closing": "Closing remarks",
    "other": "Session",
}
PROGRAM_KEYS = frozenset({"timezone", "date", "sessions"})
SESSION_KEYS = frozenset(
    {"start", "end", "kind", "title", "speaker", "papers", "panelists", "chair", "description"}
)
# Kinds whose papers are the point of the session; others may not list papers.
PAPER_KINDS = frozenset({"spotlights", "posters"})

_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class Speaker:
    name: str
    affiliation: str | None
    talk: str | None


@dataclass(frozen=True)
class Session:
    start: datetime.datetime  # aware, in the program's time zone
    end: datetime.datetime
    kind: str
    title: str
    line: int  # where the entry starts in program.yaml
    speaker: Speaker | None = None
    papers: tuple[str, ...] = ()  # paper ids, in the order given
    panelists: tuple[str, ...] = ()
    chair: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Program:
    timezone: str
    date: datetime.date
    sessions: tuple[Session, ...]  # in order of start


@dataclass(frozen=True)
class Problem:
    path: PathKey
    message: str
    warning: bool = False


def parse_time(value: Any) -> datetime.time | None:
    """`"08:00"` as a time. YAML 1.1 reads an unquoted `10:30` as the sexagesimal number 630
    (and `08:00` as text, as a leading zero is no number): such a number is read back as the
    hours and minutes it was written with."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if 0 <= value < 24 * 60:
            return datetime.time(value // 60, value % 60)
        return None
    if isinstance(value, str):
        match = _TIME.fullmatch(value.strip())
        if match:
            return datetime.time(int(match[1]), int(match[2]))
    return None


def time_zone(value: Any) -> zoneinfo.ZoneInfo | None:
    """The IANA time zone named by `value` (`America/Sao_Paulo`), or None when it is none."""
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return None
    try:
        return zoneinfo.ZoneInfo(value.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        # ValueError: a name that is a path (`../etc/passwd`, `/x`) or holds a NUL byte.
        return None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _shown(time: datetime.datetime) -> str:
    return time.strftime("%H:%M")


def read_program(
    source: YamlSource,
    paper_ids: list[str],
    speakers: list[Any],
    default_date: Any,
) -> tuple[Program | None, list[Problem]]:
    """The program in `source`, and its problems. `paper_ids` are the accepted papers;
    `speakers` the entries of `frontmatter.invited_speakers`; `default_date` the volume's
    `start`. None when the program has no usable time zone, date or list of sessions."""
    problems: list[Problem] = []
    data = source.data
    if not isinstance(data, dict):
        return None, [Problem((), "is not a mapping with `timezone` and `sessions`")]
    for key in data:
        if str(key) not in PROGRAM_KEYS:
            problems.append(
                Problem(
                    (str(key),), f"{key}: unknown key (known: {', '.join(sorted(PROGRAM_KEYS))})"
                )
            )
    zone = time_zone(data.get("timezone"))
    if zone is None:
        value = data.get("timezone")
        problems.append(
            Problem(
                ("timezone",),
                "timezone: missing"
                if value is None
                else f"timezone: {value!r} is not an IANA time zone (such as America/Sao_Paulo)",
            )
        )
    day = parse_date(data.get("date", default_date))
    if day is None:
        where = "date" if "date" in data else "the volume's proceedings.start"
        problems.append(
            Problem(("date",), f"date: {where} gives no date in YYYY-MM-DD form to place the day")
        )
    raw_sessions = data.get("sessions")
    if not isinstance(raw_sessions, list) or not raw_sessions:
        problems.append(Problem(("sessions",), "sessions: missing, or not a list of sessions"))
        return None, problems
    known_speakers = {
        name: entry
        for entry in speakers
        if isinstance(entry, dict) and (name := _text(entry.get("name")))
    }
    known_papers = set(paper_ids)
    sessions: list[tuple[int, Session]] = []
    listed: set[str] = set()
    for index, entry in enumerate(raw_sessions):
        path: PathKey = ("sessions", index)
        session = _session(source, path, entry, zone, day, known_papers, known_speakers, problems)
        if session is not None:
            sessions.append((index, session))
            listed.update(session.papers)
    ordered = sorted(sessions, key=lambda pair: (pair[1].start, pair[1].end))
    # Against the session that ends last so far: one long session may hold several others.
    latest: Session | None = None
    for index, later in ordered:
        if latest is not None and later.start < latest.end:
            problems.append(
                Problem(
                    ("sessions", index, "start"),
                    f"sessions[{index}]: {later.title!r} starts at {_shown(later.start)}, before "
                    f"{latest.title!r} (line {latest.line}) ends at {_shown(latest.end)}",
                )
            )
        if latest is None or later.end > latest.end:
            latest = later
    for paper_id in paper_ids:
        if paper_id not in listed:
            problems.append(
                Problem(
                    ("sessions",),
                    f"paper {paper_id} of papers.yaml is in no session of the program",
                    warning=True,
                )
            )
    if zone is None or day is None:
        return None, problems
    return Program(
        timezone=str(zone.key),
        date=day,
        sessions=tuple(session for _, session in ordered),
    ), problems


def _session(
    source: YamlSource,
    path: PathKey,
    entry: Any,
    zone: zoneinfo.ZoneInfo | None,
    day: datetime.date | None,
    known_papers: set[str],
    known_speakers: dict[str, Any],
    problems: list[Problem],
) -> Session | None:
    where = f"sessions[{path[-1]}]"
    if not isinstance(entry, dict):
        problems.append(Problem(path, f"{where}: not a mapping with `start`, `end` and `kind`"))
        return None
    for key in entry:
        if str(key) not in SESSION_KEYS:
            problems.append(
                Problem(
                    (*path, str(key)),
                    f"{where}.{key}: unknown key (known: {', '.join(sorted(SESSION_KEYS))})",
                )
            )
    usable = True
    times: dict[str, datetime.time] = {}
    for name in ("start", "end"):
        value = entry.get(name)
        time = parse_time(value)
        if time is None:
            usable = False
            problems.append(
                Problem(
                    (*path, name),
                    f"{where}.{name}: missing"
                    if value is None
                    else f"{where}.{name}: {value!r} is not a time of day in HH:MM form",
                )
            )
        else:
            times[name] = time
    kind = _text(entry.get("kind")) or "other"
    if kind not in KINDS:
        usable = False
        problems.append(
            Problem(
                (*path, "kind"),
                f"{where}.kind: {kind!r} is not a kind of session ({', '.join(KINDS)})",
            )
        )
    if len(times) == 2 and times["end"] <= times["start"]:
        usable = False
        problems.append(
            Problem(
                (*path, "end"),
                f"{where}.end: {times['end']:%H:%M} is not after its start "
                f"({times['start']:%H:%M})",
            )
        )
    speaker = None
    speaker_name = _text(entry.get("speaker"))
    if "speaker" in entry:
        if speaker_name is None or speaker_name not in known_speakers:
            names = ", ".join(known_speakers) or "none"
            problems.append(
                Problem(
                    (*path, "speaker"),
                    f"{where}.speaker: {entry.get('speaker')!r} is not one of the invited "
                    f"speakers of volume.yaml ({names})",
                )
            )
        else:
            known = known_speakers[speaker_name]
            speaker = Speaker(
                speaker_name, _text(known.get("affiliation")), _text(known.get("talk"))
            )
    papers: list[str] = []
    seen: set[str] = set()
    raw_papers = entry.get("papers")
    if raw_papers is not None:
        if not isinstance(raw_papers, list):
            problems.append(Problem((*path, "papers"), f"{where}.papers: not a list of paper ids"))
        elif kind not in PAPER_KINDS:
            problems.append(
                Problem(
                    (*path, "papers"),
                    f"{where}.papers: a session of kind {kind!r} lists no papers "
                    "(only spotlights and posters do)",
                )
            )
        else:
            for number, value in enumerate(raw_papers):
                paper_id = _text(value)
                if paper_id is None or paper_id not in known_papers:
                    problems.append(
                        Problem(
                            (*path, "papers", number),
                            f"{where}.papers[{number}]: {value!r} is not a paper of papers.yaml",
                        )
                    )
                elif paper_id not in seen:  # a set: a poster session may list thousands
                    seen.add(paper_id)
                    papers.append(paper_id)
    panelists = entry.get("panelists")
    if not usable:
        return None
    # Without a usable zone or date (reported), the sessions are still checked against each
    # other and the papers; the program is then not built.
    place = zone or datetime.UTC
    when = day or datetime.date(2000, 1, 1)
    return Session(
        start=datetime.datetime.combine(when, times["start"], tzinfo=place),
        end=datetime.datetime.combine(when, times["end"], tzinfo=place),
        kind=kind,
        title=_text(entry.get("title"))
        or (f"Invited talk: {speaker.name}" if speaker else KINDS[kind]),
        line=source.line(path) or 1,
        speaker=speaker,
        papers=tuple(papers),
        panelists=tuple(
            person
            for value in (panelists if isinstance(panelists, list) else [])
            if (person := _text(value))
        ),
        chair=_text(entry.get("chair")),
        description=_text(entry.get("description")),
    )
