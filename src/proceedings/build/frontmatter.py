"""The front matter: title page, preface, committees, contents, author index, in roman pages.

`render_frontmatter` fills the LaTeX templates (`templates/latex/frontmatter.tex.j2` and the
parts it includes; a volume overrides any of them with a file of the same name in its own
`templates/latex/`) and `build_frontmatter` typesets the result. The engine follows the text:
pdfLaTeX when every name and title is Latin script, LuaLaTeX otherwise (see
`latex.choose_engine`); the first line of the .tex names it (`% !TEX program = lualatex`).

The preface is the file named by `frontmatter.preface` in volume.yaml, as plain text:
paragraphs separated by blank lines, `# Heading` lines, `*emphasis*` and `**strong**`. A first
heading that only says "Preface" is dropped, since the page has that title already.

Organizers, editors and invited speakers print in the order volume.yaml gives them; the
program committee is sorted by family name as the author index is.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path

from proceedings.build.authors import (
    NON_ARCHIVAL_MARK,
    IndexEntry,
    author_index,
    index_groups,
    person_sort_key,
)
from proceedings.build.latex import (
    Engine,
    TexString,
    choose_engine,
    latex_environment,
    run_latex,
)
from proceedings.build.plan import Plan
from proceedings.safe_read import ReadError, read_text
from proceedings.texts import match_key
from proceedings.volume import Paper, Track, inside, parse_date

TEMPLATE = "frontmatter.tex.j2"
OVERRIDES = Path("templates") / "latex"  # in the volume folder


class FrontmatterError(Exception):
    """The front matter cannot be made; the message names the file or field at fault."""


@dataclass(frozen=True)
class Person:
    name: str
    affiliation: str | None
    talk: str | None
    where: str  # for source markers: "volume.yaml frontmatter.organizers[2]"


@dataclass(frozen=True)
class Run:
    text: str
    style: str  # "", "em" or "strong"


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    heading: bool
    where: str


@dataclass(frozen=True)
class Entry:
    """A paper in the contents."""

    id: str
    title: str
    authors: tuple[str, ...]
    first_page: int | None
    last_page: int | None
    where: str
    key: str = ""  # the PMLR key of an archival paper; its link target in volume.pdf

    @property
    def destination(self) -> str:
        """The named destination volume.pdf gives the paper's first page (`volume_pdf`)."""
        return paper_destination(self.key) if self.key else ""

    @property
    def pages(self) -> str:
        if self.first_page is None or self.last_page is None:
            return ""
        if self.first_page == self.last_page:
            return str(self.first_page)
        return f"{self.first_page}--{self.last_page}"


@dataclass(frozen=True)
class ProgramSession:
    """A session of the program as the front matter prints it."""

    start: str
    end: str
    title: str
    lines: tuple[str, ...]  # the talk, speaker, chair, panelists, description
    papers: tuple[Entry, ...]
    where: str


@dataclass(frozen=True)
class ProgramDay:
    day: str
    zone: str
    sessions: tuple[ProgramSession, ...]


@dataclass(frozen=True)
class Section:
    title: str
    where: str
    papers: tuple[Entry, ...]


def render_frontmatter(plan: Plan) -> str:
    """The front matter of `plan`'s volume as LaTeX source."""
    return _render(plan)[0]


def build_frontmatter(
    plan: Plan, out_dir: Path, timeout: float = 300, scratch: Path | None = None
) -> Path:
    """Write `frontmatter.tex` and `frontmatter.pdf` into `out_dir`; return the PDF's path.

    LaTeX works in a folder inside `scratch` (the build's temporary folder; the system's when
    None). Raises `FrontmatterError` for a missing preface or a broken or refused template
    and `LatexError` when LaTeX fails (its message names the paper and field whose text broke
    the run).
    """
    source, engine = _render(plan)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "frontmatter.tex").write_text(source, encoding="utf-8")
    pdf = run_latex(source, None, engine=engine, timeout=timeout, scratch=scratch)
    target = out_dir / "frontmatter.pdf"
    partial = out_dir / ".frontmatter.pdf.part"
    partial.write_bytes(pdf)
    partial.replace(target)
    return target


