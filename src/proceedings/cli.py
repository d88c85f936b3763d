"""The `proceedings` command line: parse options, call the library, render the report."""

from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from proceedings.build import PARTS
from proceedings.check import CheckOptions, InputError, Progress, check_paths, volume_options
from proceedings.openreview.download import SUPPLEMENTARY_FIELD, Downloaded
from proceedings.openreview.live import (
    PUBLIC_API_URL,
    Credentials,
    LoginError,
    credentials_from_environment,
)
from proceedings.openreview.model import OpenReviewImportError, VenueChoiceError
from proceedings.openreview.settings import Given
from proceedings.parallel import Limits
from proceedings.pdf.structure import HeadingNames
from proceedings.report import FileReport, PaperReport, Report, Severity, render_json, render_text
from proceedings.rules import all_rules, get_rule, select_rules, unknown_codes
from proceedings.venues import (
    DEFAULT_PROFILE,
    PROFILES,
    VenueProfile,
    describe_profile,
    get_profile,
    head_pattern_error,
)
from proceedings.version import __version__
from proceedings.volume import PAPERS_FILE, VOLUME_FILE, is_volume, load_volume
from proceedings.wording import counted

if TYPE_CHECKING:
    from proceedings.build.pipeline import BuildError
    from proceedings.openreview.run import ImportRun

FORMATS = ("github", "html", "json", "junit", "text")
DEFAULT_VOLUME = Path("papers")
MEMORY_LIMIT = 1 << 30  # per worker process: a decompression bomb stops here


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="proceedings")
def cli() -> None:
    """Check camera-ready papers and assemble a PMLR proceedings volume."""


