"""Rules about the settings of volume.yaml: the dates, the tracks as PMLR sections, the `venue`
settings and the front-matter template overrides.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from proceedings.pmlr_ids import section_names
from proceedings.report import Severity
from proceedings.rules import Violation, rule, unknown_codes
from proceedings.rules.volume_walk import at_path
from proceedings.venues import PAGE_SIZES, PROFILES, get_profile, head_pattern_error
from proceedings.volume import (
    SEVERITY_LEVELS,
    Track,
    VolumeSources,
    parse_date,
    published_problem,
    severity_code,
    severity_level,
)
from proceedings.yamlsource import PathKey, format_path


@rule(
    "VOL011",
    "bad-dates",
    Severity.ERROR,
    fix="Write dates as YYYY-MM-DD, with start <= end <= published.",
    subject="volume",
)
def bad_dates(sources: VolumeSources) -> Iterator[Violation]:
    """The volume's dates are not ISO dates, or are out of order.

    ## What it catches
    `start`, `end` or `published` not in `YYYY-MM-DD` form; `start` after `end`; `published`
    more than 60 days before `start` (an error: a wrong year, as when ICBINB 2023's editors
    typed 2023 for 2024). `published` before `end` by less is a warning: PMLR releases some
    volumes days before their workshop (ENLSP 2024, UniReps 2024).

    ## Why it matters
    PMLR requires ISO dates; the date is printed on every paper's page and its year is in
    every paper's id.

    ## Known problems
    A volume released on purpose months before its workshop is reported as an error; turn
    it into a warning with `venue: {severities: {VOL011: warning}}`.

    ## Example
    A workshop that ends the day before it starts:

        error VOL011 volume.yaml:14 proceedings.end: 2026-04-26 is before start (2026-04-27)

    ## How to fix
    Correct the dates.
    """
    source = sources.volume
    if source is None or not isinstance(source.data, dict):
        return
    fields = source.data.get("proceedings")
    if not isinstance(fields, dict):
        return
    dates = {}
    for name in ("start", "end", "published"):
        value = fields.get(name)
        if value is None:
            continue
        date = parse_date(value)
        path: PathKey = ("proceedings", name)
        if date is None:
            yield at_path(
                source,
                path,
                f"{format_path(path)}: {value!r} is not a date in YYYY-MM-DD form",
            )
        else:
            dates[name] = date
    if "start" in dates and "end" in dates and dates["start"] > dates["end"]:
        path = ("proceedings", "end")
        yield at_path(
            source,
            path,
            f"{format_path(path)}: {dates['end'].isoformat()} is before start "
            f"({dates['start'].isoformat()})",
        )
    problem = published_problem(dates.get("start"), dates.get("end"), dates.get("published"))
    if problem is not None:
        path = ("proceedings", "published")
        yield Violation(
            f"{format_path(path)}: {problem.message}",
            file=source.file,
            line=source.line(path),
            severity=None if problem.serious else Severity.WARNING,
            hint="Check the year: a volume is published after its workshop, or days before "
            "it when released for the event."
            if problem.serious
            else "Nothing to do if the volume is released before the workshop on purpose.",
        )


@rule(
    "VOL012",
    "track-section",
    Severity.ERROR,
    fix="Give each track an id that stays distinct as letters, digits and hyphens, and a "
    "title without `|` or `=`.",
    subject="volume",
)
def track_section(sources: VolumeSources) -> Iterator[Violation]:
    """A track that cannot become a section of the PMLR volume.

    ## What it catches
    Two tracks whose ids give the same PMLR section name (a name is the id when it is
    letters, digits, `-` and `_`, else the id in lower case with hyphens: `Original Papers`
    and `original-papers` meet), and a track title holding `|` or `=`.

    ## Why it matters
    A volume with several tracks is published with `sections = {name=Title|...}`; PMLR
    splits that field at `|` and `=`, so such a title is cut, and two tracks with one name
    would be merged on PMLR's pages.

    ## Example
    A track title with a `|`:

        error VOL012 volume.yaml:25 tracks[1].title: 'Tiny | Short Papers' holds `|` or `=`, which
        PMLR's `sections` field cannot carry

    ## How to fix
    Rename one of the tracks, or reword the title.
    """
    source = sources.volume
    data = source.data if source is not None else None
    tracks = data.get("tracks") if isinstance(data, dict) else None
    if source is None or not isinstance(tracks, list):
        return
    parsed: list[tuple[int, Track]] = []
    for index, entry in enumerate(tracks):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"].strip():
            track_id = " ".join(entry["id"].split())
            title = entry.get("title")
            title_text = " ".join(title.split()) if isinstance(title, str) else track_id
            parsed.append((index, Track(track_id, title_text, 0)))
            if any(char in title_text for char in "|="):
                path: PathKey = ("tracks", index, "title" if isinstance(title, str) else "id")
                yield at_path(
                    source,
                    path,
                    f"{format_path(path)}: {title_text!r} holds `|` or `=`, which PMLR's "
                    "`sections` field cannot carry",
                )
    names = section_names(track for _, track in parsed)
    seen: dict[str, int] = {}
    for position, (index, track) in enumerate(parsed):
        name = names[track.id]
        if name in seen and parsed[seen[name]][1].id != track.id:
            path = ("tracks", index, "id")
            yield at_path(
                source,
                path,
                f"{format_path(path)}: {track.id!r} gives the PMLR section name {name!r}, "
                f"as tracks[{parsed[seen[name]][0]}] does",
            )
        seen.setdefault(name, position)


@rule(
    "VOL015",
    "bad-severity-setting",
    Severity.ERROR,
    fix="Name a rule or family by its code (`FONT002`, `MARGIN`) and give error, warning, "
    "info or off.",
    subject="volume",
)
def bad_severity_setting(sources: VolumeSources) -> Iterator[Violation]:
    """An entry of `venue.severities` that names no rule or no severity.

    ## What it catches
    A key that is empty (`'': off`) or is not the code of a rule or the start of one
    (`FONT02`, `MARGN`), and a value that is not `error`, `warning`, `info` or `off`.

    ## Why it matters
    A key is matched as a prefix of rule codes: an empty one would turn every rule off and
    the check would pass anything; a misspelt one silently changes nothing. Such entries are
    not applied.

    ## Example
    A code with a digit missing:

        error VOL015 volume.yaml:34 venue.severities.FONT02: 'FONT02' is not the code of a rule or
        family; the entry is not applied

    ## How to fix
    Use the codes `proceedings rules` lists; write `off` (or `"off"`) to turn a rule off.
    """
    source = sources.volume
    data = source.data if source is not None else None
    venue = data.get("venue") if isinstance(data, dict) else None
    severities = venue.get("severities") if isinstance(venue, dict) else None
    if source is None or not isinstance(severities, dict):
        return
    levels = ", ".join(SEVERITY_LEVELS)
    for key, value in severities.items():
        path: PathKey = ("venue", "severities", str(key))
        code = severity_code(key)
        if code is None or unknown_codes([code]):
            yield at_path(
                source,
                path,
                f"{format_path(path)}: {key!r} is not the code of a rule or family; the "
                "entry is not applied",
            )
        elif severity_level(value) is None:
            yield at_path(
                source,
                path,
                f"{format_path(path)}: {value!r} is not a severity ({levels}); the entry is "
                "not applied",
            )


@rule(
    "VOL017",
    "template-override",
    Severity.ERROR,
    fix="Keep overrides to plain LaTeX and the template's own tags, as regular files in the "
    "volume's templates/latex/.",
    subject="volume",
)
def template_override(sources: VolumeSources) -> Iterator[Violation]:
    """A front-matter template override the build would refuse.

    ## What it catches
    A file of the volume's `templates/latex/` that is not a regular file inside the volume
    (a link out of it, a FIFO, a folder), is over 1 MB or not UTF-8, or holds what could read
    or run things outside the typesetting: Lua (`\\directlua`, `\\latelua`, ...), `\\input`,
    `\\write`, `\\catcode`, `^^` escapes, pdfTeX's file embedding, Jinja `filter` blocks.

    ## Why it matters
    A volume may come from elsewhere; an override is LaTeX the build runs, and such commands
    would read the machine's files into the front matter. The build stops on them; `check`
    says so first.

    ## Known problems
    Legitimate uses of `\\csname`, `\\input` or `\\write` are refused too; an override copied
    from the shipped preamble is refused for its font set-up in Lua.

    ## Example
    An override that runs Lua:

        error VOL017 templates/latex/preface.tex.j2, line 3: `\\directlua{os.execute('ls')}` runs
        Lua. Templates may not run Lua, read files or build commands from pieces ...

    ## How to fix
    Remove the command, or the override, and build again.
    """
    if not os.path.lexists(sources.root / "templates"):
        return
    # Imported here: the front matter's modules (Jinja2) are needed only by volumes that
    # override its templates.
    from proceedings.build.frontmatter import override_problems

    for problem in override_problems(sources.root):
        yield Violation(problem)  # it names the file (and line) itself


@rule(
    "VOL018",
    "bad-venue-setting",
    Severity.ERROR,
    fix="Give a setting proceedings can apply: a known `venue.profile` (`proceedings venues`), "
    "`page_size: letter` or `a4`, a running head as text or a valid `/regular expression/`.",
    subject="volume",
)
def bad_venue_setting(sources: VolumeSources) -> Iterator[Violation]:
    """A `venue` setting in volume.yaml that cannot be applied, so it is not.

    ## What it catches
    A `venue.profile` that names no shipped venue profile; a `venue.page_size` other than
    `letter` or `a4`; a `venue.running_head` written as a `/regular expression/` that does not
    compile (`/ICLR [2026/`). Values of the wrong type are VOL003, `venue.severities` entries
    VOL015, `venue.layout` LAYOUT003.

    ## Why it matters
    Replaced quietly, a bad setting fails every paper on a rule the author cannot satisfy (an
    invalid head pattern matches no head) or checks nothing at all. The setting is reported
    once, here, and not applied: papers are not checked against it.

    ## Example
    `page_size: legal`:

        error VOL018 volume.yaml:33 venue.page_size: 'legal' is not a page size proceedings checks
        (letter or a4); no page size is checked

    ## How to fix
    Correct the value; `proceedings venues` lists the profiles.
    """
    source = sources.volume
    data = source.data if source is not None else None
    venue = data.get("venue") if isinstance(data, dict) else None
    if source is None or not isinstance(venue, dict):
        return
    profile = venue.get("profile")
    if isinstance(profile, str) and get_profile(profile) is None:
        path: PathKey = ("venue", "profile")
        yield at_path(
            source,
            path,
            f"{format_path(path)}: no venue profile is called {profile!r}; known: "
            f"{', '.join(PROFILES)}",
        )
    size = venue.get("page_size")
    if isinstance(size, str):
        key = size.strip().lower().replace(" ", "")
        if {"usletter": "letter"}.get(key, key) not in PAGE_SIZES:
            path = ("venue", "page_size")
            yield at_path(
                source,
                path,
                f"{format_path(path)}: {size!r} is not a page size proceedings checks "
                f"({' or '.join(PAGE_SIZES)}); no page size is checked",
            )
    head = venue.get("running_head")
    if isinstance(head, str):
        why = head_pattern_error(" ".join(head.split()))
        if why is not None:
            path = ("venue", "running_head")
            yield at_path(
                source,
                path,
                f"{format_path(path)}: {head!r} is not a valid regular expression ({why}); "
                "no running head is checked",
            )
