"""Camera-ready PDFs and supplementary files of the accepted papers, from the OpenReview API.

Each file is fetched as openreview-py's `get_pdf` (`/pdf?id=<note id>`) and `get_attachment`
(`/attachment?id=<note id>&name=<field>`) fetch it, on the client's own session and headers,
but streamed, and with the answer's status kept: a 404 is a paper without that file, a 429 a
rate limit (retried by the session, a bounded number of times), and each is one line of the
report while the other papers go on.

A file is written to a temporary file in its folder and renamed into place once it is whole
and checked, so an interrupted download leaves nothing behind. `papers.yaml.downloads.json`
beside papers.yaml records, per file, the note's file reference (`/pdf/<hash>.pdf`) and the
SHA-256 of what was written; a re-run fetches a file again only when the note's reference
has changed. A file there that the import did not write (no record of it, or another
content) was put there by hand and is kept, with a line saying so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from proceedings.openreview.model import OpenReviewImportError, _line, _value

DOWNLOADS_SUFFIX = ".downloads.json"
DOWNLOADS_VERSION = 1
MAX_FILE_BYTES = 100 << 20  # PMLR takes papers up to 50 MB; a bigger answer is no paper
CHUNK = 1 << 16
TIMEOUT = (15.0, 120.0)  # seconds to connect, and between two pieces of an answer
SUPPLEMENTARY_FIELD = "supplementary_material"
# Ids become file names: letters, digits, `_`, `-` and `.`, not starting with a dot.
SAFE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")
SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")

Status = Literal["downloaded", "updated", "unchanged", "kept", "missing", "failed"]


@dataclass(frozen=True)
class FileJob:
    """One file to fetch: `pdf/12.pdf` from the note's `pdf` field."""

    paper_id: str
    note_id: str
    field: str  # the content field: `pdf` or the supplementary field
    source: str  # the field's value, `/pdf/<hash>.pdf`; empty: the note has none
    target: str  # the path in the volume folder, `pdf/12.pdf`


@dataclass(frozen=True)
class Downloaded:
    job: FileJob
    status: Status
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status not in ("missing", "failed")

    def line(self) -> str:
        head = f"{self.status:<10} {self.job.target}"
        return f"{head}: {self.message}" if self.message else head


def downloads_path(papers_yaml: Path) -> Path:
    return papers_yaml.with_name(papers_yaml.name + DOWNLOADS_SUFFIX)


def plan(
    notes: Sequence[Mapping[str, Any]],
    papers: Sequence[Mapping[str, Any]],
    supplementary_field: str | None = None,
) -> list[FileJob]:
    """The files of the imported `papers`, found in their `notes` by forum id."""
    by_forum: dict[str, Mapping[str, Any]] = {}
    for note in notes:
        forum = _line(note.get("forum")) or _line(note.get("id"))
        by_forum.setdefault(forum, note)
    jobs: list[FileJob] = []
    for paper in papers:
        found_note = by_forum.get(_line(paper.get("openreview")))
        if found_note is None:
            continue
        note = found_note
        found = note.get("content")
        content: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        paper_id = str(paper["id"])
        note_id = _line(note.get("id"))
        jobs.append(
            FileJob(paper_id, note_id, "pdf", _source(content, "pdf"), f"pdf/{paper_id}.pdf")
        )
        if supplementary_field:
            source = _source(content, supplementary_field)
            if source:
                suffix = supplementary_suffix(source)
                target = f"supp/{paper_id}{suffix}"
                jobs.append(FileJob(paper_id, note_id, supplementary_field, source, target))
    return jobs


def supplementary_suffix(source: str) -> str:
    """`.zip` for `/attachment/<hash>.zip`; `.bin` when the reference has no usable suffix."""
    suffix = os.path.splitext(source.rpartition("/")[2])[1].lower()
    return suffix if SAFE_SUFFIX.fullmatch(suffix) else ".bin"


def _source(content: Mapping[str, Any], key: str) -> str:
    value = _value(content, key)
    return _line(value) if isinstance(value, str) else ""


def download_all(
    client: Any,
    root: Path,
    jobs: Sequence[FileJob],
    record_file: Path,
    on_done: Callable[[Downloaded], None] | None = None,
) -> list[Downloaded]:
    """Fetch each job's file into the volume folder `root`; one result per job, in order."""
    record = _read_downloads(record_file)
    results: list[Downloaded] = []
    try:
        for job in jobs:
            try:
                result = _one(client, root, job, record)
            except OSError as error:
                result = Downloaded(job, "failed", f"cannot be written ({error.strerror or error})")
            results.append(result)
            if on_done is not None:
                on_done(result)
    finally:
        # What was fetched before an interruption counts, so a re-run does not fetch it again.
        _write_downloads(record_file, record)
    return results


def _one(client: Any, root: Path, job: FileJob, record: dict[str, dict[str, str]]) -> Downloaded:
    problem = _unsafe(root, job)
    if problem:
        return Downloaded(job, "failed", problem)
    if not job.source:
        what = "PDF" if job.field == "pdf" else f"`{job.field}`"
        return Downloaded(job, "missing", f"the note {job.note_id} has no {what}")
    target = root / job.target
    present = target.is_file()
    known = record.get(job.target) or {}
    current = _sha256(target) if present else ""
    if present and current != known.get("sha256"):
        # Not the file the import wrote last: put there by hand (a corrected camera-ready sent
        # by e-mail), so it is the organizers' and stays.
        return Downloaded(
            job,
            "kept",
            "not the file downloaded last, so kept as it is; delete it to fetch OpenReview's",
        )
    if present and known.get("source") == job.source:
        return Downloaded(job, "unchanged", "already there, not fetched again")
    url, params = _request(client, job)
    target.parent.mkdir(exist_ok=True)
    outcome = _fetch(client, url, params, target, job)
    if isinstance(outcome, Downloaded):
        return outcome
    temporary, digest = outcome
    try:
        if present and current == digest:
            record[job.target] = {"source": job.source, "sha256": digest}
            return Downloaded(job, "unchanged", "fetched; the same as the file already there")
        if present:
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    record[job.target] = {"source": job.source, "sha256": digest}
    return Downloaded(job, "updated" if present else "downloaded")