def _render(plan: Plan) -> tuple[str, Engine]:
    context = frontmatter_context(plan)
    engine = choose_engine(_texts(context))
    environment = latex_environment(engine)
    # The volume's overrides come first, read only through `OverrideLoader`'s checks.
    environment.loader = jinja2.ChoiceLoader(
        [OverrideLoader(plan.volume.root), *_loaders(environment.loader)]
    )
    environment.filters["names"] = _names_filter(environment)
    environment.filters["date"] = _date_text
    try:
        template = environment.get_template(TEMPLATE)
        return template.render(context), engine
    except jinja2.TemplateSyntaxError as error:
        raise FrontmatterError(
            f"template {error.filename or error.name}, line {error.lineno}: {error.message}"
        ) from None
    except jinja2.TemplateError as error:
        raise FrontmatterError(f"front-matter template: {error}") from None


def _loaders(loader: jinja2.BaseLoader | None) -> list[jinja2.BaseLoader]:
    if isinstance(loader, jinja2.ChoiceLoader):
        return list(loader.loaders)
    return [loader] if loader is not None else []


# --------------------------------------------------------------------------------------------
# Template overrides: the volume's files, so untrusted (a volume may come from anyone).

TEMPLATE_LIMIT = 1 << 20  # bytes; the package's largest template is 5 kB


