"""The `proceedings` command line: parse options, call the library, render the report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from proceedings import __version__
from proceedings.check import TRACK_LIMITS, CheckOptions, check_paths
from proceedings.checks import all_rules, get_rule
from proceedings.pdf.structure import HeadingNames
from proceedings.report import render_json, render_text

FORMATS = {"text": render_text, "json": render_json}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="proceedings")
def cli() -> None:
    """Check camera-ready papers and assemble a PMLR proceedings volume."""


@cli.command()
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--track",
    type=click.Choice(sorted(TRACK_LIMITS)),
    default="long",
    show_default=True,
    help="Track whose page limit applies: long (5 pages) or tiny (2 pages).",
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
    "--format",
    "output_format",
    type=click.Choice(sorted(FORMATS)),
    default="text",
    show_default=True,
    help="Report format: text for people, json for programs (schema version 1).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
def check(
    files: tuple[Path, ...],
    track: str,
    page_limit: float | None,
    not_counted: tuple[str, ...],
    output_format: str,
    output: Path | None,
) -> None:
    """Check camera-ready PDFs for what would get them bounced.

    FILES are PDFs, or folders whose PDFs are all checked. The main text of each PDF runs up
    to the references, acknowledgments, LLM-usage disclosure, appendix or other trailing
    material, which do not count; it is measured against the track's page limit. Exits with
    0 when no errors are found, 1 when some are, 2 on a usage error.

    \b
    Example:
        proceedings check paper.pdf --track tiny
        proceedings check pdf/*.pdf --format json -o report.json
    """
    options = CheckOptions(
        track=track,
        page_limit=page_limit,
        names=HeadingNames().with_extra(not_counted),
    )
    report = check_paths(_pdf_files(files), options)
    _write(FORMATS[output_format](report), output)
    sys.exit(1 if report.errors else 0)


@cli.command()
@click.argument("code", required=False)
def rules(code: str | None) -> None:
    """List the checks, or explain one.

    Without CODE, prints each rule's code, severity, name and summary. With CODE, prints the
    rule's full explanation: what it catches, why it matters, known problems and how to fix.

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
    for item in all_rules():
        click.echo(f"{item.code:<8} {item.severity.value:<8} {item.name:<20} {item.summary}")


def _pdf_files(paths: tuple[Path, ...]) -> list[Path]:
    """The files to check: a folder stands for the PDFs in it.

    A folder named like a PDF (`x.pdf/`) is kept as it is, so it is reported as a file that
    cannot be read instead of silently standing for nothing.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir() and path.suffix.lower() != ".pdf":
            found = sorted(path.glob("*.pdf")) + sorted(path.glob("*.PDF"))
            if not found:
                raise click.BadParameter(
                    f"the folder {path} holds no .pdf files", param_hint="FILES"
                )
            files.extend(found)
        else:
            files.append(path)
    return files


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