@cli.command()
@click.argument(
    "files",
    nargs=-1,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--venue",
    "venue_name",
    metavar="NAME",
    default=DEFAULT_PROFILE,
    show_default=True,
    help="The venue profile loose PDFs are checked against: its page size, layout, running "
    "head, disclosure and tracks (`proceedings venues` lists them). Volumes use their own.",
)
@click.option(
    "--volume",
    "volume_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Check loose PDFs against this volume's venue rules and tracks; a PDF that is one of "
    "its papers also against its entry in papers.yaml (title, authors, track).",
)
@click.option(
    "--track",
    metavar="ID",
    help="Track of loose PDFs, one of the venue's (or --volume's): long (5 pages) or tiny "
    "(2 pages) at ICLR workshops. Default: long. Papers in a volume use their own track.",
)
@click.option(
    "--page-limit",
    type=click.FloatRange(min=0.5),
    help="Page limit of the main text for this run, overriding the track's.",
)
@click.option(
    "--not-counted",
    "not_counted",
    multiple=True,
    metavar="NAME",
    help="Another heading that ends the main text and does not count, e.g. "
    '"Author Statement". End it with * to match a prefix. Repeatable.',
)
@click.option(
    "--running-head",
    metavar="TEXT",
    help="The running head loose PDFs must carry on page 1 (or /regex/), in place of the venue's.",
)
@click.option(
    "--require-disclosure",
    is_flag=True,
    help="Require the LLM-usage disclosure section of loose PDFs (the icbinb-iclr2026 venue "
    "does; a volume sets this in volume.yaml).",
)
@click.option(
    "--page-size",
    type=click.Choice(["letter", "a4"]),
    help="The page size of loose PDFs, in place of the venue's (letter at ICLR).",
)
@click.option(
    "--select",
    metavar="CODES",
    help="Run only these rules: codes or prefixes, comma-separated (e.g. PAGE,REVIEW001).",
)
@click.option(
    "--ignore",
    metavar="CODES",
    help="Skip these rules: codes or prefixes, comma-separated (e.g. MARGIN,PMLR006).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the machine's cores",
    help="Papers checked at once, each in its own process.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=60,
    show_default=True,
    help="Seconds one paper may take before it is stopped and reported (0: no limit).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Report format: text for people; json for programs (schema version 1); github for "
    "workflow annotations; junit for CI servers; html for a page with page thumbnails (use "
    "with -o report.html).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
def check(
    files: tuple[Path, ...],
    venue_name: str,
    volume_dir: Path | None,
    track: str | None,
    page_limit: float | None,
    not_counted: tuple[str, ...],
    running_head: str | None,
    require_disclosure: bool,
    page_size: str | None,
    select: str | None,
    ignore: str | None,
    jobs: int,
    timeout: float,
    output_format: str,
    output: Path | None,
) -> None:
    """Check camera-ready PDFs for what would get them bounced.

    FILES are PDFs, folders of PDFs, volume folders (with papers.yaml) or BibTeX files (a
    PMLR volume file or a reference list); without FILES the volume in ./papers is checked:
    its metadata, and each paper against its own track.

    The main text of a PDF runs up to the references, acknowledgments, LLM-usage disclosure,
    appendix or other trailing material, which do not count. Exits with 0 when no errors are
    found, 1 when some are, 2 on a usage error or unreadable metadata.

    \b
    Example:
        proceedings check paper.pdf --track tiny
        proceedings check paper.pdf --venue icbinb-iclr2026 --track tiny
        proceedings check paper.pdf --volume papers
        proceedings check pdf/*.pdf --format json -o report.json
        proceedings check                 # the volume in ./papers
        proceedings check build/pmlr/icbinb-2026.bib references.bib
    """
    selected, ignored = _codes(select, "--select"), _codes(ignore, "--ignore")
    if running_head is not None and (why := head_pattern_error(running_head)):
        raise click.BadParameter(
            f"{running_head!r} is not a regular expression ({why})", param_hint="--running-head"
        )
    options = CheckOptions(
        rules=select_rules(selected, ignored) if selected or ignored else None,
        jobs=jobs,
        limits=Limits(seconds=timeout, memory_bytes=MEMORY_LIMIT),
        page_limit=page_limit,
        names=HeadingNames().with_extra(not_counted),
    )
    if volume_dir is not None:
        options = _volume_venue(volume_dir, options, venue_name)
    else:
        options = _profile_venue(_profile(venue_name), options)
    options = replace(options, track=_track(track, options))
    changes: dict[str, Any] = {}
    if running_head is not None:
        changes["running_head"] = running_head
    if require_disclosure:
        changes["disclosure_required"] = True
    if page_size is not None:
        changes["page_size"] = page_size
    options = replace(options, venue=replace(options.venue, **changes))
    show_progress = output_format == "text" and output is None and sys.stderr.isatty()
    progress = _progress_bar if show_progress else None
    report = _check_inputs(files, options, progress, volume_dir)
    _write(_render(output_format, report), output)
    unreadable_metadata = any(item.unreadable for item in report.files if item.kind == "metadata")
    sys.exit(2 if unreadable_metadata else 1 if report.errors else 0)


@cli.command()
@click.argument(
    "volume_dir",
    required=False,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder to build into: new, empty or a previous build, outside the volume folder. It "
    "is replaced as a whole when the build succeeds.",
)
@click.option(
    "--only",
    metavar="PARTS",
    help=f"Build only these parts, comma-separated: {', '.join(PARTS)}. The other parts of a "
    "previous build are kept.",
)
@click.option(
    "--no-check",
    is_flag=True,
    help="Do not check the papers' PDFs first (faster; no report.json). Metadata errors "
    "still stop the build.",
)
@click.option(
    "--allow-errors",
    is_flag=True,
    help="Build even when papers have error findings (they are counted on the last line and "
    "listed in report.json).",
)
def build(
    volume_dir: Path | None, out: Path, only: str | None, no_check: bool, allow_errors: bool
) -> None:
    """Build the volume: the PMLR upload, front matter, volume.pdf and a web index.

    VOLUME_DIR defaults to ./papers. The papers are checked first: when one has an error
    finding, nothing is written, the papers and their first errors are listed and the exit
    status is 1 (see --allow-errors). Metadata errors always stop the build.

    Everything is written into a temporary folder first and then moved into place, so an
    interrupted build leaves the previous one whole; the volume folder is only read. An output
    folder holding the volume or the current folder, or files no build wrote, is refused
    (exit 2).

    \b
    Example:
        proceedings build
        proceedings build papers -o build --only pmlr,site
    """
    # Imported here: checking a paper needs none of the build's machinery.
    from proceedings.build.pipeline import BuildError, OutputFolderError, PaperErrors, build_volume

    root = volume_dir or DEFAULT_VOLUME
    if not is_volume(root):
        raise click.UsageError(f"{root} is not a volume folder (no {PAPERS_FILE} in it)")
    parts = _parts(only)
    try:
        result = build_volume(
            root,
            out,
            only=parts,
            check_papers=not no_check,
            progress=_progress,
            counter=_progress_bar if sys.stderr.isatty() else None,
            allow_errors=allow_errors,
        )
    except OutputFolderError as error:
        raise _OutputRefused(str(error)) from None
    except PaperErrors as error:
        for paper in error.papers:
            click.echo(_first_errors(paper), err=True)
        raise click.ClickException(str(error)) from None
    except BuildError as error:
        if error.findings:
            click.echo(
                render_text(Report(papers=[], files=[_findings_file(root, error)])), err=True
            )
        raise click.ClickException(str(error)) from None
    labels = {
        "pmlr": "PMLR upload",
        "frontmatter": "front matter",
        "volume": "volume PDF",
        "site": "web index",
        "report": "check report",
    }
    for part, path in result.outputs.items():
        click.echo(f"{labels[part]:<14} {path}")
    if result.paper_errors:
        click.echo(
            f"Built {root} into {out} in {result.seconds:.1f} s WITH ERRORS (--allow-errors): "
            f"{counted(result.paper_errors, 'error')} in "
            f"{counted(result.papers_with_errors, 'paper')}; see {out / 'report.json'}."
        )
    else:
        click.echo(f"Built {root} into {out} in {result.seconds:.1f} s.")


def _first_errors(paper: PaperReport, shown: int = 2) -> str:
    """A paper that stops the build, with its first errors: enough to start fixing."""
    errors = [finding for finding in paper.findings if finding.severity is Severity.ERROR]
    lines = [f"{paper.file} ({paper.id}): {counted(len(errors), 'error')}"]
    for finding in errors[:shown]:
        where = f" {finding.where}" if finding.where else ""
        lines.append(f"  {finding.code}{where}: {finding.message}")
    if len(errors) > shown:
        lines.append(f"  ... and {len(errors) - shown} more: `proceedings check` lists them")
    return "\n".join(lines)


class _OutputRefused(click.ClickException):
    """An output folder the build will not replace: a usage error, and nothing was written."""

    exit_code = 2


def _parts(only: str | None) -> tuple[str, ...]:
    if only is None:
        return PARTS
    parts = tuple(part.strip() for part in only.split(",") if part.strip())
    unknown = [part for part in parts if part not in PARTS]
    if unknown or not parts:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'} is not a part; choose from {', '.join(PARTS)}",
            param_hint="--only",
        )
    return parts