class OverrideLoader(jinja2.BaseLoader):
    """The volume's `templates/latex/NAME`, when it is one; the package's otherwise.

    An override is read only when it is a regular file inside the volume (a link is followed
    only while it stays there), of at most `TEMPLATE_LIMIT` bytes, UTF-8 (`safe_read`), and
    passes `check_template`. Anything else there is one `FrontmatterError` naming the file: a
    FIFO would block the build, a link out of the volume would print a file of the machine.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / OVERRIDES

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        path = self.folder.joinpath(*split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        name = (OVERRIDES / template).as_posix()
        text = _read_override(self.root, path, name)
        check_template(text, name, environment)
        return text, None, None


def override_problems(root: Path) -> list[str]:
    """What the build would refuse in the volume's template overrides, one message a file:
    for `check`, which reads the same files the same way without typesetting anything."""
    folder = root / OVERRIDES
    if not os.path.lexists(folder):
        return []
    shown = OVERRIDES.as_posix()
    try:
        resolved = folder.resolve(strict=True)
        volume = root.resolve(strict=True)
    except (OSError, RuntimeError):
        return [f"{shown}: a link to nothing; remove it or make it a folder"]
    if not resolved.is_relative_to(volume):
        return [f"{shown}: a link to a folder outside the volume; templates are read only from "
                "the volume folder: copy them there"]  # fmt: skip
    if not resolved.is_dir():
        return []
    environment = latex_environment()
    problems: list[str] = []
    try:
        names = sorted(entry.name for entry in os.scandir(resolved) if entry.name.endswith(".j2"))
    except OSError as error:
        return [f"{shown}: cannot be read ({error.strerror})"]
    for name in names:
        template = f"{shown}/{name}"
        try:
            check_template(_read_override(root, folder / name, template), template, environment)
        except FrontmatterError as error:
            problems.append(str(error))
    return problems


def _read_override(root: Path, path: Path, name: str) -> str:
    try:
        resolved = path.resolve(strict=True)
        volume = root.resolve(strict=True)
    except (OSError, RuntimeError):
        raise FrontmatterError(f"{name}: a link to nothing; remove it or make it a file") from None
    if not resolved.is_relative_to(volume):
        raise FrontmatterError(
            f"{name}: a link to a file outside the volume; templates are read only from the "
            "volume folder: copy the file there"
        )
    try:
        return read_text(resolved, name, TEMPLATE_LIMIT)
    except ReadError as error:
        raise FrontmatterError(str(error)) from None


# What a template may not contain. Lua reads and writes any file the engine's user can, and
# LaTeX's `openin_any` does not bind it; pdfTeX's own `\pdfobj file` and `\pdffiledump` read
# any file too. A command is refused however it is spelt: building its name (`\csname`,
# `^^5c`, catcodes, writing a file and reading it back) is refused as such, and so is a
# Jinja tag that could complete a command's name.
_CONTROL_WORD = re.compile(r"\\([A-Za-z@]+)")
_LUA_WORD = re.compile(r"lua", re.IGNORECASE)
_LUA_ALLOWED = frozenset({"LuaTeX", "LuaLaTeX", "luatexversion", "luatexrevision"})
_REFUSED_WORDS = {
    **dict.fromkeys(
        "csname ifcsname begincsname lastnamedcs UseName ExpandArgs @nameuse @namedef".split(),
        "builds a command from its name",
    ),
    **dict.fromkeys(
        "catcode scantokens scantextokens ExplSyntaxOn primitive pdfprimitive".split(),
        "changes how LaTeX reads the text",
    ),
    **dict.fromkeys(
        "input include InputIfFileExists openin read readline write openout".split(),
        "reads or writes a file",
    ),
    **dict.fromkeys(
        (
            "pdfobj pdfximage pdfextension pdffiledump filedump pdfmdfivesum mdfivesum "
            "pdffilesize filesize pdffilemoddate filemoddate saveimageresource embedfile "
            "attachfile textattachfile noattachfile includemedia includexmp"
        ).split(),
        "reads a file into the PDF",
    ),
}
_CS_COMMAND = re.compile(r"(?:if)?cs[a-z]*|letcs[a-z]*")  # etoolbox: \csuse{name}, \csletcs


def check_template(text: str, name: str, environment: jinja2.Environment | None = None) -> None:
    """Raise `FrontmatterError` when the template `text` (the volume's file `name`) could run
    Lua, read a file or build a command from pieces.

    What is checked is the LaTeX the template writes, as Jinja's lexer gives it (whitespace
    control applied, `raw` blocks as text), TeX comments left out: `\\dir\\BLOCK{if 1}ectlua`
    is `\\directlua`. A command name directly followed by what a tag prints is refused too,
    since the printed text would lengthen the name.
    """
    lexer = (environment or latex_environment()).lexer
    pieces: list[tuple[str, int]] = []
    try:
        tokens = list(lexer.tokeniter(text, name))
    except jinja2.TemplateSyntaxError:
        return  # compiling the template reports it, with its line
    for index, (line, kind, value) in enumerate(tokens):
        if kind == "data":
            pieces.append((value, line))
        elif kind == "variable_begin":
            # A source marker prints a comment (`%% source: ...`), which ends any name.
            pieces.append(("%" if _is_marker(tokens, index) else _PRINTED, line))
        elif kind == "block_begin" and index + 1 < len(tokens):
            statement = tokens[index + 1][2]
            if statement == "filter":
                raise _refused(name, line, "\\BLOCK{filter", "prints LaTeX unescaped")
            if statement in _PRINTING_STATEMENTS:
                pieces.append((_PRINTED, line))
            if any(token[1:] == ("name", "source") for token in _tag(tokens, index)):
                raise _refused(name, line, "source", "is the marker function; a template "
                               "may call it but not define it")  # fmt: skip
    latex = _without_comments("".join(piece for piece, _ in pieces))
    lines: list[int] = []
    for piece, line in pieces:
        for char in piece:
            lines.append(line)
            line += char == "\n"
    problems = _problems(latex)
    if problems:
        position, why = min(problems)
        shown = latex[position:].split("\n", 1)[0][:40].replace(_PRINTED, "\\VAR{...}").rstrip()
        raise _refused(name, lines[position], shown, why)


_PRINTED = "\x00"  # stands for what a tag prints
_Token = tuple[int, str, str]


def _tag(tokens: list[_Token], start: int) -> list[_Token]:
    """The tokens of the tag opening at `start`, up to its end."""
    for end in range(start + 1, len(tokens)):
        if tokens[end][1] in ("variable_end", "block_end"):
            return tokens[start + 1 : end]
    return tokens[start + 1 :]


def _is_marker(tokens: list[_Token], start: int) -> bool:
    """True for `\\VAR{source(...)}`: the call and nothing else."""
    inner = [token for token in _tag(tokens, start) if token[1] != "whitespace"]
    if len(inner) < 3 or inner[0][1:] != ("name", "source") or inner[1][2] != "(":
        return False
    depth = 0
    for position, (_, _, value) in enumerate(inner[1:], start=1):
        depth += (value == "(") - (value == ")")
        if depth == 0:
            return position == len(inner) - 1
    return False


_PRINTING_STATEMENTS = frozenset({"include", "call", "block", "extends"})


def _refused(name: str, line: int, shown: str, why: str) -> FrontmatterError:
    return FrontmatterError(
        f"{name}, line {line}: `{shown}` {why}. Templates may not run Lua, read files or "
        "build commands from pieces (the package's own preamble.tex.j2 sets up the fonts "
        "with Lua: override the other parts, or leave its \\directlua block out)"
    )


def _problems(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for match in _CONTROL_WORD.finditer(text):
        word = match.group(1)
        if _LUA_WORD.search(word) and word not in _LUA_ALLOWED:
            found.append((match.start(), "runs Lua"))
        elif word in _REFUSED_WORDS:
            found.append((match.start(), _REFUSED_WORDS[word]))
        elif _CS_COMMAND.fullmatch(word):
            found.append((match.start(), "builds a command from its name"))
    for match in re.finditer(r"\\(?:begin|end)\s*\{[^}]*lua", text, re.IGNORECASE):
        found.append((match.start(), "runs Lua"))
    for match in re.finditer(r"\^\^", text):
        found.append((match.start(), "writes a character by its code"))
    for match in re.finditer(r"(?<!\\)(?:\\\\)*(\\[A-Za-z@]*)" + _PRINTED, text):
        found.append((match.start(1), "is a command whose name a Jinja tag completes"))
    return found


def _without_comments(text: str) -> str:
    """`text` with TeX comments blanked (kept the same length, so positions stay)."""
    return re.sub(
        r"(?<!\\)((?:\\\\)*)%[^\n]*",
        lambda match: match.group(1) + " " * (len(match.group(0)) - len(match.group(1))),
        text,
    )


def frontmatter_context(plan: Plan) -> dict[str, Any]:
    """What the templates see: the volume's texts, people, contents and author index."""
    volume = plan.volume
    proceedings = volume.proceedings
    front = volume.frontmatter
    given = front.get("title_lines")
    lines = [given] if isinstance(given, str) else given if isinstance(given, list) else []
    title_lines = [_text(line) for line in lines if _text(line)]
    start, end = parse_date(proceedings.get("start")), parse_date(proceedings.get("end"))
    entries = author_index(plan)
    tracks = {track.id: track for track in volume.tracks}
    return {
        "title_lines": title_lines or [_text(proceedings.get("name") or "Proceedings")],
        "name": _text(proceedings.get("name")),
        "booktitle": _text(proceedings.get("booktitle")),
        "shortname": _text(proceedings.get("shortname")),
        "volume_number": _text(proceedings.get("volume")),
        "year": _text(proceedings.get("year")),
        "address": _text(proceedings.get("address")),
        "conference_url": _text(proceedings.get("conference_url")),
        "dates": _date_range(start, end),
        "published": parse_date(proceedings.get("published")),
        "editors": _with_affiliations(
            _people(proceedings.get("editors"), "proceedings.editors"),
            _people(front.get("organizers"), "frontmatter.organizers"),
        ),
        "copyright": _copyright(plan),
        "program": _program(plan),  # None without a program.yaml
        "preface_place": _text(front.get("preface_place")) or _text(proceedings.get("address")),
        "preface_date": parse_date(front.get("preface_date"))
        or parse_date(proceedings.get("published")),
        "organizers": _people(front.get("organizers"), "frontmatter.organizers"),
        "program_committee": sorted(
            _people(front.get("program_committee"), "frontmatter.program_committee"),
            key=lambda person: person_sort_key(person.name),
        ),
        "committee_columns": _columns(front.get("program_committee")),
        "invited_speakers": _people(front.get("invited_speakers"), "frontmatter.invited_speakers"),
        "preface": _preface(plan),
        "tracks": [
            Section(
                title=track.title,
                where=f"volume.yaml tracks[{track.id}]",
                papers=tuple(
                    _entry(item.paper, item.first_page, item.last_page, item.key) for item in papers
                ),
            )
            for track, papers in plan.by_track()
        ],
        "non_archival": [
            Section(
                title=track.title,
                where=f"volume.yaml tracks[{track.id}]",
                papers=tuple(_entry(paper, None, None) for paper in papers),
            )
            for track, papers in _non_archival_by_track(plan, tracks)
        ],
        "index": index_groups(entries),
        "page_links": {item.first_page: paper_destination(item.key) for item in plan.archival},
        "non_archival_mark": NON_ARCHIVAL_MARK,
        "page_size": "a4" if volume.venue.page_size.lower() == "a4" else "letter",
        "total_pages": plan.total_pages,
    }


