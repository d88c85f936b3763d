"""The BIB and PMLR rules on hand-written fixtures: which codes fire, and at which lines."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from proceedings.check import check_bib
from proceedings.report import Finding, Severity, Status
from proceedings.rules import Rule, Violation, all_rules, get_rule

BIB = Path(__file__).parent / "fixtures" / "bib"
REFS = BIB / "refs"
PMLR = BIB / "pmlr"


def found(path: Path, rules: Iterable[Rule] | None = None) -> list[tuple[str, int | None]]:
    """The (code, line) of each finding, in the order of the report (by line)."""
    return [(item.code, item.line) for item in check_bib(path, rules).findings]


def messages(path: Path, code: str) -> list[str]:
    return [item.message for item in check_bib(path).findings if item.code == code]


# --- the rules as data ------------------------------------------------------------------


def test_bib_rules_are_registered_with_documentation() -> None:
    rules = [item for item in all_rules() if item.subject == "bib"]
    codes = [item.code for item in rules]
    assert [code for code in codes if code.startswith("BIB")] == [
        f"BIB{n:03d}" for n in range(1, 13)
    ]
    assert [code for code in codes if code.startswith("PMLR")] == [
        f"PMLR{n:03d}" for n in range(1, 22)
    ]
    for item in rules:
        text = item.explanation
        assert text and not text.splitlines()[0].startswith("#"), item.code
        assert "## What it catches" in text, item.code
        assert "## Why it matters" in text, item.code
        assert "## How to fix" in text, item.code
        order = [
            text.index(h) for h in ("## What it catches", "## Why it matters", "## How to fix")
        ]
        assert order == sorted(order), item.code
        assert item.fix, item.code
        # BIB rules live in the bibtex modules, PMLR rules in the pmlr ones (`pmlr_pages`).
        family = "bibtex" if item.code.startswith("BIB") else "pmlr"
        assert item.family.split("_")[0] == family, item.code


def test_report_is_a_bib_file_report() -> None:
    report = check_bib(REFS / "duplicate_keys.bib")
    assert report.kind == "bib"
    assert report.file == str(REFS / "duplicate_keys.bib")
    assert report.status is Status.FAIL
    data = report.to_json()
    assert data["kind"] == "bib"
    assert data["findings"][0]["line"] == 15
    assert data["findings"][0]["hint"]


# --- reference lists ----------------------------------------------------------------------


def test_clean_reference_list_has_no_findings() -> None:
    assert found(REFS / "clean.bib") == []


def test_syntax_errors_are_reported_at_their_lines_and_neighbours_still_checked() -> None:
    assert found(REFS / "syntax_errors.bib") == [
        ("BIB002", 9),  # a `{` never closed: the entry runs into the next one
        ("BIB006", 16),  # good2, right after it, is read and checked (it has no journal)
        ("BIB006", 22),  # nocomma: its title was swallowed by the author
        ("BIB002", 23),  # ... the missing comma, which bibtexparser accepts silently
        ("BIB002", 31),  # text after a value
        ("BIB006", 36),  # empty title ...
        ("BIB002", 38),  # ... which bibtexparser accepts silently
        ("BIB002", 43),  # a key with a space
        ("BIB006", 50),  # extra: its journal and year are lost after the early `}`
        ("BIB002", 52),  # ... the text after the early `}`
        ("BIB002", 64),  # a field without `=`
        ("BIB006", 77),  # fieldname: its title is lost ...
        ("BIB002", 79),  # ... to a field name with a space, which bibtexparser accepts
    ]
    texts = messages(REFS / "syntax_errors.bib", "BIB002")
    assert "up to line 14" in texts[0] and "never closed" in texts[0]
    assert "missing comma" in texts[1]


def test_entries_after_broken_ones_are_all_read() -> None:
    from proceedings.bib import load_bib

    bib = load_bib(REFS / "syntax_errors.bib")
    keys = [entry.key for entry in bib.entries]
    for key in ("good1", "good2", "good3", "good4", "nocomma", "junk", "extra", "fieldname"):
        assert key in keys
    assert "unclosed" not in keys and "noequals" not in keys


def test_duplicate_keys() -> None:
    assert found(REFS / "duplicate_keys.bib") == [("BIB003", 15), ("BIB003", 22)]
    assert "differs only in case" in messages(REFS / "duplicate_keys.bib", "BIB003")[1]


def test_duplicate_fields() -> None:
    assert found(REFS / "duplicate_fields.bib") == [("BIB004", 6), ("BIB004", 14)]


def test_undefined_strings() -> None:
    assert found(REFS / "undefined_string.bib") == [
        ("BIB006", 11),  # the booktitle is empty once the macro is unknown
        ("BIB005", 14),
        ("BIB005", 16),
    ]


def test_missing_fields() -> None:
    assert found(REFS / "missing_fields.bib") == [
        ("BIB006", 1),
        ("BIB006", 7),
        ("BIB006", 12),
        ("BIB006", 18),
        ("BIB006", 23),
    ]
    texts = messages(REFS / "missing_fields.bib", "BIB006")
    assert "`booktitle`, `year`" in texts[1]
    assert "`publisher`" in texts[2] and "author" not in texts[2]  # an editor will do


def test_duplicate_work_by_doi_arxiv_id_and_title() -> None:
    assert found(REFS / "duplicate_work.bib") == [
        ("BIB007", 8),
        ("BIB007", 15),
        ("BIB007", 30),
        ("BIB007", 45),
    ]
    texts = messages(REFS / "duplicate_work.bib", "BIB007")
    assert "same title as `vaswani2017arxiv`" in texts[0]
    assert "arXiv identifier `1706.03762`" in texts[1]  # versions are ignored
    assert "DOI `10.1109/cvpr.2016.90`" in texts[2]  # DOIs compare without case
    assert "`muller2020`" in texts[3]  # LaTeX accents and Unicode read the same


def test_years() -> None:
    assert found(REFS / "years.bib") == [
        ("BIB008", 5),
        ("BIB009", 12),
        ("BIB009", 19),
        ("BIB008", 26),
    ]


def test_malformed_dois() -> None:
    assert found(REFS / "bad_doi.bib") == [
        ("BIB010", 6),
        ("BIB010", 14),
        ("BIB010", 22),
        ("BIB010", 30),
    ]


def test_malformed_arxiv_ids() -> None:
    assert found(REFS / "bad_arxiv.bib") == [
        ("BIB011", 5),
        ("BIB011", 12),
        ("BIB011", 20),
        ("BIB011", 27),
        ("BIB011", 34),
        ("BIB011", 42),
    ]
    texts = messages(REFS / "bad_arxiv.bib", "BIB011")
    assert "identifiers of 2023 have 5" in texts[0]
    assert "month 13" in texts[1]
    assert "in the future" in texts[2]
    assert "write `1708.07747`" in texts[4]
    assert "identifiers of 2012 have 4" in texts[5]


def test_arxiv_id_later_than_the_year() -> None:
    assert found(REFS / "arxiv_year.bib") == [("BIB012", 5), ("BIB012", 11)]


# --- what real exports write: no false alarms ----------------------------------------------


def test_exports_of_reference_managers_and_publishers_have_no_findings() -> None:
    """JabRef, Zotero (Better BibTeX, with ShortDOIs), Mendeley, Google Scholar, DBLP, the
    ACL Anthology, NASA ADS, BibDesk, IEEE Xplore, the ACM DL, SpringerLink and arXiv."""
    assert found(REFS / "exports.bib") == []


def test_short_dois_are_dois_and_malformed_ones_are_still_reported() -> None:
    assert found(REFS / "short_doi.bib") == [
        ("BIB010", 38),  # https://doi.org/10/ggjv3s
        ("BIB010", 46),  # doi:10/gf4bt3
        ("BIB010", 54),  # 10/
        ("BIB010", 62),  # 10/bb-gr9b
        ("BIB010", 70),  # {10.1145/...}
        ("BIB007", 73),  # 10/BBGR9B is 10/bbgr9b
    ]
    texts = messages(REFS / "short_doi.bib", "BIB010")
    assert "prefix (`https://doi.org/`)" in texts[0]
    assert "prefix (`doi:`)" in texts[1]
    assert "not a ShortDOI" in texts[2] and "not a ShortDOI" in texts[3]
    assert "braces" in texts[4]
    assert "DOI `10/bbgr9b` as `short`" in messages(REFS / "short_doi.bib", "BIB007")[0]


def test_dois_are_read_from_links_and_notes(tmp_path: Path) -> None:
    from proceedings.bib import load_bib
    from proceedings.bib.ids import dois

    entries = {entry.key: entry for entry in load_bib(REFS / "short_doi.bib").entries}
    assert dois(entries["shortLinks"]) == ["10/g8r7pm", "10/c4tc", "10/aabbe"]
    path = tmp_path / "refs.bib"
    path.write_text(
        "@misc{a, title = {A}, year = {2020},\n"
        "  note = {(doi:10.1016/0004-3702(87)90051-6), and "
        "https://doi.org/10.1007/978-3-319-10590-1{\\_}53.}}\n"
    )
    (entry,) = load_bib(path).entries
    assert dois(entry) == ["10.1016/0004-3702(87)90051-6", "10.1007/978-3-319-10590-1_53"]


def test_fields_inherited_through_xdata_and_crossref() -> None:
    """`@xdata` and `@set` need no fields; a child takes its parent's `title` as `booktitle`
    (or `journaltitle` from a `@periodical`), and inheritance goes through several steps."""
    assert found(REFS / "inheritance.bib") == [("BIB006", 63), ("BIB006", 69)]
    texts = messages(REFS / "inheritance.bib", "BIB006")
    assert "`parentMissing` lacks `booktitle`, `year`" in texts[0]
    assert "`xdataNoYear` lacks `year`" in texts[1]


def test_same_title_by_other_authors_in_another_year_is_another_work() -> None:
    assert found(REFS / "same_title.bib") == [
        ("BIB007", 15),  # Goodfellow's book twice; LeCun's article of 2015 is another work
        ("BIB007", 29),  # `{van den Brand}, Jan` and `van den Brand, Jan`
        ("BIB007", 42),  # {OpenAI} and Achiam et al., the same report of the same year
        ("BIB006", 48),
        ("BIB007", 48),  # no authors: the title alone decides
    ]
    texts = messages(REFS / "same_title.bib", "BIB007")
    assert "as `goodfellow2016deep`" in texts[0]


def test_arxiv_ids_written_in_latex_text() -> None:
    """Brackets, ties, braces, `\\href` and a trailing slash end an identifier; an old one
    may carry any subject class (`cond-mat.stat-mech/0601001`), as arXiv resolves it."""
    assert found(REFS / "arxiv_text.bib") == [("BIB011", 40), ("BIB011", 48)]
    texts = messages(REFS / "arxiv_text.bib", "BIB011")
    assert "a link, not an identifier: write `2305.12350` alone" in texts[0]
    assert "`2305.1235`" in texts[1] and "identifiers of 2023 have 5" in texts[1]


def test_comment_blocks_and_percent_lines_as_bibtex_reads_them() -> None:
    """BibTeX reads the entries inside `@comment{...}`, and has no `%` comments in entries."""
    assert found(REFS / "comments.bib") == [
        ("BIB003", 19),  # `old` inside the @comment is still read
        ("BIB002", 29),  # `% note = ...` inside an entry
        ("BIB006", 34),
        ("BIB002", 39),  # a real stray `}` is still reported
    ]
    assert "inside a `@comment`" in messages(REFS / "comments.bib", "BIB003")[0]
    assert "`%` does not comment out" in messages(REFS / "comments.bib", "BIB002")[0]


def test_file_not_in_utf8() -> None:
    report = check_bib(REFS / "latin1.bib")
    assert [(item.code, item.line) for item in report.findings] == [("BIB001", 2)]
    assert report.status is Status.ERROR
    assert "not UTF-8" in report.findings[0].message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    missing = check_bib(tmp_path / "nothing.bib")
    assert [item.code for item in missing.findings] == ["BIB001"]
    assert "does not exist" in missing.findings[0].message
    folder = check_bib(tmp_path)
    assert [item.code for item in folder.findings] == ["BIB001"]
    assert folder.status is Status.ERROR


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "paper.bib"
    shutil.copy(BIB / "pmlr_clean" / "rahman26a.pdf", path)
    report = check_bib(path)
    assert [item.code for item in report.findings] == ["BIB001"]


def test_empty_file_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "empty.bib"
    path.write_text("")
    assert found(path) == []


def test_rule_selection() -> None:
    rule = get_rule("BIB003")
    assert rule is not None
    assert found(REFS / "syntax_errors.bib", [rule]) == []
    assert found(REFS / "duplicate_keys.bib", [rule]) == [("BIB003", 15), ("BIB003", 22)]


def test_a_failing_rule_is_reported_and_the_others_still_run() -> None:
    def broken(bib: object) -> Iterator[Violation]:
        raise RuntimeError("boom")
        yield Violation("never")

    bad = Rule(
        code="BIBTEST",
        name="broken",
        severity=Severity.ERROR,
        check=broken,
        needs_document=False,
        fix="",
        subject="bib",
    )
    rule = get_rule("BIB003")
    assert rule is not None
    report = check_bib(REFS / "duplicate_keys.bib", [bad, rule])
    codes = [item.code for item in report.findings]
    assert codes.count("BIB003") == 2
    internal = [item for item in report.findings if "boom" in item.message]
    assert len(internal) == 1 and internal[0].severity is Severity.ERROR


def test_reference_list_rules_leave_pmlr_volumes_alone() -> None:
    codes = {code for code, _ in found(BIB / "pmlr_clean" / "volume.bib")}
    assert codes == set()
    # and a reference list with a crossref'd @proceedings is not a PMLR volume
    assert not any(code.startswith("PMLR") for code, _ in found(REFS / "clean.bib"))


# --- PMLR volume files --------------------------------------------------------------------


def test_clean_pmlr_volume_with_pdfs_has_no_findings() -> None:
    assert found(BIB / "pmlr_clean" / "volume.bib") == []


def test_proceedings_fields() -> None:
    assert found(PMLR / "proceedings_fields.bib") == [("PMLR001", 2), ("PMLR001", 22)]
    first = messages(PMLR / "proceedings_fields.bib", "PMLR001")[0]
    assert "`name`, `address`, `conference_number`" in first  # an empty address is missing


def test_dates() -> None:
    assert found(PMLR / "dates.bib") == [("PMLR002", 9), ("PMLR002", 11)]


def test_date_order() -> None:
    assert found(PMLR / "date_order.bib") == [("PMLR003", 10), ("PMLR003", 11)]


def test_paper_fields() -> None:
    assert found(PMLR / "paper_fields.bib") == [
        ("PMLR004", 17),
        ("PMLR004", 23),
        ("PMLR004", 30),
    ]


def test_keys() -> None:
    assert found(PMLR / "keys.bib") == [
        ("PMLR006", 3),  # the @Proceedings key names 2025 in the 2026 volume
        ("PMLR005", 18),  # not ASCII
        ("PMLR005", 25),  # a dot
        ("PMLR006", 39),  # last year's digits
        ("PMLR006", 46),  # the given name, not the family name
    ]
    texts = messages(PMLR / "keys.bib", "PMLR006")
    assert "`smith26a`" in texts[1]  # no letter is fine; last year's digits are not
    assert "`Kaur`" in texts[2] and "`kaur26a`" in texts[2]


def test_names() -> None:
    assert found(PMLR / "names.bib") == [
        ("PMLR007", 8),  # the editor list ends with `and`, on line 8
        ("PMLR007", 20),  # `Tran, Dung,`
        ("PMLR007", 28),  # starts with `and`
        ("PMLR007", 28),  # `and and`
        ("PMLR008", 36),  # `Öğüt` on the second line of the field
        ("PMLR009", 43),  # First Last (the braced team and the single word pass)
        ("PMLR007", 50),  # three commas
    ]
    (unicode,) = messages(PMLR / "names.bib", "PMLR008")
    assert '\\"{O}\\u{g}\\"{u}t, Sevda' in unicode
    (order,) = messages(PMLR / "names.bib", "PMLR009")
    assert "`Abhishek Moturu`, `Sayali Joshi`;" in order and "`Moturu, Abhishek`" in order


def test_text_fields() -> None:
    assert found(PMLR / "text.bib") == [
        ("PMLR010", 18),  # en dash in a title
        ("PMLR010", 21),  # curly apostrophes in an abstract
        ("PMLR011", 29),  # 100% (the `\%` after it and the `%20` in links pass)
        ("PMLR012", 35),  # `\\`
        ("PMLR012", 38),  # `\color`
        ("PMLR012", 42),  # `\$`
        ("PMLR012", 42),  # `\_`
        ("PMLR012", 45),  # `\{`
        ("PMLR012", 45),  # `\}`
        ("PMLR012", 46),  # `\\` before `_` (not `\_`; `\colorbox` passes)
    ]
    texts = messages(PMLR / "text.bib", "PMLR010")
    assert "write `--`" in texts[0]
    assert "write `'`" in texts[1] and "2 non-ASCII characters" in texts[1]


def test_a_title_of_a_no_break_space_alone_is_raw_unicode(tmp_path: Path) -> None:
    # White space to `str.strip`, yet a raw character on PMLR's pages: PMLR010 still reports it
    # (and PMLR004 the title it leaves empty).
    text = (BIB / "pmlr_clean" / "volume.bib").read_text(encoding="utf-8")
    title = "title = {Zero-Shot Forecasters Fail on Cloud Workloads},"
    assert text.count(title) == 1
    path = tmp_path / "volume.bib"
    path.write_text(text.replace(title, "title = {\u00a0},"), encoding="utf-8")
    assert ("PMLR010", 18) in found(path)
    assert "U+00A0 no-break space" in messages(path, "PMLR010")[0]


def test_pages() -> None:
    assert found(PMLR / "pages.bib") == [
        ("PMLR015", 20),  # the first paper starts on page 3
        ("PMLR013", 27),  # `11--12`
        ("PMLR014", 34),  # overlaps 3-10
        ("PMLR015", 41),  # 15-16 belong to no paper
        ("PMLR014", 48),  # goes back to 1-2
        ("PMLR013", 55),  # `21`
        ("PMLR013", 62),  # `25-22`
        ("PMLR013", 69),  # `0-4`
    ]
    overlap, back = messages(PMLR / "pages.bib", "PMLR014")
    assert "overlap pages 3-10 of `first26a`" in overlap
    assert "come before" in back


def test_sections() -> None:
    # `tiny` alone is a section titled "tiny", and `bad name` a name, as PMLR reads them.
    assert found(PMLR / "sections.bib") == [("PMLR019", 15), ("PMLR019", 31)]
    assert found(PMLR / "sections_single.bib") == [("PMLR019", 16)]
    assert found(PMLR / "sections_none.bib") == [("PMLR019", 22)]


def test_titles() -> None:
    assert found(PMLR / "titles.bib") == [("PMLR020", 30), ("PMLR021", 30)]


def test_pdfs_beside_the_volume() -> None:
    volume = BIB / "pmlr_pdfs" / "volume.bib"
    assert found(volume) == [
        ("PMLR018", None),  # old26a.pdf: no paper (pdf/nested26a.pdf is nested26a's)
        ("PMLR016", 23),  # Case26a.pdf: differs in case
        ("PMLR016", 30),  # pdf/nested26a.pdf: in a sub-folder
        ("PMLR016", 37),  # absent26a.pdf: missing
        ("PMLR017", 47),  # short26a.pdf has 3 pages, its range 2
        ("PMLR017", 51),  # broken26a.pdf cannot be opened
    ]
    texts = messages(volume, "PMLR016")
    assert "`Case26a.pdf`" in texts[0] and "case" in texts[0]
    assert "`pdf/nested26a.pdf`" in texts[1] and "sub-folder" in texts[1]
    assert "no `absent26a.pdf`" in texts[2]
    count, broken = messages(volume, "PMLR017")
    assert "make 2 pages, but `short26a.pdf` has 3" in count
    assert "cannot be opened" in broken
    (stray,) = [item for item in check_bib(volume).findings if item.code == "PMLR018"]
    assert "`old26a.pdf`" in stray.message
    assert stray.file == str(volume.parent / "old26a.pdf")  # the finding is about that file


def test_pdf_checks_need_pdfs_in_the_folder(tmp_path: Path) -> None:
    shutil.copy(BIB / "pmlr_pdfs" / "volume.bib", tmp_path / "volume.bib")
    codes = {code for code, _ in found(tmp_path / "volume.bib")}
    assert not codes & {"PMLR016", "PMLR017", "PMLR018"}


def test_every_finding_of_a_volume_names_a_line() -> None:
    for path in sorted(PMLR.glob("*.bib")):
        report = check_bib(path)
        assert report.findings, path.name
        for item in report.findings:
            assert isinstance(item, Finding)
            assert item.line is not None, (path.name, item.code)
            assert not item.message.endswith("."), (path.name, item.message)


@pytest.mark.parametrize("path", sorted(REFS.glob("*.bib")), ids=lambda path: path.name)
def test_reference_list_messages_are_short_sentences(path: Path) -> None:
    for item in check_bib(path).findings:
        assert not item.message.endswith("."), item.message
        assert item.hint
