"""Reading .bib files: values, lines, kinds of file, identifiers and name lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from proceedings.bib import BibFile, load_bib
from proceedings.bib.ids import check_arxiv_id, doi_problem
from proceedings.bib.text import comparable, split_names

BIB = Path(__file__).parent / "fixtures" / "bib"


def parse(tmp_path: Path, text: str, name: str = "refs.bib") -> BibFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_bib(path)


def test_values_are_decoded_as_bibtex_reads_them(tmp_path: Path) -> None:
    bib = parse(
        tmp_path,
        "@string{ conf = {Proceedings of} }\n"
        "@article{a,\n"
        '  title = "A {Quoted} Title",\n'
        "  booktitle = conf # { the Workshop},\n"
        "  year = 2020,\n"
        "  month = feb,\n"
        "  note = {Nested {braces {deep}} kept},\n"
        "}\n",
    )
    (entry,) = bib.entries
    assert entry.get("title") == "A {Quoted} Title"
    assert entry.get("booktitle") == "Proceedings of the Workshop"
    assert entry.get("year") == "2020"
    assert entry.get("month") == "February"
    assert entry.get("note") == "Nested {braces {deep}} kept"
    assert bib.syntax_errors == [] and bib.undefined_strings == []


def test_lines_of_entries_and_fields(tmp_path: Path) -> None:
    bib = parse(
        tmp_path,
        "% a comment\n"
        "\n"
        "@Article{a,\n"
        "  author =\n"
        "    {Smith, Jane and\n"
        "     Doe, John},\n"
        "  title = {T},\n"
        "}\n"
        "@misc(b, title = {In parentheses})\n",
    )
    first, second = bib.entries
    assert (first.type, first.key, first.line) == ("article", "a", 3)
    author = first.field("author")
    assert author is not None
    assert author.line == 5  # the value starts on the line after `=`
    assert author.line_of("Doe") == 6
    assert first.line_of("title") == 7
    assert first.line_of("missing") == 3
    assert (second.key, second.line, second.get("title")) == ("b", 9, "In parentheses")


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.bib"
    path.write_bytes(b"\xef\xbb\xbf@misc{a, title = {T}, year = {2020}}\n")
    bib = load_bib(path)
    assert bib.load_error is None and [entry.key for entry in bib.entries] == ["a"]


def test_repeated_fields_keep_the_first(tmp_path: Path) -> None:
    bib = parse(tmp_path, "@misc{a,\n title = {First},\n title = {Second},\n}\n")
    (entry,) = bib.entries
    assert entry.get("title") == "First"
    assert [(item.name, item.value, item.line) for item in entry.repeated_fields] == [
        ("title", "Second", 3)
    ]


def test_duplicate_keys_keep_both_entries(tmp_path: Path) -> None:
    bib = parse(tmp_path, "@misc{a, title = {One}}\n@misc{a, title = {Two}}\n")
    assert [(entry.key, entry.get("title")) for entry in bib.entries] == [
        ("a", "One"),
        ("a", "Two"),
    ]


@pytest.mark.parametrize(
    ("text", "volume"),
    [
        ("@Proceedings{p, shortname = {X}}\n@InProceedings{a, title = {T}}\n", True),
        ("@proceedings{p, title = {P}}\n@inproceedings{a, title = {T}, pages = {1-2}}\n", True),
        ("@proceedings{p, title = {P}}\n@inproceedings{a, crossref = {p}}\n", False),
        ("@proceedings{p, title = {P}}\n@inproceedings{a, booktitle = {P}}\n", False),
        ("@InProceedings{a, title = {T}}\n", False),
        ("@Proceedings{p, shortname = {X}}\n", False),
    ],
)
def test_pmlr_volume_or_reference_list(tmp_path: Path, text: str, volume: bool) -> None:
    assert parse(tmp_path, text).is_pmlr_volume is volume


def test_the_folder_is_the_bib_s(tmp_path: Path) -> None:
    assert parse(tmp_path, "").folder == tmp_path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2305.12345", None),
        ("2305.12345v3", None),
        ("1412.6980", None),
        ("0704.0001", None),
        ("cs/0601001", None),
        ("math.AG/0601001v2", None),
        ("hep-th/9901001", None),
        ("2305.1234", "4 digits"),
        ("1412.69801", "5 digits"),
        ("0612.1234", "April 2007"),
        ("2313.12345", "month 13"),
        ("2705.12345", "future"),
        ("cs/0801001", "1991 to March 2007"),
        ("cs.LG/1708.07747", "category"),
        ("abc", "neither"),
    ],
)
def test_arxiv_identifiers(text: str, problem: str | None) -> None:
    result = check_arxiv_id(text, today=date(2026, 6, 1))
    if problem is None:
        assert result.problem is None
        assert result.year is not None
    else:
        assert result.problem is not None and problem in result.problem


def test_arxiv_identifier_years() -> None:
    assert check_arxiv_id("2305.12345").year == 2023
    assert check_arxiv_id("cs/9912001").year == 1999
    assert check_arxiv_id("2305.12345v2").bare == "2305.12345"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("10.1145/3292500.3330701", None),
        ("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0", None),
        ("https://doi.org/10.1145/3292500.3330701", "prefix"),
        ("http://dx.doi.org/10.1145/3292500.3330701", "prefix"),
        ("doi:10.1145/3292500.3330701", "prefix"),
        ("10.1145/ 3292500", "white space"),
        ("978-3-16-148410-0", "10.NNNN"),
        ("10.12/x", "10.NNNN"),
    ],
)
def test_dois(text: str, problem: str | None) -> None:
    result = doi_problem(text)
    assert (result is None) if problem is None else (result is not None and problem in result)


def test_name_lists() -> None:
    names = split_names("Smith, Jane and {Barnes and Noble} and\n  Doe, John")
    assert [name.text for name in names.names] == ["Smith, Jane", "{Barnes and Noble}", "Doe, John"]
    assert not (names.leading_and or names.trailing_and or names.doubled_and)
    broken = split_names("and Smith, Jane and and Doe, John AND")
    assert broken.leading_and and broken.trailing_and and broken.doubled_and
    assert split_names("").names == []


def test_titles_compare_on_letters_and_digits() -> None:
    assert comparable('{\\"U}ber {ResNet}-50: a Test') == comparable("Über ResNet-50 -- a test")
    assert comparable("ResNet-50 Report") != comparable("ResNet-101 Report")