def _program(plan: Plan) -> ProgramDay | None:
    program = plan.volume.program
    if program is None:
        return None
    papers = {paper.id: paper for paper in plan.volume.papers}
    sessions = []
    for session in program.sessions:
        lines = []
        if session.speaker is not None:
            if session.speaker.talk:
                lines.append(f"\u201c{session.speaker.talk}\u201d")
            affiliation = session.speaker.affiliation
            lines.append(session.speaker.name + (f", {affiliation}" if affiliation else ""))
        if session.panelists:
            lines.append("Panelists: " + ", ".join(session.panelists))
        if session.chair:
            lines.append(f"Chair: {session.chair}")
        if session.description:
            lines.append(session.description)
        sessions.append(
            ProgramSession(
                start=f"{session.start:%H:%M}",
                end=f"{session.end:%H:%M}",
                title=session.title,
                lines=tuple(lines),
                papers=tuple(
                    _entry(papers[paper_id], None, None)
                    for paper_id in session.papers
                    if paper_id in papers
                ),
                where=f"program.yaml line {session.line}",
            )
        )
    return ProgramDay(day=_date_text(program.date), zone=program.timezone, sessions=tuple(sessions))


# PMLR's: the series' ISSN, and authors keep the copyright of their papers. The licence is
# the volume's to state; Creative Commons Attribution is what open proceedings mostly use.
PMLR_ISSN = "2640-3498"
DEFAULT_LICENSE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
DEFAULT_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Copyright:
    issn: str
    notice: str
    license: str
    license_url: str
    where: str = "volume.yaml frontmatter.copyright"