def _findings_file(root: Path, error: BuildError) -> FileReport:
    return FileReport(file=str(root), kind="metadata", findings=error.findings)


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        click.echo(f"... {message}", err=True)


@cli.group(name="import")
def import_group() -> None:
    """Import accepted papers into papers.yaml."""


class _StopBeforeImport(click.ClickException):
    """Nothing was read or written: the run needs another option, or other credentials."""

    exit_code = 2


@import_group.command(name="openreview")
@click.argument(
    "notes", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--papers",
    "papers_yaml",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_VOLUME / PAPERS_FILE,
    show_default=True,
    help="The papers.yaml to create or update.",
)
@click.option(
    "--venue-id",
    help="Venue id of the accepted papers, e.g. ICLR.cc/2026/Workshop/ICBINB. Without NOTES, "
    "the papers are read from OpenReview itself.",
)
@click.option(
    "--api-url",
    help=f"OpenReview API (v2) to read from [default: {PUBLIC_API_URL}].",
)
@click.option("--pdfs", is_flag=True, help="Also download each accepted paper's PDF to pdf/.")
@click.option(
    "--supplementary",
    "supplementary_field",
    is_flag=False,
    flag_value=SUPPLEMENTARY_FIELD,
    default=None,
    metavar="[FIELD]",
    help=f"With --pdfs, also download the supplementary file (field {SUPPLEMENTARY_FIELD} "
    "unless named) to supp/.",
)
@click.option("--track-field", metavar="FIELD", help="Content field that holds the track.")
@click.option(
    "--track-value",
    "track_values",
    multiple=True,
    metavar="TEXT=TRACK",
    help='Map a track field value or venue label to a track id, e.g. "Tiny Paper=tiny". '
    "Repeatable.",
)
@click.option("--default-track", help="Track when none matches [default: long].")
@click.option(
    "--archival-field", metavar="FIELD", help="Content field that holds the archival choice."
)
@click.option(
    "--archival-value",
    "archival_values",
    multiple=True,
    metavar="VALUE",
    help="A value of --archival-field that means archival (exact, any case). Repeatable.",
)
def import_openreview_command(
    notes: Path | None,
    papers_yaml: Path,
    venue_id: str | None,
    api_url: str | None,
    pdfs: bool,
    supplementary_field: str | None,
    track_field: str | None,
    track_values: tuple[str, ...],
    default_track: str | None,
    archival_field: str | None,
    archival_values: tuple[str, ...],
) -> None:
    """Import the accepted papers of an OpenReview venue into papers.yaml, keeping hand edits.

    Without NOTES, the papers are read from the venue on OpenReview (credentials from
    OPENREVIEW_USERNAME and OPENREVIEW_PASSWORD, or asked on a terminal); with --pdfs their
    PDFs are downloaded too. With NOTES, an export of the venue's notes is read instead.

    The options that decide what a paper becomes (venue id, track and archival fields and
    values) are remembered beside papers.yaml at the first import and used by re-imports that
    do not give them. On a re-import, fields edited by hand in papers.yaml since the last
    import are kept; the others take OpenReview's values; papers no longer accepted stay and
    are reported. What changed is printed paper by paper.

    \b
    Example:
        proceedings import openreview --venue-id ICLR.cc/2026/Workshop/ICBINB \\
            --track-field track --track-value "Tiny Paper=tiny" \\
            --archival-field archival --archival-value Yes --pdfs
    """
    mapping = {}
    for item in track_values:
        text, separator, track = item.rpartition("=")
        if not separator or not text.strip() or not track.strip():
            raise click.BadParameter(f"{item!r} is not TEXT=TRACK", param_hint="--track-value")
        mapping[text.strip()] = track.strip()
    if notes is not None and (pdfs or api_url):
        option = "--pdfs" if pdfs else "--api-url"
        raise click.UsageError(
            f"{option} reads from OpenReview itself: leave out the export file {notes}"
        )
    if supplementary_field and not pdfs:
        raise click.UsageError("--supplementary downloads with --pdfs: give both")
    given = Given(
        venue_id=venue_id,
        track_field=track_field,
        track_values=mapping,
        default_track=default_track,
        archival_field=archival_field,
        archival_values=archival_values,
        supplementary_field=supplementary_field,
        api_url=api_url,
    )
    # Imported here: only an import needs the importer's machinery.
    from proceedings.openreview.run import import_file

    try:
        if notes is not None:
            run = import_file(notes, papers_yaml, given)
        else:
            run = _import_venue(papers_yaml, given, pdfs)
    except (LoginError, VenueChoiceError) as error:
        raise _StopBeforeImport(str(error)) from None
    except OpenReviewImportError as error:
        raise click.ClickException(str(error)) from None
    result = run.merge
    for note in run.notes:
        click.echo(f"note: {note}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for line in result.lines():
        click.echo(line)
    where = "unchanged" if not result.changed else f"written to {papers_yaml}"
    click.echo(f"{result.summary()}; {where}.")
    if pdfs:
        for done in run.downloads:
            click.echo(done.line())
        counts: Counter[str] = Counter(done.status for done in run.downloads)
        listed = ", ".join(f"{counts[status]} {status}" for status in DOWNLOAD_STATUSES)
        click.echo(f"files: {listed}.")
        if run.failed:
            raise click.ClickException(
                f"{len(run.failed)} of {len(run.downloads)} files could not be downloaded; run"
                " the same command again to fetch only those"
            )


DOWNLOAD_STATUSES = ("downloaded", "updated", "unchanged", "kept", "missing", "failed")


def _import_venue(papers_yaml: Path, given: Given, pdfs: bool) -> ImportRun:
    """The live import, with a progress bar on a terminal and a password asked only there."""
    from proceedings.openreview.run import import_venue

    terminal = sys.stdin.isatty() and sys.stderr.isatty()

    def ask(question: str, hide: bool) -> str:
        return str(click.prompt(question, hide_input=hide, err=True))

    def credentials() -> Credentials:
        return credentials_from_environment(ask if terminal else None)

    bar: Any = None

    def on_files(count: int) -> None:
        nonlocal bar
        if sys.stderr.isatty() and count:
            bar = click.progressbar(length=count, label="downloading", file=sys.stderr)
            bar.__enter__()

    def on_file(item: Downloaded) -> None:
        if bar is not None:
            bar.update(1)

    try:
        return import_venue(
            papers_yaml, given, credentials, pdfs=pdfs, on_file=on_file, on_files=on_files
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@cli.command()
@click.argument("code", required=False)
def rules(code: str | None) -> None:
    """List the checks, or explain one.

    Without CODE, prints each rule's code, severity, name and summary. With CODE, prints the
    rule's full explanation: what it catches, why it matters, known problems, an example
    finding and how to fix.

    \b
    Example:
        proceedings rules
        proceedings rules PAGE001
    """
    if code is not None:
        found = get_rule(code)
        if found is None:
            known = ", ".join(item.code for item in all_rules())
            raise click.UsageError(f"no rule has the code {code!r}; the codes are: {known}")
        click.echo(f"{found.code} {found.name} ({found.severity.value})\n")
        click.echo(found.explanation)
        click.echo(f"\nFix: {found.fix}")
        return
    listed = all_rules()
    width = max(len(item.code) for item in listed)
    for item in listed:
        click.echo(f"{item.code:<{width}}  {item.severity.value:<8} {item.name:<22} {item.summary}")


@cli.command()
@click.argument("name", required=False)
def venues(name: str | None) -> None:
    """List the venue profiles, or describe one.

    A profile is what a venue checks beyond the page limit: the page size, the style's layout,
    the running head, the LLM-usage disclosure and the tracks. `proceedings check --venue NAME`
    checks loose PDFs against one; a volume names one as its base with `venue.profile` in
    volume.yaml and sets what differs beside it.

    \b
    Example:
        proceedings venues
        proceedings venues icbinb-iclr2026
    """
    if name is not None:
        for line in describe_profile(_profile(name, "NAME")):
            click.echo(line)
        return
    width = max(len(item) for item in PROFILES)
    for item in PROFILES.values():
        default = " (default)" if item.name == DEFAULT_PROFILE else ""
        click.echo(f"{item.name:<{width}}  {item.summary}{default}")


def _codes(value: str | None, option: str) -> list[str]:
    codes = [code.strip() for code in (value or "").split(",") if code.strip()]
    unknown = unknown_codes(codes)
    if unknown:
        raise click.BadParameter(
            f"no rule's code starts with {', '.join(unknown)}; `proceedings rules` lists them",
            param_hint=option,
        )
    return codes


def _progress_bar(done: int, total: int) -> None:
    if total <= 3:
        return
    width = 30
    filled = width * done // total
    end = "\n" if done == total else ""
    click.echo(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} papers{end}", nl=False, err=True
    )


def _profile(name: str, hint: str = "--venue") -> VenueProfile:
    profile = get_profile(name)
    if profile is None:
        raise click.BadParameter(
            f"no venue is called {name!r}; known: {', '.join(PROFILES)} "
            "(`proceedings venues` describes them)",
            param_hint=hint,
        )
    return profile


def _profile_venue(profile: VenueProfile, options: CheckOptions) -> CheckOptions:
    return replace(options, venue=profile.rules, tracks=profile.tracks)


def _volume_venue(root: Path, options: CheckOptions, venue_name: str) -> CheckOptions:
    if venue_name != DEFAULT_PROFILE:
        raise click.UsageError("give --venue or --volume, not both: a volume names its venue")
    if not is_volume(root):
        raise click.BadParameter(
            f"{root} is not a volume folder (no {PAPERS_FILE} or {VOLUME_FILE} in it)",
            param_hint="--volume",
        )
    volume, _ = load_volume(root)
    return volume_options(volume.venue, volume.tracks, options)


def _track(track: str | None, options: CheckOptions) -> str:
    known = [item.id for item in options.tracks]
    if track is None:
        return "long" if "long" in known or not known else known[0]
    if track not in known:
        raise click.BadParameter(
            f"{track!r} is not a track of this venue; choose from {', '.join(known)}",
            param_hint="--track",
        )
    return track


def _check_inputs(
    paths: tuple[Path, ...],
    options: CheckOptions,
    progress: Progress | None = None,
    volume_dir: Path | None = None,
) -> Report:
    """Check what was named (volume folders, BibTeX files, folders of PDFs, PDFs); by
    default the volume in ./papers."""
    if not paths:
        if not is_volume(DEFAULT_VOLUME):
            raise click.UsageError(
                f"give the PDFs or the volume folder to check; there is no volume in "
                f"./{DEFAULT_VOLUME} (no {VOLUME_FILE} or {PAPERS_FILE})"
            )
        paths = (DEFAULT_VOLUME,)
    try:
        return check_paths(paths, options, progress, volume=volume_dir)
    except InputError as error:
        raise click.BadParameter(str(error), param_hint="FILES") from None


def _render(output_format: str, report: Report) -> str:
    if output_format == "text":
        return render_text(report)
    if output_format == "json":
        return render_json(report)
    # Imported here: the other formats' machinery (Jinja2, page thumbnails) is theirs alone.
    from proceedings.report.github import render_github
    from proceedings.report.html import render_html
    from proceedings.report.junit import render_junit

    renderers = {"github": render_github, "junit": render_junit, "html": render_html}
    return renderers[output_format](report)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(
            f"cannot write the report to {output}: {error.strerror or error}"
        ) from None


def main() -> None:
    cli(prog_name="proceedings")
