"""OpenReview export -> papers.yaml: the export shapes, and re-imports that keep hand edits."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from proceedings.openreview import (
    ImportOptions,
    MergeResult,
    OpenReviewImportError,
    VenueChoiceError,
    import_openreview,
    merge_papers,
    notes_to_papers,
    read_notes,
    record_path,
)

FIXTURES = Path(__file__).parent / "fixtures" / "openreview"
V2 = FIXTURES / "api_v2.json"
V1 = FIXTURES / "api_v1.json"
OBJECTS = FIXTURES / "authors_objects.jsonl"
VENUE = "ICLR.cc/2026/Workshop/ICBINB"

V2_OPTIONS = ImportOptions(
    track_field="submission_type",
    archival_field="archival_option",
    archival_values=("Archival (published in PMLR)",),
)
V1_OPTIONS = ImportOptions(track_field="track", archival_field="archival")


def by_id(papers: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {paper["id"]: paper for paper in papers}


def load_papers(path: Path) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return by_id(data["papers"])


def write_notes(path: Path, notes: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(notes, ensure_ascii=False), encoding="utf-8")
    return path


def note(notes: list[dict[str, Any]], number: int | str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        n for n in notes if n.get("number") == number or n.get("id") == number
    )
    return found


# --- the three shapes ----------------------------------------------------------------------


def test_api_v2_export_keeps_only_accepted_papers_in_number_order() -> None:
    result = notes_to_papers(read_notes(V2), V2_OPTIONS)
    assert [paper["id"] for paper in result.papers] == ["3", "7", "12", "24"]
    reasons = {skipped.id: skipped.reason for skipped in result.skipped}
    assert reasons == {
        "15": f"rejected (venue id {VENUE}/Rejected_Submission)",
        "18": f"withdrawn (venue id {VENUE}/Withdrawn_Submission)",
        "21": f"desk rejected (venue id {VENUE}/Desk_Rejected_Submission)",
    }
    assert result.warnings == []


def test_api_v2_tracks_from_the_track_field_and_archival_from_the_archival_field() -> None:
    papers = by_id(notes_to_papers(read_notes(V2), V2_OPTIONS).papers)
    assert {key: p["track"] for key, p in papers.items()} == {
        "3": "long",
        "7": "tiny",
        "12": "long",
        "24": "tiny",
    }
    assert {key: p["archival"] for key, p in papers.items()} == {
        "3": True,
        "7": True,
        "12": False,
        "24": False,
    }


def test_api_v2_entry_has_the_documented_fields_in_order_with_white_space_normalised() -> None:
    paper = by_id(notes_to_papers(read_notes(V2), V2_OPTIONS).papers)["3"]
    assert list(paper) == [
        "id",
        "title",
        "authors",
        "abstract",
        "track",
        "archival",
        "openreview",
        "pdf",
    ]
    assert paper["title"] == (
        "When Bigger Batches Did Not Help: A Negative Result on Learning-Rate Scaling"
    )
    assert paper["abstract"] == (
        "The linear scaling rule promises that doubling the batch size and the learning rate"
        " together leaves training unchanged. We test it on $12$ image and text benchmarks\n"
        "and find that it fails beyond a batch of $2^{13}$.\n"
        "\n"
        "We report every failure in full, with code and seeds."
    )
    assert paper["openreview"] == "Kx3fP0aB9q"
    assert paper["pdf"] == "pdf/3.pdf"
    assert paper["authors"] == [
        {"name": "Ana María García", "openreview": "~Ana_María_García1"},
        {"name": "Jan-Willem van de Meent", "openreview": "~Jan-Willem_van_de_Meent1"},
        {"name": "Priya Raghunathan", "email": "priya.raghunathan@example.edu"},
    ]


def test_given_and_family_only_where_the_automatic_split_would_fail() -> None:
    papers = by_id(notes_to_papers(read_notes(V2), V2_OPTIONS).papers)
    assert papers["7"]["authors"] == [
        {"name": "张伟", "openreview": "~Wei_Zhang12"},  # split_name gets 张 | 伟 right
        {"name": "山田 太郎", "given": "太郎", "family": "山田", "openreview": "~Taro_Yamada2"},
        {"name": "Luc De Raedt", "email": "luc.deraedt@example.be"},
    ]
    assert papers["12"]["authors"] == [
        {"name": "Olúwaseun Adébáyọ̀", "openreview": "~Oluwaseun_Adebayo1"},
        # decomposed accents in the export come out composed (NFC)
        {"name": "Björn Müller-Schmidt", "email": "bjoern.mueller-schmidt@example.de"},
        {"name": "Sukarno", "given": "", "family": "Sukarno", "openreview": "~Sukarno1"},
    ]
    assert papers["24"]["authors"][0] == {
        "name": "欧阳娜娜",
        "given": "娜娜",
        "family": "欧阳",
        "openreview": "~Nana_Ouyang1",
    }
    assert papers["24"]["authors"][1] == {
        "name": "Lena de la Cruz",
        "openreview": "~Lena_de_la_Cruz1",
    }


def test_api_v1_flat_export_judged_by_venue_label() -> None:
    result = notes_to_papers(read_notes(V1), V1_OPTIONS)
    assert result.venue_id is None  # no note has a venueid
    papers = by_id(result.papers)
    assert list(papers) == ["2", "5", "14"]  # Oral and Poster are both accepted
    assert [papers[key]["track"] for key in papers] == ["long", "tiny", "long"]
    assert [papers[key]["archival"] for key in papers] == [True, False, True]  # "Yes", "No", "yes"
    assert papers["2"]["authors"] == [
        {"name": "Clara von Kügelgen", "openreview": "~Clara_von_Kügelgen1"},
        {"name": "Robert Ellis Jr.", "email": "robert.ellis@example.org"},
        {"name": "Søren Kierkegaard-Holm", "openreview": "~Søren_Kierkegaard-Holm1"},
    ]
    reasons = {skipped.id: skipped.reason for skipped in result.skipped}
    assert reasons["9"] == "not accepted (venue: Submitted to ICBINB 2023)"
    assert reasons["11"].startswith("withdrawn")
    assert reasons["17"].startswith("desk rejected")


def test_authors_as_objects_with_institutions_from_json_lines() -> None:
    result = notes_to_papers(read_notes(OBJECTS))
    papers = by_id(result.papers)
    assert list(papers) == ["31", "34", "Ab12Cd34Ef"]  # no number: the note id
    assert {key: p["track"] for key, p in papers.items()} == {
        "31": "tiny",  # from the venue label "... Tiny Paper"
        "34": "long",
        "Ab12Cd34Ef": "long",
    }
    assert all(paper["archival"] for paper in papers.values())  # no archival field given
    assert papers["Ab12Cd34Ef"]["authors"] == [
        {"name": "Ana García", "affiliation": "Universidad de Chile", "openreview": "~Ana_Garcia1"},
        {
            "name": "Kenji Tanaka",
            "affiliation": "University of Tokyo; RIKEN AIP",
            "openreview": "~Kenji_Tanaka3",
        },
    ]
    assert papers["31"]["authors"][1] == {
        "name": "王芳",
        "affiliation": "清华大学",
        "email": "wang.fang@example.cn",
    }
    # authorids and the objects' usernames together
    assert papers["34"]["authors"][1] == {
        "name": "Hélène Dubois",
        "email": "helene.dubois@example.fr",
        "openreview": "~Helene_Dubois2",
    }
    assert papers["Ab12Cd34Ef"]["pdf"] == "pdf/Ab12Cd34Ef.pdf"
    assert {skipped.id for skipped in result.skipped} == {"32", "36", "37"}


# --- options -------------------------------------------------------------------------------


def make_note(number: int, venue_id: str, **content: Any) -> dict[str, Any]:
    fields = {"title": f"Paper {number}", "authors": ["Ada Lovelace"], "abstract": "A."}
    fields.update(content)
    fields["venueid"] = venue_id
    return {
        "id": f"n{number}",
        "forum": f"n{number}",
        "number": number,
        "content": {key: {"value": value} for key, value in fields.items()},
    }


def test_venue_id_is_the_one_that_is_not_a_rejection() -> None:
    notes = [make_note(n, f"{VENUE}/Rejected_Submission") for n in range(1, 6)]
    notes += [make_note(n, VENUE) for n in range(6, 9)]
    notes += [make_note(10, f"{VENUE}/Submission")]
    result = notes_to_papers(notes)
    assert result.venue_id == VENUE and result.venue_id_inferred
    assert [paper["id"] for paper in result.papers] == ["6", "7", "8"]
    assert result.warnings == []
    reasons = {skipped.id: skipped.reason for skipped in result.skipped}
    assert reasons["10"].startswith("not decided")


def test_accepted_papers_of_several_venues_stop_the_import_until_one_is_chosen() -> None:
    notes = [make_note(n, VENUE) for n in range(1, 4)]
    notes += [make_note(n, "Other.cc/2026/Conference") for n in range(4, 9)]
    notes += [make_note(9, f"{VENUE}/Rejected_Submission")]
    with pytest.raises(VenueChoiceError) as stopped:
        notes_to_papers(notes)
    assert stopped.value.counts == {"Other.cc/2026/Conference": 5, VENUE: 3}
    assert "--venue-id" in str(stopped.value)
    assert f"{VENUE} (3 notes)" in str(stopped.value)

    chosen = notes_to_papers(notes, ImportOptions(venue_id=VENUE))
    assert [paper["id"] for paper in chosen.papers] == ["1", "2", "3"]
    assert not chosen.venue_id_inferred
    reasons = {skipped.id: skipped.reason for skipped in chosen.skipped}
    assert reasons["4"] == f"venue id Other.cc/2026/Conference is not the accepted venue {VENUE}"


def test_track_values_match_exactly_then_by_the_longest_contained_key() -> None:
    values = {"paper": "long", "tiny paper": "tiny", "Position": "position"}
    notes = [
        make_note(1, VENUE, kind="Tiny Paper Track"),
        make_note(2, VENUE, kind="Full paper"),
        make_note(3, VENUE, kind="position"),
        make_note(4, VENUE, kind="Short"),
    ]
    result = notes_to_papers(notes, ImportOptions(track_field="kind", track_values=values))
    assert [paper["track"] for paper in result.papers] == ["tiny", "long", "position", "long"]
    assert result.warnings == [
        "paper 4: kind 'Short' matches no track (paper, tiny paper, Position);"
        " track 'long' from the default"
    ]


def test_archival_values_are_compared_whole_never_as_substrings() -> None:
    notes = [
        make_note(1, VENUE, archival="Archival"),
        make_note(2, VENUE, archival="Non-archival"),
        make_note(3, VENUE, archival=True),
        make_note(4, VENUE),
    ]
    options = ImportOptions(archival_field="archival", archival_values=("archival",))
    result = notes_to_papers(notes, options)
    assert [paper["archival"] for paper in result.papers] == [True, False, True, False]
    assert result.warnings == ["paper 4: no archival; imported as non-archival"]

    typo = ImportOptions(archival_field="archival", archival_values=("archivel",))
    warnings = notes_to_papers(notes[:2], typo).warnings
    assert warnings == [
        "no accepted paper is archival: archival is never one of 'archivel';"
        " values seen: 'Archival' (1), 'Non-archival' (1)"
    ]


# --- reading exports -----------------------------------------------------------------------

NOTES = [make_note(1, VENUE), make_note(2, VENUE)]


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(NOTES),
        json.dumps({"notes": NOTES, "count": 2}),
        "\n".join(json.dumps(n) for n in NOTES) + "\n",
        "\ufeff" + json.dumps(NOTES, indent=2),
    ],
    ids=["list", "api-v2-object", "json-lines", "bom-pretty"],
)
def test_read_notes_accepts_every_export_shape(tmp_path: Path, text: str) -> None:
    path = tmp_path / "notes.json"
    path.write_text(text, encoding="utf-8")
    assert read_notes(path) == NOTES


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("  \n", "the file is empty"),
        ("[]", "the export has no notes"),
        ('{"notes": [], "count": 0}', "the export has no notes"),
        ('{"notes": {}}', '"notes" is an object, not a list of notes'),
        ('{"count": 0}', "an object is not an OpenReview export"),
        ("[1, 2]", "note 1 is not a JSON object but the value 1"),
        ('[{"id": "a",\n  "content": }]', "line 2: not valid JSON (Expecting value, column 14)"),
        ('{"id": "a", "content": {}}\n{"id": "b", "content"\n', "line 2: not valid JSON"),
        ("<html>Sign in</html>", "line 1: not valid JSON (Expecting value, column 1)"),
    ],
)
def test_bad_export_gives_a_clear_error_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OpenReviewImportError) as caught:
        read_notes(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_missing_or_binary_export_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OpenReviewImportError, match="cannot be read"):
        read_notes(tmp_path / "missing.json")
    binary = tmp_path / "export.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(OpenReviewImportError, match="not UTF-8"):
        read_notes(binary)


# --- writing papers.yaml -------------------------------------------------------------------


def test_import_writes_readable_papers_yaml_and_the_record(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    result = import_openreview(V2, papers_yaml, V2_OPTIONS)
    assert [change.id for change in result.added] == ["3", "7", "12", "24"]
    text = papers_yaml.read_text(encoding="utf-8")
    assert text.startswith("papers:\n  - id: '3'\n    title: ")
    assert "    abstract: |\n      The linear scaling rule" in text
    assert "      - name: 山田 太郎\n        given: 太郎\n        family: 山田\n" in text
    assert "\\u" not in text and "{" not in text.split("abstract")[0]  # no escapes, block style
    assert load_papers(papers_yaml)["3"]["abstract"].startswith("The linear scaling rule")
    record = json.loads(record_path(papers_yaml).read_text(encoding="utf-8"))
    assert record["version"] == 1 and record["venue_id"] == VENUE
    assert list(record["papers"]) == ["3", "7", "12", "24"]
    assert record["papers"]["7"] == by_id(notes_to_papers(read_notes(V2), V2_OPTIONS).papers)["7"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "papers.yaml",
        "papers.yaml.imported.json",
    ]


@pytest.mark.parametrize("existing", [None, "# the organizers' notes\npapers: []\n"])
def test_import_that_cannot_write_its_record_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: str | None
) -> None:
    """papers.yaml is renamed into place only once the record is written in
    full too: a disk that fills up on the record leaves the folder as it was."""
    papers_yaml = tmp_path / "papers.yaml"
    if existing is not None:
        papers_yaml.write_text(existing, encoding="utf-8")
    real_open = os.open

    def full_disk(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if ".imported.json." in str(path):
            raise OSError(28, "No space left on device")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", full_disk)
    with pytest.raises(OpenReviewImportError, match="imported.json: cannot be written"):
        import_openreview(V2, papers_yaml, V2_OPTIONS)
    monkeypatch.undo()
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == ([] if existing is None else ["papers.yaml"])
    if existing is not None:
        assert papers_yaml.read_text(encoding="utf-8") == existing


def test_repeat_import_gives_byte_identical_files_and_touches_nothing(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    import_openreview(OBJECTS, papers_yaml)
    first = papers_yaml.read_bytes(), record_path(papers_yaml).read_bytes()
    stamps = papers_yaml.stat().st_mtime_ns, record_path(papers_yaml).stat().st_mtime_ns
    again = import_openreview(OBJECTS, papers_yaml)
    assert (papers_yaml.read_bytes(), record_path(papers_yaml).read_bytes()) == first
    assert (papers_yaml.stat().st_mtime_ns, record_path(papers_yaml).stat().st_mtime_ns) == stamps
    assert not again.changed
    assert {change.status for change in again.changes} == {"unchanged"}
    assert again.lines() == []
    # and the pure function agrees: same input, same text
    imported = notes_to_papers(read_notes(OBJECTS)).papers
    assert merge_papers(None, imported).text == merge_papers(None, imported).text


def test_reimport_keeps_hand_edits_and_takes_the_new_abstract(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    import_openreview(OBJECTS, papers_yaml)
    text = papers_yaml.read_text(encoding="utf-8")
    text = text.replace(
        "title: Ensembles of Two Are Enough", "title: Two Members Are Enough for an Ensemble"
    )
    text = text.replace(
        "affiliation: Universidad de Chile", "affiliation: Universidad de Chile, Santiago"
    )
    papers_yaml.write_text(text, encoding="utf-8")

    notes = read_notes(OBJECTS)
    content = note(notes, 34)["content"]
    content["abstract"]["value"] = "With more than two members, ensembles gained < 0.1 points."
    content["title"]["value"] = "Ensembles of Two Are (Nearly) Enough"
    result = import_openreview(write_notes(tmp_path / "export.json", notes), papers_yaml)

    papers = load_papers(papers_yaml)
    assert papers["34"]["title"] == "Two Members Are Enough for an Ensemble"
    assert papers["34"]["abstract"] == (
        "With more than two members, ensembles gained < 0.1 points.\n"
    )
    ana = papers["Ab12Cd34Ef"]["authors"][0]
    assert ana["affiliation"] == "Universidad de Chile, Santiago"

    changes = {change.id: change for change in result.changes}
    assert changes["34"].status == "updated"
    assert [(c.field, c.new) for c in changes["34"].updated] == [
        ("abstract", "With more than two members, ensembles gained < 0.1 points.")
    ]
    assert [(c.field, c.old, c.new) for c in changes["34"].kept] == [
        ("title", "Two Members Are Enough for an Ensemble", "Ensembles of Two Are (Nearly) Enough")
    ]
    assert [(c.field, c.old, c.new) for c in changes["Ab12Cd34Ef"].kept] == [
        (
            "authors[Ana García].affiliation",
            "Universidad de Chile, Santiago",
            "Universidad de Chile",
        )
    ]
    assert changes["31"].status == "unchanged" and not changes["31"].kept
    assert {change.id for change in result.kept} == {"34", "Ab12Cd34Ef"}
    assert result.summary() == "0 added, 1 updated, 2 with hand edits kept, 0 no longer accepted"
    lines = "\n".join(result.lines())
    assert 'title: kept the hand edit "Two Members Are Enough for an Ensemble"' in lines
    assert "abstract: " in lines and '-> "With more than two members' in lines

    # Once more with the same export: the hand edits stay, nothing else moves.
    before = papers_yaml.read_bytes()
    again = import_openreview(tmp_path / "export.json", papers_yaml)
    assert papers_yaml.read_bytes() == before
    assert {change.id for change in again.kept} == {"34", "Ab12Cd34Ef"}
    assert again.updated == []


def test_a_paper_no_longer_accepted_is_kept_and_reported(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    import_openreview(V2, papers_yaml, V2_OPTIONS)
    notes = read_notes(V2)
    note(notes, 7)["content"]["venueid"]["value"] = f"{VENUE}/Withdrawn_Submission"
    notes.remove(note(notes, 24))
    result = import_openreview(
        write_notes(tmp_path / "export.json", notes), papers_yaml, V2_OPTIONS
    )

    assert list(load_papers(papers_yaml)) == ["3", "7", "12", "24"]  # nothing deleted
    gone = {change.id: change.reason for change in result.gone}
    assert gone == {
        "7": f"not accepted on OpenReview: withdrawn (venue id {VENUE}/Withdrawn_Submission)",
        "24": "not in the OpenReview export",
    }
    assert 'gone    24 "Calibration Does Not Survive Quantisation"' in "\n".join(result.lines())
    record = json.loads(record_path(papers_yaml).read_text(encoding="utf-8"))
    assert set(record["papers"]) == {"3", "7", "12", "24"}  # their last import is remembered


def test_new_papers_are_appended_after_the_existing_ones(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    notes = read_notes(V2)
    late = [note(notes, 3), note(notes, 24)]
    import_openreview(write_notes(tmp_path / "first.json", late), papers_yaml, V2_OPTIONS)
    result = import_openreview(V2, papers_yaml, V2_OPTIONS)
    assert list(load_papers(papers_yaml)) == ["3", "24", "7", "12"]
    assert [change.id for change in result.added] == ["7", "12"]


def test_author_added_on_openreview_comes_in_next_to_a_hand_edited_author(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    import_openreview(OBJECTS, papers_yaml)
    text = papers_yaml.read_text(encoding="utf-8")
    papers_yaml.write_text(
        text.replace("University of Tokyo; RIKEN AIP", "RIKEN AIP"), encoding="utf-8"
    )
    notes = read_notes(OBJECTS)
    authors = note(notes, "Ab12Cd34Ef")["content"]["authors"]["value"]
    authors.insert(1, {"fullname": "Ngozi Eze", "username": "~Ngozi_Eze1"})
    result = import_openreview(write_notes(tmp_path / "export.json", notes), papers_yaml)

    assert load_papers(papers_yaml)["Ab12Cd34Ef"]["authors"] == [
        {"name": "Ana García", "affiliation": "Universidad de Chile", "openreview": "~Ana_Garcia1"},
        {"name": "Ngozi Eze", "openreview": "~Ngozi_Eze1"},
        {"name": "Kenji Tanaka", "affiliation": "RIKEN AIP", "openreview": "~Kenji_Tanaka3"},
    ]
    change = next(c for c in result.changes if c.id == "Ab12Cd34Ef")
    assert [c.field for c in change.updated] == ["authors"]
    assert [c.field for c in change.kept] == ["authors[Kenji Tanaka].affiliation"]


def test_hand_reordered_authors_stay_in_their_order(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    import_openreview(OBJECTS, papers_yaml)
    data = yaml.safe_load(papers_yaml.read_text(encoding="utf-8"))
    paper = next(p for p in data["papers"] if p["id"] == "34")
    paper["authors"].reverse()
    papers_yaml.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = import_openreview(OBJECTS, papers_yaml)
    names = [a["name"] for a in load_papers(papers_yaml)["34"]["authors"]]
    assert names == ["Hélène Dubois", "Chidi Okonkwo"]
    change = next(c for c in result.changes if c.id == "34")
    assert [c.field for c in change.kept] == ["authors"]


def test_without_a_record_every_differing_value_is_kept(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    import_openreview(OBJECTS, papers_yaml)
    record_path(papers_yaml).unlink()
    notes = read_notes(OBJECTS)
    note(notes, 31)["content"]["abstract"]["value"] = "A tiny paper, revised."
    result = import_openreview(write_notes(tmp_path / "export.json", notes), papers_yaml)
    assert load_papers(papers_yaml)["31"]["abstract"] == "A tiny paper.\n"
    assert any("no record of an earlier import of paper 31:" in w for w in result.warnings)
    assert record_path(papers_yaml).exists()  # from now on, edits can be told apart


def test_renamed_id_is_matched_by_forum_and_other_keys_survive() -> None:
    imported = notes_to_papers(read_notes(OBJECTS)).papers
    first = merge_papers(None, imported)
    text = first.text.replace("id: '31'", "id: vanderberg-tiny")
    text = text.replace("    pdf: pdf/31.pdf\n", "    pdf: pdf/31.pdf\n    pmlr_key: berg26a\n")
    text += "notes: kept as they are\n"
    second = merge_papers(text, imported, previous=first.record)
    data = yaml.safe_load(second.text)
    assert [p["id"] for p in data["papers"]] == ["vanderberg-tiny", "34", "Ab12Cd34Ef"]
    assert data["papers"][0]["pmlr_key"] == "berg26a"
    assert data["notes"] == "kept as they are"
    change = second.changes[0]
    assert (change.id, [c.field for c in change.kept]) == ("31", ["id"])


def test_hand_added_fields_are_the_organizers_own() -> None:
    imported = notes_to_papers(read_notes(OBJECTS)).papers
    first = merge_papers(None, imported)
    text = first.text.replace(
        "      - name: Chidi Okonkwo\n",
        "      - name: Chidi Okonkwo\n        orcid: 0000-0002-1825-0097\n",
    )
    text = text.replace("    track: long\n", "    track: long\n    section: Negative Results\n", 1)
    second = merge_papers(text, imported, previous=first.record)
    assert second.text == text and not second.changed  # where the organizers put them
    data = by_id(yaml.safe_load(second.text)["papers"])
    assert data["34"]["authors"][0]["orcid"] == "0000-0002-1825-0097"
    assert list(data["34"]["authors"][0]) == ["name", "orcid", "affiliation", "openreview"]
    assert data["34"]["section"] == "Negative Results"
    assert all(not change.kept and not change.updated for change in second.changes)


def test_authors_without_ids_are_matched_by_name_also_in_chinese_characters() -> None:
    imported = notes_to_papers([make_note(1, VENUE, authors=["张伟", "李娜", "Ana García"])]).papers
    first = merge_papers(None, imported)
    text = first.text.replace(
        "      - name: 李娜\n", "      - name: 李娜\n        affiliation: 北京大学\n"
    )
    text = text.replace("name: Ana García", "name: Ana Garcia")  # accents are no new person
    second = merge_papers(text, imported, previous=first.record)
    authors = yaml.safe_load(second.text)["papers"][0]["authors"]
    assert authors == [
        {"name": "张伟"},
        {"name": "李娜", "affiliation": "北京大学"},
        {"name": "Ana Garcia"},
    ]
    (change,) = second.changes
    assert [c.field for c in change.kept] == ["authors[Ana Garcia].name"]
    assert change.updated == ()


def test_a_required_field_deleted_by_hand_is_filled_in_again() -> None:
    imported = notes_to_papers([make_note(1, VENUE)]).papers
    first = merge_papers(None, imported)
    text = first.text.replace("    title: Paper 1\n", "").replace("    pdf: pdf/1.pdf\n", "")
    second = merge_papers(text, imported, previous=first.record)
    paper = yaml.safe_load(second.text)["papers"][0]
    assert paper["title"] == "Paper 1"
    assert "pdf" not in paper  # optional: its removal is a hand edit (pdf/<id>.pdf is the default)
    (change,) = second.changes
    assert [c.field for c in change.updated] == ["title"]
    assert [(c.field, c.old) for c in change.kept] == [("pdf", None)]


# --- bad papers.yaml and record ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("papers:\n  - id: '3'\n    title: [unclosed\n", ", line 4, column 1: not valid YAML"),
        ("papers:\n  - id: '3'\n   title: x\n", ", line 3, column 4: not valid YAML"),
        ("- id: '3'\n", ", line 1: expected a mapping with the key `papers:` at the top"),
        ("papers:\n  id: '3'\n", ", line 2: `papers` must be a list of papers"),
        ("papers:\n  - id: '3'\n  - just a string\n", ", line 3: paper 2 is not a mapping"),
    ],
)
def test_broken_papers_yaml_gives_a_clear_error_and_is_left_alone(
    tmp_path: Path, text: str, message: str
) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    papers_yaml.write_text(text, encoding="utf-8")
    with pytest.raises(OpenReviewImportError) as caught:
        import_openreview(V2, papers_yaml, V2_OPTIONS)
    assert str(caught.value).startswith(f"{papers_yaml}, line ")
    assert message in str(caught.value)
    assert papers_yaml.read_text(encoding="utf-8") == text
    assert not record_path(papers_yaml).exists()


def test_broken_record_gives_a_clear_error(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    record_path(papers_yaml).write_text("{not json", encoding="utf-8")
    with pytest.raises(OpenReviewImportError, match="cannot read the record of the last import"):
        import_openreview(V2, papers_yaml, V2_OPTIONS)
    record_path(papers_yaml).write_text('{"version": 99, "papers": {}}', encoding="utf-8")
    with pytest.raises(OpenReviewImportError, match="not a version 1 record"):
        import_openreview(V2, papers_yaml, V2_OPTIONS)


def test_export_without_accepted_papers_writes_nothing(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    options = ImportOptions(venue_id="ICLR.cc/2026/Workshop/Elsewhere")
    with pytest.raises(OpenReviewImportError, match="no accepted paper among 7 notes"):
        import_openreview(V2, papers_yaml, options)
    assert not papers_yaml.exists()


def test_missing_volume_folder_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OpenReviewImportError, match="does not exist"):
        import_openreview(V2, tmp_path / "papers" / "papers.yaml", V2_OPTIONS)


# --- files ---------------------------------------------------------------------------------


def test_a_re_import_keeps_the_comments_and_writes_no_backup(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    import_openreview(OBJECTS, papers_yaml)
    text = "# ICBINB 2026 accepted papers\n" + papers_yaml.read_text(encoding="utf-8")
    text = text.replace("title: Ensembles", "title: 'Issue #12: Ensembles", 1).replace(
        "Two Are Enough\n", "Two Are Enough'  # a hand edit\n", 1
    )
    papers_yaml.write_text(text, encoding="utf-8")

    again = import_openreview(OBJECTS, papers_yaml)
    assert again.changed is False  # the title is a hand edit: kept; nothing else changes
    assert papers_yaml.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "papers.yaml",
        "papers.yaml.imported.json",
    ]


def test_atomic_write_keeps_the_file_mode_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    papers_yaml = tmp_path / "papers.yaml"
    import_openreview(OBJECTS, papers_yaml)
    os.chmod(papers_yaml, 0o640)
    notes = read_notes(OBJECTS)
    note(notes, 31)["content"]["title"]["value"] = "Early Stopping on the Test Set"
    export = write_notes(tmp_path / "export.json", notes)
    result: MergeResult = import_openreview(export, papers_yaml)
    assert result.updated and stat.S_IMODE(papers_yaml.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "export.json",
        "papers.yaml",
        "papers.yaml.imported.json",
    ]