def _request(client: Any, job: FileJob) -> tuple[str, dict[str, str]]:
    base = str(client.baseurl).rstrip("/")
    if job.field == "pdf":
        return f"{base}/pdf", {"id": job.note_id}
    return f"{base}/attachment", {"id": job.note_id, "name": job.field}


def _unsafe(root: Path, job: FileJob) -> str:
    """Why the job's target is no place to write, or ""."""
    if not SAFE_ID.fullmatch(job.paper_id) or ".." in job.paper_id:
        return (
            f"paper id {job.paper_id!r} cannot be a file name (letters, digits, '_', '-' and"
            " '.' only); not downloaded"
        )
    folder = root / job.target.partition("/")[0]
    if os.path.lexists(folder):
        real_root = root.resolve()
        real = folder.resolve()
        if real != real_root and real_root not in real.parents:
            return f"{folder.name}/ leads out of the volume folder (to {real}); not written"
        if not real.is_dir():
            return f"{folder.name} is not a folder; not written"
    target = root / job.target
    if target.is_symlink():
        return "is a symbolic link; not written through"
    if os.path.lexists(target) and not target.is_file():
        return "exists and is not a regular file; not written"
    return ""


def _fetch(
    client: Any, url: str, params: Mapping[str, str], target: Path, job: FileJob
) -> tuple[Path, str] | Downloaded:
    """The file in a temporary file beside `target` and its SHA-256, or why not. The caller
    renames or removes the temporary file; on every other way out it is removed here."""
    from requests.exceptions import RequestException

    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    keep = False
    try:
        with client.session.get(
            url, params=params, headers=dict(client.headers), stream=True, timeout=TIMEOUT
        ) as response:
            status = response.status_code
            if status == 404:
                return Downloaded(job, "missing", f"the server has no file for note {job.note_id}")
            if status == 429:
                tries = _tries(response)
                return Downloaded(
                    job, "failed", f"rate limited by the server (still 429 after {tries} tries)"
                )
            if status >= 400:
                return Downloaded(job, "failed", f"the server answered {status} {response.reason}")
            digest = hashlib.sha256()
            size = 0
            head = b""
            with open(temporary, "xb") as handle:
                for chunk in response.iter_content(CHUNK):
                    size += len(chunk)
                    if size > MAX_FILE_BYTES:
                        return Downloaded(
                            job, "failed", f"larger than {MAX_FILE_BYTES >> 20} MB; not kept"
                        )
                    if len(head) < 1024:
                        head += chunk[: 1024 - len(head)]
                    digest.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
        problem = _not_the_file(head, size, job)
        if problem:
            return Downloaded(job, "failed", problem)
        keep = True
        return temporary, digest.hexdigest()
    except RequestException as error:
        return Downloaded(job, "failed", f"the download was cut short ({_short_reason(error)})")
    finally:
        if not keep:
            temporary.unlink(missing_ok=True)


def _tries(response: Any) -> int:
    retries = getattr(getattr(response, "raw", None), "retries", None)
    history = getattr(retries, "history", ()) or ()
    return len(history) + 1


def _not_the_file(head: bytes, size: int, job: FileJob) -> str:
    if size == 0:
        return "the server sent an empty file"
    start = head.lstrip()[:64].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"{")):
        kind = "a JSON answer" if start.startswith(b"{") else "a web page"
        return f"the server sent {kind}, not the file"
    if job.target.endswith(".pdf") and b"%PDF-" not in head:
        return "not a PDF (no %PDF- header in its first 1024 bytes)"
    return ""


def _short_reason(error: Exception) -> str:
    text = str(error)
    if "IncompleteRead" in text or "Connection broken" in text:
        return "the connection closed before the end of the file"
    return " ".join(text.split())[:160] or type(error).__name__


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_downloads(path: Path) -> dict[str, dict[str, str]]:
    """The record of earlier downloads; an unreadable one counts as none (files are then
    fetched and compared, never lost)."""
    try:
        if not path.is_file():
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("version") != DOWNLOADS_VERSION:
        return {}
    if not isinstance(files, dict):
        return {}
    return {
        str(key): {"source": str(value.get("source")), "sha256": str(value.get("sha256"))}
        for key, value in files.items()
        if isinstance(value, dict)
    }


def _write_downloads(path: Path, record: Mapping[str, Mapping[str, str]]) -> None:
    data = {
        "about": "Files fetched from OpenReview: the note's file reference and the SHA-256 of"
        " the file written, so that a re-run fetches only what changed. Written by"
        " `proceedings`; do not edit.",
        "version": DOWNLOADS_VERSION,
        "files": {key: dict(record[key]) for key in sorted(record)},
    }
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        raise OpenReviewImportError(
            f"{path}: cannot be written ({error.strerror or error})", str(path)
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