def _copyright(plan: Plan) -> Copyright:
    """The copyright page's text: `frontmatter.copyright` in volume.yaml, PMLR's defaults
    for what it leaves out."""
    given = plan.volume.frontmatter.get("copyright")
    fields = given if isinstance(given, dict) else {}
    year = _text(plan.volume.proceedings.get("year"))
    notice = _text(fields.get("notice")) or (
        f"{year} by the authors of the individual papers. The authors "
        "retain the copyright of their papers; they grant the Proceedings of Machine "
        "Learning Research the right to publish them."
    )
    custom_license = _text(fields.get("license"))
    return Copyright(
        issn=_text(fields.get("issn")) or PMLR_ISSN,
        notice=notice,
        license=custom_license or DEFAULT_LICENSE,
        license_url=_text(fields.get("license_url"))
        or ("" if custom_license else DEFAULT_LICENSE_URL),
    )


def _with_affiliations(editors: list[Person], organizers: list[Person]) -> list[Person]:
    """Editors as volume.yaml lists them; one without an affiliation takes the one the
    organizers give the same person."""
    known = {match_key(person.name): person for person in organizers if person.affiliation}
    result = []
    for editor in editors:
        organizer = known.get(match_key(editor.name))
        if editor.affiliation is None and organizer is not None:
            editor = Person(editor.name, organizer.affiliation, editor.talk, organizer.where)
        result.append(editor)
    return result


def _columns(committee: Any) -> int:
    """Three columns for a committee whose lines are short, two otherwise."""
    people = _people(committee, "")
    widest = max((len(text) for p in people for text in (p.name, p.affiliation or "")), default=0)
    return 3 if widest <= 28 else 2


def _entry(paper: Paper, first: int | None, last: int | None, key: str = "") -> Entry:
    return Entry(
        id=paper.id,
        title=paper.title,
        authors=tuple(author.name for author in paper.authors),
        first_page=first,
        last_page=last,
        where=f"paper {paper.id}",
        key=key,
    )


# Links in the contents point at names that only volume.pdf defines; LaTeX, not finding them
# in the front matter alone, puts stand-ins there, which the volume replaces.
DESTINATION_PREFIX = "volume."


def paper_destination(key: str) -> str:
    return f"{DESTINATION_PREFIX}{key}"


