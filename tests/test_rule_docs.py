"""The rules' documentation is true: what `proceedings rules CODE` prints names only options,
settings and rule codes that exist, and shows an example finding in the form `check` prints.

A doc that names `--no-disclosure` (no such option), `venue.pagesize` (no such setting) or
`PAGE003` (no such rule) sends an organizer looking for something that is not there.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from conftest import FIXTURES, check_json
from proceedings.cli import cli
from proceedings.metadata_schema import PAPERS_SCHEMA, VOLUME_SCHEMA, Field
from proceedings.rules import Rule, all_rules, get_rule

README = Path(__file__).resolve().parents[1] / "README.md"

# The sections of a rule's doc, in their order; the others are optional.
ORDER = ("What it catches", "Why it matters", "Known problems", "Example", "How to fix", "Options")
REQUIRED = ("What it catches", "Why it matters", "Example", "How to fix")

# Other programs whose commands the docs quote (`qpdf --decrypt paper.pdf out.pdf`): their
# options are theirs. A quoted command of any other program fails the test until it is named.
OTHER_TOOLS = ("qpdf", "gs", "updmap-user", "pdfinfo", "pdffonts")

CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,10}\d{3}(?![0-9])")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
SETTING = re.compile(
    r"(?<![\w.])(?:venue|frontmatter|proceedings|tracks|papers)(?:\[\d+\])?"
    r"(?:\.(?!yaml\b)[A-Za-z_]\w*(?:\[\d+\])?)+"
)

RULES = all_rules()
IDS = [item.code for item in RULES]


def sections(item: Rule) -> dict[str, str]:
    """The doc's sections by heading, in order, each with its text."""
    parts = re.split(r"^## (.+)$", item.explanation, flags=re.M)
    return {parts[index].strip(): parts[index + 1] for index in range(1, len(parts), 2)}


def example_finding(item: Rule) -> str:
    """The finding of the Example section: its indented block, joined into one line."""
    block = [line[4:] for line in sections(item)["Example"].splitlines() if line.startswith("    ")]
    return " ".join(line.strip() for line in block)


def documented_text(item: Rule) -> str:
    """What a person reads about the rule: its doc and the fix shown with each finding."""
    return f"{item.explanation}\n{item.fix}"


def without_other_tools(text: str) -> str:
    """The text less the quoted commands of other programs (which may span a wrapped line)."""
    text = text.replace("``` `` ```", "")

    def keep(match: re.Match[str]) -> str:
        words = match.group(1).split()
        return "" if words and words[0] in OTHER_TOOLS else match.group(0)

    return re.sub(r"`([^`]+)`", keep, text)


def command_options(command: click.Command, path: str = "proceedings") -> dict[str, set[str]]:
    """Every command of the tree (`proceedings check`, `proceedings import openreview`) with
    its long options."""
    found = {
        path: {
            name
            for param in command.params
            if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)
            if name.startswith("--")
        }
    }
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found.update(command_options(sub, f"{path} {name}"))
    return found


COMMANDS = command_options(cli)
ALL_OPTIONS = set().union(*COMMANDS.values())


def unknown_options(text: str) -> list[str]:
    return sorted(set(OPTION.findall(without_other_tools(text))) - ALL_OPTIONS)


def setting_exists(path: str) -> bool:
    """Whether `venue.layout.profile` (or `papers[3].pmlr_key`) is a setting of the schema."""
    names = re.sub(r"\[\d+\]", "", path).split(".")
    schema: dict[str, Field] | None = VOLUME_SCHEMA
    if names[0] == "papers":
        schema, names = PAPERS_SCHEMA["papers"].items, names[1:]
    for name in names:
        if schema is None:
            return False
        spec = schema.get(name)
        if spec is None:
            return False
        if spec.items is None and dict in spec.kinds:
            return True  # a mapping of free keys: `venue.severities.FONT002`
        schema = spec.items
    return True


def flow_setting_paths(value: Any, prefix: str = "") -> list[str]:
    """The paths a setting written as YAML names: `venue: {layout: {profile: x}}`."""
    if not isinstance(value, dict):
        return [prefix] if prefix else []
    paths = [prefix] if prefix else []
    for key, inner in value.items():
        paths += flow_setting_paths(inner, f"{prefix}.{key}" if prefix else str(key))
    return paths


