"""`import openreview --venue-id`: the live import against a local server shaped like API v2.

The server (`openreview_server.py`) answers as OpenReview's API v2 answers openreview-py; the
venue it serves is the example volume: its ten papers as accepted notes, its LaTeX-built PDFs
as their camera-ready files.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from openreview_server import PASSWORD, USERNAME, ReplayServer, Venue, example_venue
from proceedings.openreview.download import FileJob, download_all
from proceedings.openreview.live import ClientOptions, Credentials, connect
from proceedings.openreview.run import import_venue
from proceedings.openreview.settings import Given

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"
VENUE = "ICLR.cc/2026/Workshop/ICBINB"
FIRST_IMPORT = (
    "--track-field",
    "submission_type",
    "--track-value",
    "Tiny Paper=tiny",
    "--archival-field",
    "archival_option",
    "--archival-value",
    "Archival (published in PMLR)",
)


@pytest.fixture
def venue() -> Venue:
    return example_venue(EXAMPLE, VENUE)


@pytest.fixture
def server(venue: Venue) -> Iterator[str]:
    with ReplayServer(venue) as url:
        yield url


@pytest.fixture
def volume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty volume folder: the example's volume.yaml and preface, no papers yet."""
    root = tmp_path / "papers"
    root.mkdir()
    for name in ("volume.yaml", "preface.md"):
        shutil.copy(EXAMPLE / name, root / name)
    monkeypatch.setenv("OPENREVIEW_USERNAME", USERNAME)
    monkeypatch.setenv("OPENREVIEW_PASSWORD", PASSWORD)
    return root


