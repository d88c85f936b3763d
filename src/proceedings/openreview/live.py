"""A venue's accepted papers read from the OpenReview API (v2) itself, with openreview-py.

`connect` logs in with `openreview.api.OpenReviewClient`; `fetch_notes` pages through the
notes whose `content.venueid` is the venue id, as `OpenReviewClient.get_all_notes` does
(sorted by id, `limit` notes a page, the next page `after` the last id), and gives them in the
shape an export file has, so the file import's reading of notes is the one reading there is.

openreview-py retries a request the server answers 429 or 5xx up to eight times, waiting up
to two minutes between tries, and prints each try on standard output. The client made here
retries fewer times, never waits longer than `MAX_WAIT` seconds and prints nothing: an
organizer is told per paper what happened instead (`download`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from proceedings.openreview.model import OpenReviewImportError

PUBLIC_API_URL = "https://api2.openreview.net"
PAGE_SIZE = 1000  # the most notes the API gives per request; openreview-py's page size too
RETRIED_STATUSES = (429, 500, 502, 503, 504)
MAX_WAIT = 60.0  # seconds: a Retry-After beyond this is cut to it
USERNAME_VARIABLE = "OPENREVIEW_USERNAME"
PASSWORD_VARIABLE = "OPENREVIEW_PASSWORD"


class LoginError(OpenReviewImportError):
    """No credentials, or the server refused them. Nothing has been read or written."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)  # never printed, never written


@dataclass(frozen=True)
class ClientOptions:
    api_url: str = PUBLIC_API_URL
    retries: int = 4  # tries after the first, for 429 and 5xx answers
    backoff: float = 1.0  # seconds; the wait doubles with each try (the first retry is at once)


def credentials_from_environment(
    prompt: Callable[[str, bool], str] | None = None,
) -> Credentials:
    """The credentials in OPENREVIEW_USERNAME and OPENREVIEW_PASSWORD; what is missing is asked
    through `prompt(question, hide)` when given (the command line gives one on a terminal)."""
    username = os.environ.get(USERNAME_VARIABLE, "").strip()
    password = os.environ.get(PASSWORD_VARIABLE, "")
    if prompt is not None:
        if not username:
            username = prompt("OpenReview username (e-mail)", False).strip()
        if not password:
            password = prompt("OpenReview password", True)
    if not username or not password:
        missing = " and ".join(
            name
            for name, value in ((USERNAME_VARIABLE, username), (PASSWORD_VARIABLE, password))
            if not value
        )
        raise LoginError(
            f"no OpenReview credentials: set {missing} (or run the command on a terminal to be"
            " asked)"
        )
    return Credentials(username, password)


def connect(credentials: Credentials, options: ClientOptions | None = None) -> Any:
    """An `openreview.api.OpenReviewClient` logged in to `options.api_url`."""
    options = options or ClientOptions()
    openreview = _openreview()
    url = options.api_url.rstrip("/")
    try:
        # openreview-py logs in from the constructor; a login is a POST, which it never retries.
        client = openreview.api.OpenReviewClient(
            baseurl=url, username=credentials.username, password=credentials.password
        )
    except openreview.OpenReviewException as error:
        raise LoginError(
            f"{url} refused the login of {credentials.username}: {_message(error)}"
        ) from None
    except _requests().exceptions.RequestException as error:
        raise LoginError(f"cannot reach the OpenReview API at {url}: {_reason(error)}") from None
    _quiet_retries(client, options)
    return client


def fetch_notes(client: Any, venue_id: str, page_size: int = PAGE_SIZE) -> list[dict[str, Any]]:
    """The notes of `venue_id` (its accepted papers), as dictionaries shaped like an export."""
    openreview = _openreview()
    notes: list[dict[str, Any]] = []
    after: str | None = None
    seen: set[str] = set()
    while True:
        try:
            page = client.get_notes(
                content={"venueid": venue_id}, sort="id", limit=page_size, after=after
            )
        except openreview.OpenReviewException as error:
            raise OpenReviewImportError(
                f"{client.baseurl}: cannot read the notes of {venue_id}: {_message(error)}"
            ) from None
        except _requests().exceptions.RequestException as error:
            raise OpenReviewImportError(
                f"{client.baseurl}: cannot read the notes of {venue_id}: {_reason(error)}"
            ) from None
        fresh = [note for note in page if note.id not in seen]
        notes += [_as_dict(note) for note in fresh]
        seen.update(note.id for note in fresh)
        # A short page is the last; a page of nothing new would page forever.
        if len(page) < page_size or not fresh:
            return notes
        after = page[-1].id


def _as_dict(note: Any) -> dict[str, Any]:
    """A note as an export holds it. `Note.to_json` leaves out `number`, the paper's id."""
    out: dict[str, Any] = {"id": note.id, "forum": note.forum, "content": note.content or {}}
    if note.number is not None:
        out["number"] = note.number
    if note.invitations:
        out["invitations"] = note.invitations
    return out


def _quiet_retries(client: Any, options: ClientOptions) -> None:
    """Replace openreview-py's retry policy (eight tries, minutes of waiting, each printed) with
    a bounded one that prints nothing."""
    from urllib3.util.retry import Retry

    class BoundedRetry(Retry):
        def get_retry_after(self, response: Any) -> float | None:
            wait = super().get_retry_after(response)
            return None if wait is None else min(float(wait), MAX_WAIT)

    retry = BoundedRetry(
        total=options.retries,
        connect=1,
        read=0,
        backoff_factor=options.backoff,
        backoff_max=MAX_WAIT,
        status_forcelist=RETRIED_STATUSES,
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    adapter = _requests().adapters.HTTPAdapter(max_retries=retry, pool_maxsize=8)
    client.session.mount("https://", adapter)
    client.session.mount("http://", adapter)


def _message(error: Exception) -> str:
    """What the API said: openreview-py raises `OpenReviewException({"message": ...})`."""
    detail = error.args[0] if error.args else error
    if isinstance(detail, dict):
        text = detail.get("message") or detail.get("name") or ""
        return " ".join(str(text).split()) or "no reason given"
    return " ".join(str(detail).split()) or "no reason given"


def _reason(error: Exception) -> str:
    text = str(error)
    # requests' texts repeat the URL and the connection pool; the last part says why.
    for marker in ("Caused by ", "Failed to establish a new connection: "):
        if marker in text:
            text = text.rpartition(marker)[2]
    return " ".join(text.strip("()'\" ").split()) or type(error).__name__


def _openreview() -> Any:
    try:
        import openreview
        import openreview.api  # noqa: F401  (the v2 client lives in the subpackage)
    except ImportError:
        raise OpenReviewImportError(
            "the live import needs openreview-py: pip install 'proceedings[openreview]'"
        ) from None
    return openreview


def _requests() -> Any:
    import requests  # a dependency of openreview-py, present when `_openreview` was
    import requests.adapters  # noqa: F401

    return requests