def unknown_settings(text: str) -> list[str]:
    named = [
        path
        for path in SETTING.findall(text)
        # `proceedings.rules.hygiene` is a module of the package, not a setting.
        if not (path.startswith("proceedings.") and importlib.util.find_spec(path) is not None)
    ]
    for quoted in re.findall(r"`((?:venue|frontmatter|proceedings|tracks):[^`]*)`", text):
        named += flow_setting_paths(yaml.safe_load(quoted))
    return sorted({path for path in named if not setting_exists(path)})


def unknown_codes(text: str) -> list[str]:
    return sorted({code for code in CODE.findall(text) if get_rule(code) is None})


@pytest.mark.parametrize("item", RULES, ids=IDS)
def test_doc_has_its_sections_in_order(item: Rule) -> None:
    lines = item.explanation.splitlines()
    assert len(lines) > 2 and lines[0].strip() and not lines[1].strip(), (
        f"{item.code}: the summary must be one line followed by a blank line"
    )
    found = list(sections(item))
    assert [name for name in found if name not in ORDER] == [], item.code
    assert [name for name in REQUIRED if name not in found] == [], item.code
    assert found == sorted(found, key=ORDER.index), item.code
    assert all(sections(item)[name].strip() for name in found), item.code


@pytest.mark.parametrize("item", RULES, ids=IDS)
def test_example_is_a_finding_as_check_prints_it(item: Rule) -> None:
    finding = example_finding(item)
    assert finding.startswith(f"{item.severity.value} {item.code} "), (
        f"{item.code}: the Example's indented finding must start with "
        f"'{item.severity.value} {item.code}', not {finding[:40]!r}"
    )
    assert len(finding) > len(f"{item.severity.value} {item.code} ") + 10, item.code


@pytest.mark.parametrize("item", RULES, ids=IDS)
def test_options_named_are_options_of_proceedings(item: Rule) -> None:
    assert unknown_options(documented_text(item)) == [], (
        f"{item.code} names options no proceedings command has; commands: {sorted(COMMANDS)}"
    )


@pytest.mark.parametrize("item", RULES, ids=IDS)
def test_settings_named_exist_in_the_schema(item: Rule) -> None:
    # The Example quotes the checker's output about what someone wrote (a misspelt key, an
    # unknown code under `venue.severities`): it is left out.
    text = documented_text(item).replace(sections(item)["Example"], "")
    assert unknown_settings(text) == [], item.code


@pytest.mark.parametrize("item", RULES, ids=IDS)
def test_rule_codes_named_exist(item: Rule) -> None:
    assert unknown_codes(documented_text(item)) == [], item.code


def test_the_checks_find_what_they_are_meant_to() -> None:
    # Each check above, on a doc that gets it wrong: otherwise the tests would pass anything.
    assert unknown_options("Turn it off with `--no-disclosure`.") == ["--no-disclosure"]
    assert unknown_options("or --no-disclosure for loose PDFs") == ["--no-disclosure"]
    assert unknown_options("`proceedings check --no-disclosure paper.pdf`") == ["--no-disclosure"]
    assert unknown_options("run `qpdf --decrypt paper.pdf out.pdf`; `--require-disclosure`") == []
    wrapped = "`updmap-user --setoption\npdftexDownloadBase14 true` and `--page-size a4`"
    assert unknown_options(wrapped) == []
    assert unknown_settings("`venue.pagesize: a4` and `venue.page_size`") == ["venue.pagesize"]
    assert unknown_settings("`frontmatter.prefaces`, `proceedings.rules.hygiene`") == [
        "frontmatter.prefaces"
    ]
    assert unknown_settings("`venue: {layout: {profil: x}}`, `tracks[1].title`") == [
        "venue.layout.profil"
    ]
    assert unknown_settings("`venue: {severities: {VOL011: warning}}`") == []
    assert unknown_settings("papers[6].authors[2].nmae") == ["papers[6].authors[2].nmae"]
    assert unknown_codes("reported by PAGE003 instead; see PAGE001") == ["PAGE003"]


def test_options_are_read_from_the_command_tree() -> None:
    assert {"--require-disclosure", "--not-counted", "--timeout"} <= COMMANDS["proceedings check"]
    assert "--allow-errors" in COMMANDS["proceedings build"]
    assert "--track-field" in COMMANDS["proceedings import openreview"]


