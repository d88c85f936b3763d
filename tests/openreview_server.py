"""A stand-in for the OpenReview API (v2) on 127.0.0.1, answering as the real one does.

The endpoints, parameters and answers are those openreview-py 2.9 uses (`openreview/api/
client.py`): `POST /login` with `{"id", "password", "expiresIn"}` answering `{"token",
"user": {"id", "profile": {"id"}}}`; `GET /notes` with `content.venueid`, `sort=id`,
`limit`, `after` (or `offset`) and `count`, answering `{"notes": [...], "count": n}` with
every content field as `{"value": ...}`; `GET /pdf?id=<note id>` and `GET /attachment?id=
<note id>&name=<field>` answering the file's bytes. Errors are JSON `{"name", "message",
"status"}`, as the API sends them. The live import is tested against this server, not
against OpenReview.

`faults` scripts what a real server does now and then: `"429"` (rate limited, with a
Retry-After of 0), `"cut"` (the connection closes halfway through the file), `"html"` (an
error page with status 200), each consumed once, in order, per (path, note id).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

USERNAME = "organizer@icbinb.example.org"
PASSWORD = "correct horse battery staple"


@dataclass
class Venue:
    """What the server holds: notes by id, files by (note id, field)."""

    notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    faults: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)

    def add(
        self,
        note_id: str,
        number: int,
        content: dict[str, Any],
        pdf: bytes | None = None,
        attachments: dict[str, tuple[bytes, str]] | None = None,
    ) -> None:
        """A submission note; `pdf` and `attachments` ({field: (bytes, ".zip")}) as files."""
        wrapped = {key: {"value": value} for key, value in content.items()}
        if pdf is not None:
            self.files[(note_id, "pdf")] = pdf
            wrapped["pdf"] = {"value": f"/pdf/{hashlib.sha1(pdf).hexdigest()}.pdf"}
        for name, (data, suffix) in (attachments or {}).items():
            self.files[(note_id, name)] = data
            wrapped[name] = {"value": f"/attachment/{hashlib.sha1(data).hexdigest()}{suffix}"}
        self.notes[note_id] = {
            "id": note_id,
            "forum": note_id,
            "number": number,
            "cdate": 1767225600000 + number,
            "mdate": 1767225600000 + number,
            "invitations": ["ICLR.cc/2026/Workshop/ICBINB/-/Submission"],
            "domain": "ICLR.cc/2026/Workshop/ICBINB",
            "readers": ["everyone"],
            "writers": ["ICLR.cc/2026/Workshop/ICBINB"],
            "signatures": [f"ICLR.cc/2026/Workshop/ICBINB/Submission{number}/Authors"],
            "content": wrapped,
        }

    def count(self, path: str) -> int:
        return sum(1 for seen, _ in self.requests if seen == path)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def do_POST(self) -> None:
        venue = self.server.venue
        path, params = self._parse()
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        venue.requests.append((path, params))
        if path != "/login":
            return self._error(404, "NotFoundError", f"POST {path} is not served here")
        if body.get("id") != USERNAME or body.get("password") != PASSWORD:
            return self._error(400, "Error", "Invalid username or password")
        token = secrets.token_hex(16)
        venue.tokens.add(token)
        self._json(200, {"token": token, "user": {"id": USERNAME, "profile": {"id": "~Org1"}}})

    def do_GET(self) -> None:
        venue = self.server.venue
        path, params = self._parse()
        venue.requests.append((path, params))
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        if token not in venue.tokens:
            return self._error(403, "ForbiddenError", "Forbidden: log in first")
        if path == "/notes":
            return self._notes(params)
        if path in ("/pdf", "/attachment"):
            note_id = params.get("id", "")
            name = "pdf" if path == "/pdf" else params.get("name", "")
            faults = venue.faults.get((path, note_id))
            fault = faults.pop(0) if faults else ""
            if fault == "429":
                self.send_response(429)
                self.send_header("Retry-After", "0")
                self.send_header("Content-Type", "application/json")
                body = json.dumps({"name": "RateLimitError", "message": "Too many requests"})
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body.encode())
                return
            if fault == "html":
                return self._send(
                    200, b"<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html"
                )
            data = venue.files.get((note_id, name))
            if data is None:
                return self._error(404, "NotFoundError", f"The Note {note_id} has no {name}")
            if fault == "cut":
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            return self._send(200, data, "application/pdf" if name == "pdf" else "application/zip")
        self._error(404, "NotFoundError", f"GET {path} is not served here")

    def _notes(self, params: dict[str, str]) -> None:
        venue = self.server.venue
        wanted = {
            key[len("content.") :]: value
            for key, value in params.items()
            if key.startswith("content.")
        }
        found = [
            note
            for _, note in sorted(venue.notes.items())
            if all(
                note["content"].get(key, {}).get("value") == value for key, value in wanted.items()
            )
        ]
        total = len(found)
        if "after" in params:
            found = [note for note in found if note["id"] > params["after"]]
        offset = int(params.get("offset", 0))
        limit = min(int(params.get("limit", 1000)), 1000)  # the API's cap
        page = found[offset : offset + limit]
        answer: dict[str, Any] = {"notes": page}
        if params.get("count") == "true":
            answer["count"] = total
        self._json(200, answer)

    def _parse(self) -> tuple[str, dict[str, str]]:
        parts = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return parts.path, query

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json; charset=utf-8")

    def _error(self, status: int, name: str, message: str) -> None:
        self._json(status, {"name": name, "message": message, "status": status})

    def _send(self, status: int, data: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, venue: Venue) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.venue = venue


class ReplayServer:
    """`with ReplayServer(venue) as url:` serves `venue` at `url` for the block."""

    def __init__(self, venue: Venue) -> None:
        self.venue = venue
        self._server = _Server(venue)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self._thread.start()
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def example_venue(example: Path, venue_id: str) -> Venue:
    """The example volume's papers as the venue's accepted notes, its PDFs as their files."""
    import yaml

    papers = yaml.safe_load((example / "papers.yaml").read_text(encoding="utf-8"))["papers"]
    venue = Venue()
    for paper in papers:
        attachments = {}
        if paper.get("supplementary"):
            supplementary = example / paper["supplementary"]
            attachments["supplementary_material"] = (
                supplementary.read_bytes(),
                supplementary.suffix,
            )
        authors = paper["authors"]
        content = {
            "title": paper["title"],
            "authors": [author["name"] for author in authors],
            "authorids": [
                author.get("openreview") or author.get("email", "") for author in authors
            ],
            "abstract": paper["abstract"],
            "keywords": ["language models", "negative results"],
            "venue": f"ICBINB 2026 {'Tiny' if paper['track'] == 'tiny' else 'Long'} Paper",
            "venueid": venue_id,
            "submission_type": "Tiny Paper" if paper["track"] == "tiny" else "Long Paper",
            "archival_option": "Archival (published in PMLR)"
            if paper["archival"]
            else "Non-archival",
            "paperhash": "example|" + paper["title"].lower().replace(" ", "_")[:40],
        }
        pdf = (example / paper.get("pdf", f"pdf/{paper['id']}.pdf")).read_bytes()
        venue.add(paper["openreview"], int(paper["id"]), content, pdf, attachments)
    return venue
