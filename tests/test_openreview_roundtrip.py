"""A re-import edits papers.yaml in place: what the organizers wrote stays as they wrote it."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proceedings.openreview import OpenReviewImportError, import_openreview, merge_papers
from proceedings.openreview.roundtrip import edit_papers_yaml
from proceedings.yamlsource import read_yaml

VENUE = "ICLR.cc/2026/Workshop/ICBINB"

HAND_WRITTEN = """\
# ICBINB 2026: accepted papers, checked by hand.
# Ask Ana before changing the tracks.

papers:
  # --- long papers ---
  - id: '1'
    track: long        # confirmed with the authors
    title: "Early Stopping Revisited"   # as on the poster
    authors:
      - name: Ana García
      - name: Bo Li
    abstract: >
      We stop early. It helps on
      small data sets and hurts on large ones.
    archival: true
    openreview: n1
    pdf: pdf/1.pdf

  - id: '2'
    track: long
    title: 'Two Are Enough: Ensembles, Revised'  # hand edit
    section: Negative results
    authors:
      - name: Chidi Okonkwo
    abstract: >
      A.
    archival: true
    openreview: n2
    pdf: pdf/2.pdf

  # --- to ask about ---
  - id: '3'
    track: long
    title: Paper 3
    authors:
      - name: Ada Lovelace
    abstract: >
      A.
    archival: true
    openreview: n3
    pdf: pdf/3.pdf