def live(volume: Path, *args: str) -> tuple[int, str]:
    result = run_cli("import", "openreview", "--papers", volume / "papers.yaml", *args)
    return result.exit_code, result.output


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_venue_id_and_pdfs_build_a_volume_that_check_accepts_and_a_rerun_changes_nothing(
    venue: Venue, server: str, volume: Path
) -> None:
    code, output = live(
        volume, "--venue-id", VENUE, "--api-url", server, *FIRST_IMPORT, "--pdfs", "--supplementary"
    )
    assert code == 0, output
    assert output.count("downloaded ") == 11  # ten PDFs, one supplementary file
    for pdf in (EXAMPLE / "pdf").iterdir():
        assert (volume / "pdf" / pdf.name).read_bytes() == pdf.read_bytes()
    assert (volume / "supp" / "12.zip").read_bytes() == (EXAMPLE / "supp" / "12.zip").read_bytes()
    papers = {p["id"]: p for p in yaml.safe_load((volume / "papers.yaml").read_text())["papers"]}
    assert papers["58"]["track"] == "tiny" and papers["58"]["archival"] is False
    assert papers["12"]["supplementary"] == "supp/12.zip"
    assert PASSWORD not in output
    assert not any(
        PASSWORD in path.read_text(errors="replace") for path in volume.iterdir() if path.is_file()
    )

    # OpenReview has no Latin spelling of a name in another script; check asks for one (META003)
    # and the organizers add it by hand, as its hint says.
    checked = run_cli("check", volume)
    assert checked.exit_code == 1
    assert checked.output.count("error   META003") == 2, checked.output
    latin = {"Ирина Соколова": "Irina Sokolova", "王芳": "Fang Wang"}
    data = yaml.safe_load((volume / "papers.yaml").read_text(encoding="utf-8"))
    for paper in data["papers"]:
        for author in paper["authors"]:
            if author["name"] in latin:
                author["latin"] = latin[author["name"]]
    (volume / "papers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    checked = run_cli("check", volume)
    assert checked.exit_code == 0, checked.output

    fetched = venue.count("/pdf") + venue.count("/attachment")
    # The re-runs give none of the options: they were remembered, the API URL too. The first
    # keeps the hand edits and writes papers.yaml in its own layout; the second changes nothing.
    code, output = live(volume, "--pdfs", "--supplementary")
    assert code == 0, output
    assert "0 added, 0 updated" in output
    assert run_cli("check", volume).exit_code == 0
    before = snapshot(volume)
    code, output = live(volume, "--pdfs", "--supplementary")
    assert code == 0, output
    assert venue.count("/pdf") + venue.count("/attachment") == fetched
    assert output.count("already there, not fetched again") == 11
    assert "; unchanged." in output
    assert snapshot(volume) == before


def test_notes_beyond_one_page_are_all_read(venue: Venue, server: str, volume: Path) -> None:
    for number in range(100, 105):
        venue.add(
            f"Other{number}",
            number,
            {"title": "Elsewhere", "authors": ["A B"], "venueid": "Other/2026"},
        )
    given = Given(venue_id=VENUE, api_url=server)
    run = import_venue(
        volume / "papers.yaml", given, lambda: Credentials(USERNAME, PASSWORD), page_size=3
    )
    imported = run.merge.imported
    assert imported is not None
    assert [p["id"] for p in imported.papers] == sorted(
        ["12", "17", "23", "31", "38", "41", "52", "58", "64", "71"], key=int
    )
    pages = [params for path, params in venue.requests if path == "/notes"]
    assert len(pages) == 4  # 3 + 3 + 3 + 1
    assert all(page["content.venueid"] == VENUE and page["sort"] == "id" for page in pages)
    assert "after" not in pages[0] and pages[1]["after"] < pages[2]["after"]


def test_a_missing_pdf_is_reported_and_the_others_are_downloaded(
    venue: Venue, server: str, volume: Path
) -> None:
    del venue.files[("Ty5LpW0eKs", "pdf")]  # paper 23: the note names a PDF the server lacks
    code, output = live(volume, "--venue-id", VENUE, "--api-url", server, *FIRST_IMPORT, "--pdfs")
    assert code == 1
    assert "missing    pdf/23.pdf: the server has no file for note Ty5LpW0eKs" in output
    assert "1 of 10 files could not be downloaded" in output
    assert not (volume / "pdf" / "23.pdf").exists()
    assert len(list((volume / "pdf").iterdir())) == 9
    assert (volume / "papers.yaml").is_file()


def test_a_rate_limit_is_retried(venue: Venue, server: str, volume: Path) -> None:
    venue.faults[("/pdf", "b3XcN8wPq1")] = ["429", "429"]
    code, output = live(volume, "--venue-id", VENUE, "--api-url", server, *FIRST_IMPORT, "--pdfs")
    assert code == 0, output
    tries = [p for path, p in venue.requests if path == "/pdf" and p["id"] == "b3XcN8wPq1"]
    assert len(tries) == 3
    assert (volume / "pdf" / "17.pdf").read_bytes() == (EXAMPLE / "pdf" / "17.pdf").read_bytes()


def test_a_rate_limit_that_lasts_fails_that_paper_only(
    venue: Venue, server: str, volume: Path
) -> None:
    venue.faults[("/pdf", "b3XcN8wPq1")] = ["429"] * 10
    given = Given(venue_id=VENUE, api_url=server)
    run = import_venue(
        volume / "papers.yaml",
        given,
        lambda: Credentials(USERNAME, PASSWORD),
        pdfs=True,
        retries=2,
        backoff=0,
    )
    failed = [(item.job.target, item.message) for item in run.failed]
    assert failed == [("pdf/17.pdf", "rate limited by the server (still 429 after 3 tries)")]
    assert not (volume / "pdf" / "17.pdf").exists()
    assert len(list((volume / "pdf").glob("*.pdf"))) == 9


def test_wrong_password_is_one_message_exit_2_and_nothing_written(
    server: str, volume: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENREVIEW_PASSWORD", "not the password")
    code, output = live(volume, "--venue-id", VENUE, "--api-url", server, "--pdfs")
    assert code == 2
    assert f"{server} refused the login of {USERNAME}: Invalid username or password" in output
    assert "not the password" not in output and "Traceback" not in output
    assert sorted(path.name for path in volume.iterdir()) == ["preface.md", "volume.yaml"]


def test_no_credentials_off_a_terminal_is_exit_2(
    server: str, volume: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENREVIEW_PASSWORD")
    code, output = live(volume, "--venue-id", VENUE, "--api-url", server)
    assert code == 2
    assert "set OPENREVIEW_PASSWORD" in output


def test_an_interrupted_download_leaves_no_file_and_the_rerun_fetches_only_it(
    venue: Venue, server: str, volume: Path
) -> None:
    venue.faults[("/pdf", "Lc9aE4fHj6")] = ["cut"]  # paper 38
    code, output = live(volume, "--venue-id", VENUE, "--api-url", server, *FIRST_IMPORT, "--pdfs")
    assert code == 1
    assert "failed     pdf/38.pdf: the download was cut short" in output
    assert sorted(os.listdir(volume / "pdf")) == sorted(
        f"{n}.pdf" for n in (12, 17, 23, 31, 41, 52, 58, 64, 71)
    )  # no partial file, no temporary file
    fetched = venue.count("/pdf")
    code, output = live(volume, "--pdfs")
    assert code == 0, output
    assert venue.count("/pdf") == fetched + 1
    assert "downloaded pdf/38.pdf" in output
    assert (volume / "pdf" / "38.pdf").read_bytes() == (EXAMPLE / "pdf" / "38.pdf").read_bytes()


def test_a_web_page_instead_of_the_pdf_is_not_kept(venue: Venue, server: str, volume: Path) -> None:
    venue.faults[("/pdf", "Qm2RzS7uVd")] = ["html"]  # paper 31
    code, output = live(volume, "--venue-id", VENUE, "--api-url", server, *FIRST_IMPORT, "--pdfs")
    assert code == 1
    assert "failed     pdf/31.pdf: the server sent a web page, not the file" in output
    assert not (volume / "pdf" / "31.pdf").exists()


def test_ids_and_folders_that_lead_out_of_the_volume_are_not_written(
    server: str, tmp_path: Path
) -> None:
    client = connect(Credentials(USERNAME, PASSWORD), ClientOptions(api_url=server))
    root = tmp_path / "volume"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "supp").symlink_to(outside)
    jobs = [
        FileJob("../evil", "Hk7vQ2mRtA", "pdf", "/pdf/x.pdf", "pdf/../evil.pdf"),
        FileJob("/etc/passwd", "Hk7vQ2mRtA", "pdf", "/pdf/x.pdf", "pdf//etc/passwd.pdf"),
        FileJob("12", "Hk7vQ2mRtA", "supplementary_material", "/attachment/x.zip", "supp/12.zip"),
    ]
    results = download_all(client, root, jobs, tmp_path / "record.json")
    assert [item.status for item in results] == ["failed", "failed", "failed"]
    assert "cannot be a file name" in results[0].message
    assert "leads out of the volume folder" in results[2].message
    assert list(outside.iterdir()) == [] and not (tmp_path / "evil.pdf").exists()


def test_a_pdf_put_there_by_hand_is_kept(venue: Venue, server: str, volume: Path) -> None:
    (volume / "pdf").mkdir()
    corrected = (EXAMPLE / "pdf" / "64.pdf").read_bytes()  # another real PDF, sent by e-mail
    (volume / "pdf" / "12.pdf").write_bytes(corrected)
    code, output = live(volume, "--venue-id", VENUE, "--api-url", server, *FIRST_IMPORT, "--pdfs")
    assert code == 0, output
    assert "kept       pdf/12.pdf: not the file downloaded last" in output
    assert (volume / "pdf" / "12.pdf").read_bytes() == corrected
    assert not any(
        params["id"] == "Hk7vQ2mRtA" for path, params in venue.requests if path == "/pdf"
    )


def test_a_venue_id_without_notes_is_one_message(server: str, volume: Path) -> None:
    code, output = live(volume, "--venue-id", "ICLR.cc/2026/Workshop/ICBNB", "--api-url", server)
    assert code == 1
    assert "has no note with venue id ICLR.cc/2026/Workshop/ICBNB: check the venue id" in output
    assert sorted(path.name for path in volume.iterdir()) == ["preface.md", "volume.yaml"]