def _non_archival_by_track(plan: Plan, tracks: dict[str, Track]) -> list[tuple[Track, list[Paper]]]:
    grouped: dict[str, list[Paper]] = {}
    for paper in plan.non_archival:
        grouped.setdefault(paper.track, []).append(paper)
    order = [track.id for track in plan.volume.tracks] + sorted(set(grouped) - set(tracks))
    return [
        (tracks.get(track_id) or Track(track_id, track_id.title(), 5), grouped[track_id])
        for track_id in order
        if track_id in grouped
    ]


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return " ".join(str(value).split())


def _people(value: Any, field: str) -> list[Person]:
    people: list[Person] = []
    for index, entry in enumerate(value if isinstance(value, list) else []):
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict) or not _text(entry.get("name")):
            continue
        people.append(
            Person(
                name=_text(entry["name"]),
                affiliation=_text(entry.get("affiliation")) or None,
                talk=_text(entry.get("talk")) or None,
                where=f"volume.yaml {field}[{index}]",
            )
        )
    return people


_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _date_text(day: datetime.date | None) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}" if day else ""


def _date_range(start: datetime.date | None, end: datetime.date | None) -> str:
    """ "27 April 2026", "27–28 April 2026", "30 April – 1 May 2026"."""
    if start is None or end is None or end <= start:
        return _date_text(start or end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {_MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {_MONTHS[start.month - 1]} – {_date_text(end)}"
    return f"{_date_text(start)} – {_date_text(end)}"


def _preface(plan: Plan) -> list[Paragraph]:
    name = plan.volume.frontmatter.get("preface")
    if not isinstance(name, str) or not name.strip():
        return []
    path = inside(plan.volume.root, name.strip())
    if path is None:
        raise FrontmatterError(f"volume.yaml: frontmatter.preface: {name!r} leaves the volume")
    try:
        text = read_text(path, name.strip())  # a FIFO would block the build, /dev/zero fill it
    except ReadError as error:
        if error.missing:
            raise FrontmatterError(
                f"volume.yaml: frontmatter.preface: {name} is not in the volume folder"
            ) from None
        raise FrontmatterError(str(error)) from None
    return list(parse_preface(text, name.strip()))


_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_EMPHASIS = re.compile(
    r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=\S)(.+?)(?<=\S)\*|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"
)


def parse_preface(text: str, name: str = "preface") -> Iterator[Paragraph]:
    """Paragraphs (blank-line separated), `#` headings and `*emphasis*` of a plain-text file."""
    blocks: list[tuple[int, list[str]]] = []  # (first line, lines)
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        heading = _HEADING.match(line)
        if not line.strip() or heading:
            if current:
                blocks.append((start, current))
                current = []
            if heading:
                blocks.append((number, [line]))
            continue
        if not current:
            start = number
        current.append(line.strip())
    if current:
        blocks.append((start, current))
    for position, (first, lines) in enumerate(blocks):
        heading = _HEADING.match(lines[0])
        if heading is not None:
            if position == 0 and match_key(heading.group(1)) == "preface":
                continue
            yield Paragraph((Run(heading.group(1), ""),), True, f"{name} line {first}")
            continue
        yield Paragraph(tuple(_runs(" ".join(lines))), False, f"{name} line {first}")


def _runs(text: str) -> Iterator[Run]:
    position = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > position:
            yield Run(text[position : match.start()], "")
        if match.group(1) is not None:
            yield Run(match.group(1), "strong")
        else:
            yield Run(match.group(2) or match.group(3), "em")
        position = match.end()
    if position < len(text):
        yield Run(text[position:], "")


def _names_filter(environment: jinja2.Environment) -> Any:
    tex = environment.filters["tex"]

    def names(values: Any) -> TexString:
        """Names as "A, B and C", each escaped."""
        escaped = [str(tex(value)) for value in values]
        if len(escaped) <= 2:
            return TexString(" and ".join(escaped))
        return TexString(", ".join(escaped[:-1]) + " and " + escaped[-1])

    return names


def _texts(context: dict[str, Any]) -> Iterator[str]:
    """Every user text of the context, to choose the engine."""
    for value in context.values():
        yield from _strings(value)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif isinstance(
        value,
        (Person, Run, Paragraph, Entry, Section, IndexEntry, Copyright, ProgramDay, ProgramSession),
    ):
        for name in value.__dataclass_fields__:
            if name not in ("where", "sort_key"):
                yield from _strings(getattr(value, name))
