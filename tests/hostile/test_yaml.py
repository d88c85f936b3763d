"""Hostile volume metadata: each case changes the good volume of two papers, which is then
checked together with a loose good PDF.

Metadata that cannot be read is one `VOL001` naming the file and line, and exit code 2; values
of the wrong type are one finding per field, naming file, line and field path, and exit code
1. The loose PDF is checked and passes whatever the metadata holds, and nothing the YAML says
runs (a `!!python` tag is plain data).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from hostile import make
from hostile.runner import assert_findings, check_json, papers_by_file

LOOSE = make.FIXTURES / "papers" / "tiny_pass.pdf"
BOUND = 20.0

# case: (exit code, the metadata findings: (code, file, line, words of the message)).
UNREADABLE = 2
ERRORS = 1
CASES: dict[str, tuple[int, list[tuple[str, str, int, str]]]] = {
    "syntax_error": (UNREADABLE, [("VOL001", "papers.yaml", 3, "YAML syntax error")]),
    "tab_indent": (UNREADABLE, [("VOL001", "papers.yaml", 9, "found a tab character")]),
    "alias_bomb": (UNREADABLE, [("VOL001", "papers.yaml", 1, "uses a YAML alias")]),
    "alias_bomb_volume": (UNREADABLE, [("VOL001", "volume.yaml", 1, "uses a YAML alias")]),
    "invalid_utf8": (UNREADABLE, [("VOL001", "papers.yaml", 7, "is not valid UTF-8 text")]),
    "deep_nesting": (UNREADABLE, [("VOL001", "papers.yaml", 19, "more than 100 levels deep")]),
    # libyaml refuses the escape; PyYAML's own parser is tested in test_lone_surrogate_...
    "lone_surrogate": (UNREADABLE, [("VOL001", "papers.yaml", 3, "invalid Unicode character")]),
    "abstract_10mb": (0, []),
    "title_number": (ERRORS, [("VOL003", "papers.yaml", 3, "papers[0].title: must be text")]),
    "title_list": (ERRORS, [("VOL003", "papers.yaml", 3, "title: must be text, not a list")]),
    "authors_string": (
        ERRORS,
        [("VOL003", "papers.yaml", 4, "papers[0].authors: must be a list, not the text")],
    ),
    "papers_mapping": (ERRORS, [("VOL003", "papers.yaml", 2, "papers: must be a list")]),
    "nulls_everywhere": (
        ERRORS,
        [
            *[
                ("VOL002", "papers.yaml", line, f"papers[0].{field}: missing")
                for line, field in enumerate(
                    ("id", "title", "authors", "abstract", "track", "archival"), start=2
                )
            ],
            ("VOL002", "papers.yaml", 9, "papers[1].title: missing"),
            ("VOL002", "papers.yaml", 10, "papers[1].authors[1].name: missing"),
            ("VOL002", "papers.yaml", 11, "papers[1].abstract: missing"),
            ("VOL002", "papers.yaml", 12, "papers[1].track: missing"),
            ("VOL002", "papers.yaml", 13, "papers[1].archival: missing"),
            ("VOL003", "papers.yaml", 10, "papers[1].authors[0]: must be a mapping"),
        ],
    ),
    "volume_wrong_types": (
        ERRORS,
        [
            ("VOL003", "volume.yaml", 5, "proceedings.year: must be a whole number, not a list"),
            ("VOL003", "volume.yaml", 6, "proceedings.editors: must be a list, not a mapping"),
            ("VOL003", "volume.yaml", 15, "tracks: must be a list, not a mapping"),
        ],
    ),
    "python_tag": (ERRORS, [("VOL003", "papers.yaml", 1, "papers[0]: must be a mapping")]),
    "bad_scalars": (
        ERRORS,
        [
            ("VOL011", "volume.yaml", 9, "'2026-13-45' is not a date"),
            ("VOL003", "papers.yaml", 10, "archival: must be true or false, not the text 'maybe'"),
            ("VOL007", "papers.yaml", 2, "the PDF pdf/99999"),
            ("VOL013", "papers.yaml", 2, "papers[0].id: '99999"),
        ],
    ),
    "nul_in_path": (ERRORS, [("VOL007", "papers.yaml", 10, "papers[0]: the PDF pdf/1")]),
}


def metadata_findings(report: dict[str, Any]) -> list[tuple[str, str, int, str]]:
    return [
        (finding["code"], finding["file"], finding["line"], finding["message"])
        for item in report["files"]
        for finding in item["findings"]
    ]


@pytest.mark.parametrize("case", sorted(make.YAML_CASES))
def test_metadata_case(case: str, tmp_path: Path) -> None:
    volume = make.write_volume(tmp_path / "papers", make.YAML_CASES[case]())
    run, report = check_json(volume, LOOSE, bound=BOUND, cwd=tmp_path)
    code, expected = CASES[case]
    assert_findings(metadata_findings(report), expected)
    assert run.code == code, (run.code, run.stdout[-2000:])
    loose = papers_by_file(report)[str(LOOSE)]
    assert loose["status"] == "pass" and loose["findings"] == []
    assert not (tmp_path / "PWNED").exists()
    if code == UNREADABLE:
        assert [item["status"] for item in report["files"]].count("error") == 1


def test_every_case_has_an_expectation() -> None:
    assert sorted(CASES) == sorted(make.YAML_CASES)


def test_metadata_errors_are_named_in_the_text_report(tmp_path: Path) -> None:
    from hostile.runner import proceedings

    volume = make.write_volume(tmp_path / "papers", make.YAML_CASES["authors_string"]())
    run = proceedings("check", volume, LOOSE, bound=BOUND)
    assert "VOL003  papers.yaml:4 papers[0].authors: must be a list" in run.stdout
    assert run.code == 1


def test_ten_megabyte_abstract_is_read_and_checked_quickly(tmp_path: Path) -> None:
    volume = make.write_volume(tmp_path / "papers", make.YAML_CASES["abstract_10mb"]())
    assert (volume / "papers.yaml").stat().st_size > make.ABSTRACT_BYTES
    run, report = check_json(volume, bound=10)
    assert [paper["status"] for paper in report["papers"]] == ["pass", "pass"]
    assert run.code == 0


@pytest.mark.parametrize("loader", ["libyaml", "python"])
def test_lone_surrogate_is_refused_by_either_parser(
    loader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml refuses `"\\ud800"`; PyYAML's own parser (used without libyaml) reads it, and
    the text could never be written out, so the metadata reader refuses it then."""
    from proceedings import yamlsource

    if loader == "python":
        monkeypatch.setattr(yamlsource, "_LOADER", yaml.SafeLoader)
    text = make.YAML_CASES["lone_surrogate"]()["papers.yaml"].decode()
    with pytest.raises(yamlsource.YamlError) as raised:
        yamlsource.parse_yaml(text, "papers.yaml")
    assert raised.value.line == 3


@pytest.mark.parametrize("depth", [100, 101, 1_000, 100_000])
def test_nesting_is_refused_past_a_hundred_levels(depth: int) -> None:
    from proceedings.yamlsource import MAX_DEPTH, YamlError, parse_yaml

    texts = ["x: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"]
    if depth <= 1_000:  # in block style, each level is indented further
        texts.append("".join("  " * level + "- \n" for level in range(depth))[:-1] + "x\n")
    for text in texts:
        if depth <= MAX_DEPTH:
            assert parse_yaml(text, "papers.yaml").data is not None
        else:
            with pytest.raises(YamlError, match="levels deep"):
                parse_yaml(text, "papers.yaml")
