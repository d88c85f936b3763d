"""The PMLR upload: one BibTeX file and `<key>.pdf` (and `<key>-supp.*`) files, flat.

Everything written to the .bib is ASCII LaTeX, as PMLR requires, by `asciilatex.encode`: the
forms PMLR's own decoder turns back into the text of `papers.yaml` on its pages, formulas as
written. Names are `Family, Given` joined by `and`; a name in another script is written in its
`latin` spelling.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from proceedings.asciilatex import encode
from proceedings.build.output import output_path
from proceedings.build.plan import Plan, PlannedPaper
from proceedings.pmlr_ids import raw_field_problem, section_names, supplementary_extension
from proceedings.texts import split_name
from proceedings.volume import Author, parse_date


class PmlrError(Exception):
    """Text that cannot be written for PMLR; the message names the paper and field."""


def bib_text(text: str, where: str) -> str:
    """`text` as one line of ASCII LaTeX for a PMLR field; `where` names it in errors.

    Characters with no LaTeX form (an emoji) are left out: `check` reports each (META003).
    A field that had text and has none left cannot be written.
    """
    encoded = encode(text)
    if text.strip() and not encoded.latex.strip():
        shown = " ".join(encoded.unmapped[:8])
        raise PmlrError(f"{where}: no LaTeX form for {shown}")
    return encoded.latex


def person(author: Author, where: str) -> str:
    """`Family, Given` in ASCII LaTeX (the `latin` spelling for names in other scripts)."""
    family, given = author.family, author.given
    if author.latin:
        parts = split_name(author.latin)
        family, given = (parts.family, parts.given) if parts else (author.latin, "")
    name = bib_text(family, where)
    if not given:
        # A name of one word: PMLR's checker takes it braced, as it takes an organisation's.
        return f"{{{name}}}"
    if author.suffix:
        name += f", {bib_text(author.suffix, where)}"
    return f"{name}, {bib_text(given, where)}"


def people(authors: Iterable[Author], where: str) -> str:
    return " and ".join(person(author, f"{where}[{index}]") for index, author in enumerate(authors))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "volume"


def render_bib(plan: Plan) -> str:
    """The whole PMLR .bib file, byte-identical for the same plan."""
    entries = [_proceedings_entry(plan)]
    entries += [_paper_entry(plan, item) for item in plan.archival]
    return "\n".join(entries)


def _field(name: str, value: str) -> str:
    return f"  {name} = {{{value}}},\n"


def _proceedings_entry(plan: Plan) -> str:
    fields = plan.volume.proceedings
    where = "volume.yaml: proceedings"
    editors = [_author_from(entry) for entry in fields.get("editors") or [] if _author_from(entry)]
    lines = [f"@Proceedings{{{slug(str(fields.get('shortname', 'volume')))},\n"]
    lines.append(
        _field("booktitle", bib_text(str(fields.get("booktitle", "")), f"{where}.booktitle"))
    )
    lines.append(_field("name", bib_text(str(fields.get("name", "")), f"{where}.name")))
    lines.append(
        _field("shortname", bib_text(str(fields.get("shortname", "")), f"{where}.shortname"))
    )
    lines.append(_field("year", _raw("year", fields.get("year", ""), f"{where}.year")))
    lines.append(_field("editor", people([e for e in editors if e], f"{where}.editors")))
    lines.append(_field("volume", _raw("volume", fields.get("volume", ""), f"{where}.volume")))
    for name in ("start", "end", "published"):
        date = parse_date(fields.get(name))
        if date is None:
            raise PmlrError(f"{where}.{name}: {fields.get(name)!r} is not a date YYYY-MM-DD")
        lines.append(_field(name, date.isoformat()))
    lines.append(_field("address", bib_text(str(fields.get("address", "")), f"{where}.address")))
    for name in ("conference_url", "conference_number"):
        lines.append(_field(name, _raw(name, fields.get(name, ""), f"{where}.{name}")))
    tracks = plan.by_track()
    if len(tracks) > 1:
        names = section_names(plan.volume.tracks)
        sections = "|".join(
            f"{names[track.id]}={bib_text(track.title, f'volume.yaml: tracks.{track.id}')}"
            for track, _ in tracks
        )
        lines.append(_field("sections", sections))
    lines.append("}\n")
    return "".join(lines)


def _paper_entry(plan: Plan, item: PlannedPaper) -> str:
    paper = item.paper
    where = f"papers.yaml: paper {paper.id}"
    lines = [f"@InProceedings{{{item.key},\n"]
    lines.append(_field("title", bib_text(paper.title, f"{where} title")))
    lines.append(_field("author", people(paper.authors, f"{where} authors")))
    lines.append(_field("pages", item.page_range))
    if paper.abstract.strip():
        lines.append(_field("abstract", bib_text(paper.abstract, f"{where} abstract")))
    if len(plan.by_track()) > 1:
        lines.append(_field("section", section_names(plan.volume.tracks)[item.track.id]))
    if paper.openreview:
        lines.append(
            _field("openreview", _raw("openreview", paper.openreview, f"{where} openreview"))
        )
    if paper.supplementary is not None and paper.supplementary.is_file():
        # Only for a file the upload holds: `write_pmlr` copies exactly these.
        lines.append(_field("supplementary", f"Supplementary:{supp_name(item)}"))
    lines.append("}\n")
    return "".join(lines)


def _raw(name: str, value: object, where: str) -> str:
    """A field written as it is (an id, an address, a number), refused when it could break
    out of its braces; `check` reports the same (VOL014)."""
    problem = raw_field_problem(name, value)
    if problem is not None:
        raise PmlrError(f"{where}: {problem}")
    return str(value).strip()


def supp_name(item: PlannedPaper) -> str:
    """`<key>-supp.<ext>` with the extension of the supplementary file, as PMLR names it."""
    supplementary = item.paper.supplementary
    return f"{item.key}-supp.{supplementary_extension(supplementary) or 'pdf'}"


def write_pmlr(plan: Plan, out_dir: Path) -> Path:
    """Write the bib and the renamed PDFs into `out_dir` (flat); return the bib's path.

    Raises `OutputPathError` for a key that cannot be a file name there (`check` reports
    such keys first, VOL013)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    shortname = str(plan.volume.proceedings.get("shortname", "volume"))
    bib = output_path(out_dir, f"{slug(shortname)}.bib")
    bib.write_text(render_bib(plan), encoding="ascii")
    for item in plan.archival:
        assert item.paper.pdf is not None
        shutil.copyfile(item.paper.pdf, output_path(out_dir, f"{item.key}.pdf"))
        if item.paper.supplementary is not None and item.paper.supplementary.is_file():
            shutil.copyfile(item.paper.supplementary, output_path(out_dir, supp_name(item)))
    return bib


def _author_from(entry: object) -> Author | None:
    name = entry.get("name") if isinstance(entry, dict) else entry
    if not isinstance(name, str) or not name.strip():
        return None
    parts = split_name(name)
    latin = entry.get("latin") if isinstance(entry, dict) else None
    return Author(
        name=name,
        given=parts.given if parts else "",
        family=parts.family if parts else name,
        latin=latin if isinstance(latin, str) else None,
    )