def readme_rule_rows() -> list[tuple[str, list[str]]]:
    """The README's rule table: each row's first cell and the codes it covers."""
    text = README.read_text(encoding="utf-8")
    table = text.split("### Rules", 1)[1].split("\n\n")[2]
    rows = []
    for line in table.splitlines()[2:]:
        cell = line.split("|")[1]
        codes: list[str] = []
        for first, last in re.findall(r"`([A-Z]+\d+)`(?:-`([A-Z]+\d+)`)?", cell):
            if not last:
                codes.append(first)
                continue
            family = first.rstrip("0123456789")
            assert last.startswith(family), cell
            width = len(first) - len(family)
            start, end = int(first[len(family) :]), int(last[len(family) :])
            codes += [f"{family}{number:0{width}d}" for number in range(start, end + 1)]
        rows.append((cell.strip(), codes))
    return rows


def test_readme_rule_table_matches_the_registry() -> None:
    rows = readme_rule_rows()
    listed = [code for _, codes in rows for code in codes]
    assert sorted(listed) == sorted(IDS), (
        f"not in the README: {sorted(set(IDS) - set(listed))}; "
        f"not rules: {sorted(set(listed) - set(IDS))}; listed twice: "
        f"{sorted({code for code in listed if listed.count(code) > 1})}"
    )


def test_readme_names_only_rules_that_exist() -> None:
    assert unknown_codes(README.read_text(encoding="utf-8")) == []


# The committed fixtures that the Examples of these rules were taken from, with the options of
# the run: checking them again must print the Example's finding (up to a trailing `...`).
FROM_FIXTURES: dict[tuple[str, ...], tuple[str, ...]] = {
    (
        "bib/refs/latin1.bib",
        "bib/refs/syntax_errors.bib",
        "bib/refs/duplicate_keys.bib",
        "bib/refs/duplicate_fields.bib",
        "bib/refs/undefined_string.bib",
        "bib/refs/missing_fields.bib",
        "bib/refs/duplicate_work.bib",
        "bib/refs/years.bib",
        "bib/refs/bad_doi.bib",
        "bib/refs/bad_arxiv.bib",
        "bib/refs/arxiv_year.bib",
        *(f"bib/pmlr/{name}.bib" for name in ("dates", "date_order", "paper_fields", "keys")),
        *(f"bib/pmlr/{name}.bib" for name in ("names", "text", "pages", "sections", "titles")),
        "bib/pmlr/proceedings_fields.bib",
        "bib/pmlr_pdfs/volume.bib",
    ): (),
    (
        "papers/long_refs_p6_40.pdf",
        "papers/review_mode.pdf",
        "rules/llm_in_body.pdf",
        "rules/unresolved_refs.pdf",
        "rules/wide_table.pdf",
        "bad/truncated.pdf",
        "facts/unembedded.pdf",
        "facts/encrypted.pdf",
        "facts/javascript.pdf",
        "facts/attachment.pdf",
        "facts/a4.pdf",
        "facts/rotated.pdf",
        "facts/cropped.pdf",
        "layout/geometry.pdf",
        "layout/small.pdf",
    ): (),
    ("rules/main_conference_head.pdf",): ("--venue", "icbinb-iclr2026"),
    ("papers/tiny_over.pdf",): ("--track", "tiny", "--require-disclosure"),
}


def printed_findings(report: dict[str, Any]) -> list[str]:
    """Each finding of a JSON report as the text report prints it, on one line."""
    lines = []
    for item in (*report.get("files", []), *report["papers"]):
        for finding in item["findings"]:
            if finding.get("file"):
                where = Path(finding["file"]).name
                where += f":{finding['line']}" if finding.get("line") is not None else ""
            elif finding.get("line") is not None:
                where = f"line {finding['line']}"
            else:
                where = f"page {finding['page']}" if finding.get("page") is not None else ""
            parts = (finding["severity"], finding["code"], where, finding["message"])
            lines.append(" ".join(part for part in parts if part))
    return lines


@pytest.fixture(scope="module")
def fixture_findings() -> list[str]:
    printed: list[str] = []
    for files, options in FROM_FIXTURES.items():
        _, report = check_json(*options, *(str(FIXTURES / name) for name in files))
        printed += printed_findings(report)
    return printed


def test_examples_taken_from_the_fixtures_are_what_check_prints(
    fixture_findings: list[str],
) -> None:
    printed_codes = {line.split()[1] for line in fixture_findings}
    checked = [item for item in RULES if item.code in printed_codes]
    assert len(checked) >= 50  # every BIB and PMLR rule, and most of the PDF rules
    for item in checked:
        example = example_finding(item)
        if example.endswith(" ..."):
            assert any(line.startswith(example[:-4]) for line in fixture_findings), item.code
        else:
            assert example in fixture_findings, item.code