# end of the accepted papers
"""


def make_note(number: int, venue_id: str = VENUE, **content: Any) -> dict[str, Any]:
    fields = {"title": f"Paper {number}", "authors": ["Ada Lovelace"], "abstract": "A."}
    fields.update(content)
    fields["venueid"] = venue_id
    return {
        "id": f"n{number}",
        "forum": f"n{number}",
        "number": number,
        "content": {key: {"value": value} for key, value in fields.items()},
    }


FIRST = [
    make_note(
        1,
        title="Early Stopping Revisited",
        authors=["Ana García", "Bo Li"],
        abstract="We stop early. It helps on small data sets and hurts on large ones.",
    ),
    make_note(2, title="Two Are Enough: Ensembles", authors=["Chidi Okonkwo"]),
    make_note(3),
]
NEW_ABSTRACT = (
    "We stop early on small data sets. On large ones stopping early hurts, and three"
    " experiments show why."
)
SECOND = [
    make_note(
        1,
        title="Early Stopping, Revisited",
        authors=["Ana García", "Bo Li"],
        abstract=NEW_ABSTRACT,
    ),
    make_note(2, title="Two Are Enough: Ensembles!", authors=["Chidi Okonkwo"]),
    make_note(3, f"{VENUE}/Rejected_Submission"),
    make_note(4, title="Sparse Attention: Not Faster", authors=["Kenji Tanaka"]),
]


def write_notes(path: Path, notes: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(notes, ensure_ascii=False), encoding="utf-8")
    return path


def hand_commented(tmp_path: Path, text: str = HAND_WRITTEN) -> Path:
    """papers.yaml imported from FIRST, then re-written by hand as `text`."""
    papers_yaml = tmp_path / "papers.yaml"
    import_openreview(write_notes(tmp_path / "first.json", FIRST), papers_yaml)
    papers_yaml.write_bytes(text.encode("utf-8"))
    return papers_yaml


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines `diff` shows as removed and as added."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def test_a_re_import_changes_only_what_the_merge_changes_and_keeps_every_comment(
    tmp_path: Path,
) -> None:
    papers_yaml = hand_commented(tmp_path)
    result = import_openreview(write_notes(tmp_path / "second.json", SECOND), papers_yaml)
    after = papers_yaml.read_text(encoding="utf-8")

    removed, added = changed_lines(HAND_WRITTEN, after)
    assert removed == [
        '    title: "Early Stopping Revisited"   # as on the poster',
        "      We stop early. It helps on",
        "      small data sets and hurts on large ones.",
    ]
    assert added == [
        # Changed in place, in its quotes, its comment kept (at its column where there is room).
        '    title: "Early Stopping, Revisited"  # as on the poster',
        # A folded abstract stays folded, at about the width the file folds at.
        "      We stop early on small data sets. On",
        "      large ones stopping early hurts, and",
        "      three experiments show why.",
        # The new paper in the file's own field order and abstract style, before the
        # comments that end the file.
        "  - id: '4'",
        "    track: long",
        "    title: 'Sparse Attention: Not Faster'",
        "    authors:",
        "      - name: Kenji Tanaka",
        "    abstract: >",
        "      A.",
        "    archival: true",
        "    openreview: n4",
        "    pdf: pdf/4.pdf",
    ]
    assert after.endswith("    pdf: pdf/4.pdf\n\n# end of the accepted papers\n")
    assert [(c.id, c.status) for c in result.changes] == [
        ("1", "updated"),
        ("2", "unchanged"),
        ("3", "gone"),
        ("4", "added"),
    ]
    assert [k.field for k in result.changes[1].kept] == ["title"]  # the hand edit stays
    assert not (tmp_path / "papers.yaml.bak").exists()

    # What was written is what the merge decided, as the project's own reader reads it.
    data = read_yaml(papers_yaml, "papers.yaml").data
    papers = {paper["id"]: paper for paper in data["papers"]}
    assert papers["1"]["title"] == "Early Stopping, Revisited"
    assert papers["1"]["abstract"] == NEW_ABSTRACT + "\n"
    assert papers["2"]["title"] == "Two Are Enough: Ensembles, Revised"
    assert papers["2"]["section"] == "Negative results"
    assert papers["3"]["title"] == "Paper 3"  # no longer accepted: stays as written
    assert papers["4"]["authors"] == [{"name": "Kenji Tanaka"}]
    assert data == yaml.safe_load(after)

    again = import_openreview(tmp_path / "second.json", papers_yaml)
    assert not again.changed and papers_yaml.read_text(encoding="utf-8") == after


def test_the_reader_finds_every_value_on_its_line_after_the_edit(tmp_path: Path) -> None:
    papers_yaml = hand_commented(tmp_path)
    before = read_yaml(papers_yaml, "papers.yaml")
    import_openreview(write_notes(tmp_path / "second.json", SECOND), papers_yaml)
    after = read_yaml(papers_yaml, "papers.yaml")
    lines = papers_yaml.read_text(encoding="utf-8").splitlines()
    for path, line in after.lines.items():
        if len(path) == 3 and path[2] in ("id", "title", "track", "pdf"):
            assert lines[line - 1].strip(" -").startswith(f"{path[2]}:"), (path, line)
    # The abstract of paper 1 is one line longer: what follows it is one line further down.
    for key in (("papers", 0, "title"), ("papers", 0, "authors", 1, "name")):
        assert after.lines[key] == before.lines[key]
    for key in (("papers", 1, "section"), ("papers", 2, "title"), ("papers", 2, "pdf")):
        assert after.lines[key] == before.lines[key] + 1


def test_the_first_import_writes_the_documented_layout(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    import_openreview(write_notes(tmp_path / "first.json", FIRST), papers_yaml)
    text = papers_yaml.read_text(encoding="utf-8")
    assert text.startswith("papers:\n  - id: '1'\n    title: Early Stopping Revisited\n")
    assert "    abstract: |\n      We stop early." in text
    assert merge_papers("", []).text == "papers: []\n"


def test_a_file_written_by_a_yaml_library_is_kept_as_it_is(tmp_path: Path) -> None:
    """PyYAML wraps long values over several lines, which the round-trip writer would join:
    those lines are kept as the file has them, the changed one is written anew."""
    papers_yaml = tmp_path / "papers.yaml"
    long_title = "A Title " + "Long " * 30 + "Enough"
    first = [make_note(1, title=long_title), make_note(2, title=long_title + " Too")]
    import_openreview(write_notes(tmp_path / "first.json", first), papers_yaml)
    data = yaml.safe_load(papers_yaml.read_text(encoding="utf-8"))
    wrapped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assert "title: A Title Long" in wrapped and "\n    Long" in wrapped  # wrapped by PyYAML
    papers_yaml.write_text(wrapped, encoding="utf-8")

    second = [make_note(1, title="Short Now"), make_note(2, title=long_title + " Too")]
    import_openreview(write_notes(tmp_path / "second.json", second), papers_yaml)
    after = papers_yaml.read_text(encoding="utf-8")
    removed, added = changed_lines(wrapped, after)
    assert added == ["  title: Short Now"]
    assert "".join(removed).replace("  ", " ").count("Long") == 30
    assert yaml.safe_load(after)["papers"][1]["title"] == long_title + " Too"


# --- the editing itself ------------------------------------------------------------------


def test_a_removed_field_leaves_its_comments_and_an_added_one_goes_after_its_neighbour() -> None:
    text = (
        "papers:\n"
        "  - id: '1'\n"
        "    title: T\n"
        "    supplementary: supp/1.zip   # the code\n"
        "    # the organizers' note on the PDF\n"
        "    pdf: pdf/1.pdf\n"
        "\n"
        "  # next one\n"
        "  - id: '2'\n"
        "    title: U\n"
    )
    before = [
        {"id": "1", "title": "T", "supplementary": "supp/1.zip", "pdf": "pdf/1.pdf"},
        {"id": "2", "title": "U"},
    ]
    after = [
        {"id": "1", "title": "T", "pdf": "pdf/1.pdf"},
        {"id": "2", "title": "U", "pdf": "pdf/2.pdf", "archival": "yes"},
    ]
    out = edit_papers_yaml(text, "papers.yaml", before, after)
    assert out == (
        "papers:\n"
        "  - id: '1'\n"
        "    title: T\n"
        "    # the code\n"
        "    # the organizers' note on the PDF\n"
        "    pdf: pdf/1.pdf\n"
        "\n"
        "  # next one\n"
        "  - id: '2'\n"
        "    title: U\n"
        "    pdf: pdf/2.pdf\n"
        "    archival: 'yes'\n"  # quoted: `yes` unquoted reads as true
    )
    assert read_yaml_text(out)["papers"][1]["archival"] == "yes"


def test_an_author_added_in_the_middle_keeps_the_comments_of_the_others() -> None:
    text = (
        "papers:\n"
        "- id: 7\n"  # lists level with their key, an unquoted id
        "  authors:\n"
        "  - name: Ana García  # corresponding\n"
        "    affiliation: Universidad de Chile\n"
        "  - name: Bo Li\n"
    )
    ana = {"name": "Ana García", "affiliation": "Universidad de Chile"}
    before: list[dict[str, Any]] = [{"id": 7, "authors": [ana, {"name": "Bo Li"}]}]
    after: list[dict[str, Any]] = [
        {"id": 7, "authors": [{"name": "Kenji Tanaka"}, ana, {"name": "Bo Li", "email": "b@x"}]},
        {"id": "8", "authors": [{"name": "Ada Lovelace"}]},
    ]
    out = edit_papers_yaml(text, "papers.yaml", before, after)
    assert out == (
        "papers:\n"
        "- id: 7\n"
        "  authors:\n"
        "  - name: Kenji Tanaka\n"
        "  - name: Ana García  # corresponding\n"
        "    affiliation: Universidad de Chile\n"
        "  - name: Bo Li\n"
        "    email: b@x\n"
        "- id: 8\n"  # like the others
        "  authors:\n"
        "  - name: Ada Lovelace\n"
    )


def test_an_edit_that_would_drop_a_comment_is_refused() -> None:
    text = "papers:\n  - id: '1'\n    authors:\n      - name: A\n      - name: B  # left?\n"
    before = [{"id": "1", "authors": [{"name": "A"}, {"name": "B"}]}]
    after = [{"id": "1", "authors": [{"name": "A"}]}]
    with pytest.raises(OpenReviewImportError, match=r"papers.yaml, line 5: .*'# left\?'"):
        edit_papers_yaml(text, "papers.yaml", before, after)


def read_yaml_text(text: str) -> Any:
    from proceedings.yamlsource import parse_yaml

    return parse_yaml(text, "papers.yaml").data


# --- hostile files: a clear refusal naming the line, or the file kept as written -----------


def re_import(tmp_path: Path, raw: bytes) -> tuple[Path, Any]:
    """Re-import SECOND over papers.yaml holding `raw`; the result or the error."""
    papers_yaml = hand_commented(tmp_path)
    papers_yaml.write_bytes(raw)
    record = (tmp_path / "papers.yaml.imported.json").read_bytes()
    try:
        outcome: Any = import_openreview(write_notes(tmp_path / "second.json", SECOND), papers_yaml)
    except OpenReviewImportError as error:
        outcome = error
        assert papers_yaml.read_bytes() == raw  # nothing written
        assert (tmp_path / "papers.yaml.imported.json").read_bytes() == record
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    return papers_yaml, outcome


REFUSED = {
    "alias": (
        HAND_WRITTEN.replace("track: long        #", "track: &t long        #").replace(
            "  - id: '2'\n    track: long", "  - id: '2'\n    track: *t"
        ),
        7,
        "alias",
    ),
    "unknown tag": (HAND_WRITTEN.replace("title: Paper 3", "title: !secret Paper 3"), 34, "value"),
    "duplicate key": (
        HAND_WRITTEN.replace("    section: Negative", "    track: tiny\n    section: Negative"),
        22,
        "repeats the key",
    ),
    "tab indent": (HAND_WRITTEN.replace("    openreview: n3", "\topenreview: n3"), 40, "YAML"),
    # YAML allows a tab inside a plain value; ruamel.yaml does not read it.
    "tab in a value": (HAND_WRITTEN.replace("Paper 3", "Paper\t3"), 34, "edited in place"),
    "mixed line ends": (HAND_WRITTEN.replace("\n", "\r\n", 5), 6, "line ends"),
    "line separator": (
        HAND_WRITTEN.replace("Stopping Revisited", "Stopping\u2028Revisited"),
        8,
        "U+2028",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_file_that_cannot_be_edited_safely_is_refused_naming_its_line(
    tmp_path: Path, case: str
) -> None:
    text, line, words = REFUSED[case]
    _, outcome = re_import(tmp_path, text.encode("utf-8"))
    assert isinstance(outcome, OpenReviewImportError), outcome
    assert f"papers.yaml, line {line}" in str(outcome) and words in str(outcome)


def test_text_that_is_not_utf8_is_refused_naming_its_line(tmp_path: Path) -> None:
    raw = HAND_WRITTEN.replace("Bo Li", "Bo L\x00").encode("utf-8").replace(b"\x00", b"\xe9")
    _, outcome = re_import(tmp_path, raw)
    assert isinstance(outcome, OpenReviewImportError)
    assert "papers.yaml, line 11: not UTF-8" in str(outcome)


@pytest.mark.parametrize(
    "case",
    ["bom", "crlf", "bom and crlf", "anchor without alias", "str tag", "tab in a comment", "long"],
)
def test_a_file_the_reader_accepts_keeps_its_bytes_outside_the_edit(
    tmp_path: Path, case: str
) -> None:
    text = HAND_WRITTEN
    if case == "anchor without alias":
        text = text.replace("track: long        #", "track: &t long        #")
    if case == "str tag":
        text = text.replace("id: '3'", "id: !!str 3")
    if case == "tab in a comment":
        text = text.replace("# end of", "#\tend of")
    if case == "long":
        text = text.replace("Paper 3", "Paper 3 " + "very " * 4000 + "long")
    raw = text.encode("utf-8")
    if "crlf" in case:
        raw = raw.replace(b"\n", b"\r\n")
    if "bom" in case:
        raw = b"\xef\xbb\xbf" + raw
    papers_yaml, outcome = re_import(tmp_path, raw)
    assert not isinstance(outcome, Exception), outcome
    after = papers_yaml.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") == ("bom" in case)
    if "crlf" in case:
        assert after.count(b"\n") == after.count(b"\r\n") > raw.count(b"\n")
    newline = "\r\n" if "crlf" in case else "\n"
    removed, added = changed_lines(
        raw.decode("utf-8-sig").replace("\r\n", "\n"),
        after.decode("utf-8-sig").replace("\r\n", "\n"),
    )
    assert len(removed) == 3 and len(added) == 14, (removed, added)
    assert newline + "# end of" in after.decode("utf-8-sig") or "#\tend of" in after.decode()
    data = read_yaml(papers_yaml, "papers.yaml").data
    assert [paper["id"] for paper in data["papers"]] == ["1", "2", "3", "4"]


def first_import() -> Any:
    from proceedings.openreview import notes_to_papers

    imported = notes_to_papers(FIRST).papers
    return imported, merge_papers(None, imported[:2])


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("# the organizers' notes\n# papers come later\n", "# papers come later\n"),
        ("# notes\npapers:  # none yet\n", "papers:  # none yet\n"),
        ("papers: []\nvolume: 3  # the third\n", "volume: 3  # the third\n"),
    ],
)
def test_a_file_without_papers_keeps_its_comments(text: str, kept: str) -> None:
    imported, _ = first_import()
    result = merge_papers(text, imported)
    assert kept in result.text and result.text.count("  - id:") == 3
    assert read_yaml_text(result.text)["papers"][2]["id"] == "3"


def test_a_file_without_a_final_line_end_keeps_its_last_line() -> None:
    imported, first = first_import()
    text = first.text.rstrip("\n") + "  # last"
    unchanged = merge_papers(text, imported[:2], previous=first.record)
    assert unchanged.text == text and not unchanged.changed
    appended = merge_papers(text, imported, previous=first.record)
    assert appended.text.startswith(text + "\n  - id: '3'\n")


def test_what_the_writer_cannot_keep_next_to_a_change_is_refused_naming_the_line() -> None:
    imported, first = first_import()
    text = "%YAML 1.1\n---\n" + first.text + "...\n"
    assert merge_papers(text, imported[:2], previous=first.record).text == text  # no change
    with pytest.raises(OpenReviewImportError) as refused:
        merge_papers(text, imported, previous=first.record)  # a paper appended at the `...`
    assert str(refused.value).startswith(f"papers.yaml, line {text.count(chr(10))}: ")
    assert "('...' would be left out); nothing was written" in str(refused.value)


# --- comments and blank lines anywhere -----------------------------------------------------


def with_additions(additions: list[tuple[int, int, int]]) -> str:
    """HAND_WRITTEN with comment lines, blank lines and end-of-line comments added."""
    lines = HAND_WRITTEN.splitlines(keepends=True)
    for number, (where, kind, column) in enumerate(additions):
        where %= len(lines)
        if kind == 0:
            lines.insert(where, " " * column + f"# added {number}\n")
        elif kind == 1:
            lines.insert(where, "\n")
        elif ":" in lines[where] and not lines[where].rstrip().endswith((">", "|")):
            lines[where] = lines[where].rstrip("\n") + f"  # added {number}\n"
    return "".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 2), st.sampled_from([0, 2, 4, 6])),
        min_size=1,
        max_size=6,
    )
)
def test_comments_and_blank_lines_added_anywhere_stay_where_they_are(
    additions: list[tuple[int, int, int]],
) -> None:
    from proceedings.openreview import notes_to_papers
    from proceedings.yamlsource import YamlError, parse_yaml

    text = with_additions(additions)
    try:
        parse_yaml(text, "papers.yaml")
    except YamlError:
        return  # a comment that breaks the YAML: the reader's business
    first = merge_papers(None, notes_to_papers(FIRST).papers)
    result = merge_papers(text, notes_to_papers(SECOND).papers, previous=first.record)
    # Only the title of paper 1 and the lines of its abstract (a comment written inside the
    # folded block is part of the abstract) are replaced; every other line stays as it was.
    lines = text.splitlines()
    title = next(i for i, line in enumerate(lines) if "Early Stopping Revisited" in line)
    start = lines.index("    abstract: >")
    replaceable = {title, *range(start + 1, lines.index("    archival: true"))}
    matcher = difflib.SequenceMatcher(None, lines, result.text.splitlines(), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            assert set(range(i1, i2)) <= replaceable, (lines[i1:i2], text, result.text)
