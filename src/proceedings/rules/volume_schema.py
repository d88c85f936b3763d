"""Rules about the form of volume.yaml and papers.yaml: readable YAML, the fields the format
requires, their types, unknown keys, and values the PMLR bib carries as they are.
"""

from __future__ import annotations

from collections.abc import Iterator

from proceedings.metadata_schema import (
    PAPERS_SCHEMA,
    VOLUME_SCHEMA,
    SchemaProblem,
    schema_problems,
)
from proceedings.pmlr_ids import raw_field_problem
from proceedings.report import Severity
from proceedings.rules import Violation, rule
from proceedings.rules.volume_walk import paper_entries
from proceedings.volume import VolumeSources
from proceedings.yamlsource import PathKey, YamlSource, format_path


@rule(
    "VOL001",
    "metadata-unreadable",
    Severity.ERROR,
    fix="Correct the YAML at the line given (indentation, quotes, a missing colon).",
    subject="volume",
)
def metadata_unreadable(sources: VolumeSources) -> Iterator[Violation]:
    """volume.yaml or papers.yaml cannot be read.

    ## What it catches
    A YAML syntax error, text that is not UTF-8, a missing papers.yaml, or YAML anchors and
    aliases (refused because metadata never needs them and they allow "billion laughs" files).

    ## Why it matters
    Nothing in an unreadable file can be checked or published.

    ## Example
    A quote left open in papers.yaml:

        error VOL001 papers.yaml:40 YAML syntax error: did not find expected key

    ## How to fix
    Correct the file at the line given; an editor with YAML highlighting helps.
    """
    for error in sources.errors:
        yield Violation(f"{error.message}", file=error.file, line=error.line)


@rule(
    "VOL002",
    "missing-field",
    Severity.ERROR,
    fix="Add the field; docs/volume-format.md lists what each entry needs.",
    subject="volume",
)
def missing_field(sources: VolumeSources) -> Iterator[Violation]:
    """A required metadata field is missing or empty.

    ## What it catches
    A paper without an id, title, authors, track or archival choice; an author without a
    name; a volume without the PMLR fields or tracks. A paper without an abstract is a
    warning: PMLR publishes such papers (AFME 2024, COLT 2024).

    ## Why it matters
    PMLR needs every one of them, and the build would otherwise stop on it later.

    ## Example
    An empty title:

        error VOL002 papers.yaml:5 papers[0].title: missing

    ## How to fix
    Fill in the field named by its path (`papers[6].authors[2].name`).
    """
    yield from _schema(sources, "missing")


@rule(
    "VOL003",
    "wrong-type",
    Severity.ERROR,
    fix="Write the value in the form the field expects (text, a list, true/false, a date).",
    subject="volume",
)
def wrong_type(sources: VolumeSources) -> Iterator[Violation]:
    """A metadata value has the wrong form: a number for a title, a string for a list.

    ## What it catches
    Values YAML reads as another type than the field needs: `title: 2026`, `authors: Ana`,
    `archival: "yes"`, `page_limit: five`.

    ## Why it matters
    The value would be published wrong or not at all.

    ## Example
    `title: 2026`:

        error VOL003 papers.yaml:5 papers[0].title: must be text, not 2026

    ## How to fix
    Quote text that looks like a number or a date; write lists with `-`; use `true`/`false`.
    """
    yield from _schema(sources, "type")


@rule(
    "VOL004",
    "unknown-key",
    Severity.WARNING,
    fix="Rename the key to a known one (the message suggests the closest) or remove it.",
    subject="volume",
)
def unknown_key(sources: VolumeSources) -> Iterator[Violation]:
    """A metadata key that no part of proceedings reads: usually a typo.

    ## What it catches
    `titel:` for `title:`, `affilation:` for `affiliation:`, and other keys the format does not
    define.

    ## Why it matters
    A misspelt key is silently ignored, so its value never reaches the volume.

    ## Example
    A misspelt key:

        warning VOL004 papers.yaml:8 papers[0].authors[0].affilation: unknown key; did you mean
        'affiliation'?

    ## How to fix
    Use the key the message suggests, or remove it.
    """
    yield from _schema(sources, "unknown")


@rule(
    "VOL014",
    "raw-field",
    Severity.ERROR,
    fix="Write the OpenReview forum id, the address or the number alone, as the message says.",
    subject="volume",
)
def raw_field(sources: VolumeSources) -> Iterator[Violation]:
    """A field the PMLR bib carries as it is that holds more than its kind of value.

    ## What it catches
    A paper's `openreview` that is not a forum id (letters, digits, `-`, `_`), a
    `conference_url` that is not an http(s) address without spaces, braces or quotes, and a
    `volume`, `year` or `conference_number` that is not a number.

    ## Why it matters
    These values are written into the bib without LaTeX; a brace in one (`X}, pdf =
    {https://...`) would close the field and add another to the published entry.

    ## Example
    An `openreview` id that closes its field and adds another:

        error VOL014 papers.yaml:35 papers[0].openreview: 'Hk7vQ2mRtA}, pdf = {https://example.org'
        is not letters, digits, `-` and `_`

    ## How to fix
    Give the value alone: `openreview: AbC123xyz`, `conference_url: https://...`.
    """
    volume = sources.volume
    fields = (
        volume.data.get("proceedings")
        if volume is not None and isinstance(volume.data, dict)
        else None
    )
    if volume is not None and isinstance(fields, dict):
        for name in ("conference_url", "volume", "year", "conference_number"):
            value = fields.get(name)
            if value is not None and not isinstance(value, (dict, list)):
                problem = raw_field_problem(name, value)
                if problem is not None:
                    path: PathKey = ("proceedings", name)
                    yield Violation(
                        f"{format_path(path)}: {problem}", file=volume.file, line=volume.line(path)
                    )
    for index, entry, source in paper_entries(sources):
        value = entry.get("openreview")
        if isinstance(value, (str, int)) and str(value).strip():
            problem = raw_field_problem("openreview", value)
            if problem is not None:
                path = ("papers", index, "openreview")
                yield Violation(
                    f"{format_path(path)}: {problem}", file=source.file, line=source.line(path)
                )


def _schema(sources: VolumeSources, kind: str) -> Iterator[Violation]:
    problems: list[tuple[YamlSource, SchemaProblem]] = sources.memo.get("schema") or []
    if "schema" not in sources.memo:
        for source, schema in ((sources.volume, VOLUME_SCHEMA), (sources.papers, PAPERS_SCHEMA)):
            if source is not None:
                problems += [(source, problem) for problem in schema_problems(source, schema)]
        sources.memo["schema"] = problems
    for source, problem in problems:
        if problem.kind == kind:
            where = format_path(problem.path)
            # PMLR publishes papers without an abstract (AFME 2024, COLT 2024).
            no_abstract = kind == "missing" and problem.path[-1:] == ("abstract",)
            yield Violation(
                f"{where}: {problem.message}" if where else problem.message,
                file=source.file,
                line=source.line(problem.path),
                severity=Severity.WARNING if no_abstract else None,
                hint="PMLR publishes a paper without an abstract, but its page is bare: add "
                "the abstract from the paper."
                if no_abstract
                else None,
            )
