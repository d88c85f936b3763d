"""The venue's rules, and the venue profiles shipped with proceedings.

A venue's rules are what a paper is checked against beyond its page limit: the paper size, the
running head, the headings that do not count, whether the LLM-usage disclosure is required,
the layout of the style. A volume sets them in `venue:` of volume.yaml, on top of a shipped
profile it names (`venue.profile`); a PDF checked on its own takes a profile by name
(`--venue`), ICLR 2026's workshop style unless told otherwise. The tracks of a profile (their
page limits) are the one place the venue's defaults live.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    page_limit: float


@dataclass(frozen=True)
class WrongHead:
    """A running head that is reported whatever head the venue expects: its `text` (found
    anywhere in the head, in any case and spacing) and why it is wrong, as the finding says."""

    text: str
    why: str

    def found_in(self, head: str) -> bool:
        pattern = r"\s+".join(re.escape(word) for word in self.text.split())
        return re.search(pattern, head, re.I) is not None


@dataclass(frozen=True)
class VenueRules:
    page_size: str = "letter"  # "" when volume.yaml names a size that is none (VOL018)
    running_head: str | None = None
    not_counted: tuple[str, ...] = ()
    disclosure_required: bool = False
    severities: tuple[tuple[str, str], ...] = ()  # (code or prefix, error|warning|info|off)
    # `venue.layout` as written, (key, value) pairs; the LAYOUT rules read it. None: unset.
    layout: tuple[tuple[str, Any], ...] | None = None
    wrong_heads: tuple[WrongHead, ...] = ()


@dataclass(frozen=True)
class VenueProfile:
    name: str
    summary: str
    rules: VenueRules
    tracks: tuple[Track, ...]

    def track(self, track_id: str) -> Track | None:
        return next((track for track in self.tracks if track.id == track_id), None)


PAGE_SIZES = ("letter", "a4")

# The main conference's head, left in a workshop paper: the head ICLR's style prints with
# \iclrfinalcopy. Other years' heads are not named: a paper of the main conference of 2024
# checked here is not a workshop paper left unchanged.
MAIN_CONFERENCE_2026 = WrongHead(
    "Published as a conference paper at ICLR 2026",
    "the main conference's head, in a workshop paper",
)

WORKSHOP_TRACKS = (Track("long", "Long Papers", 5), Track("tiny", "Tiny Papers", 2))
# The limit of a track no profile or volume defines (VOL006 reports the paper): a long paper's.
UNKNOWN_TRACK_LIMIT = 5.0

_ICLR2026_WORKSHOP = VenueProfile(
    name="iclr2026-workshop",
    summary="A workshop of ICLR 2026 in the ICLR 2026 style: US Letter, the style's text block "
    "and type; the main conference's running head reported.",
    rules=VenueRules(
        page_size="letter",
        layout=(("profile", "iclr2026"),),
        wrong_heads=(MAIN_CONFERENCE_2026,),
    ),
    tracks=WORKSHOP_TRACKS,
)

PROFILES: dict[str, VenueProfile] = {
    profile.name: profile
    for profile in (
        _ICLR2026_WORKSHOP,
        VenueProfile(
            name="icbinb-iclr2026",
            summary="I Can't Believe It's Not Better workshop at ICLR 2026: iclr2026-workshop, "
            "with the workshop's running head, long papers of 5 pages and tiny of 2, and the "
            "LLM-usage disclosure required.",
            rules=replace(
                _ICLR2026_WORKSHOP.rules,
                running_head="I Can't Believe It's Not Better Workshop @ ICLR 2026",
                disclosure_required=True,
            ),
            tracks=WORKSHOP_TRACKS,
        ),
    )
}
DEFAULT_PROFILE = "iclr2026-workshop"


def get_profile(name: str) -> VenueProfile | None:
    """The shipped profile called `name` (any case, `_` for `-`), or None."""
    return PROFILES.get(name.strip().lower().replace("_", "-"))


def default_profile() -> VenueProfile:
    return PROFILES[DEFAULT_PROFILE]


def head_pattern_error(head: str) -> str | None:
    """Why a `/regular expression/` running head cannot be used, or None when it can (or is
    plain text)."""
    if not is_head_pattern(head):
        return None
    try:
        re.compile(head[1:-1])
    except re.error as error:
        return str(error)
    return None


def is_head_pattern(head: str) -> bool:
    return len(head) > 2 and head.startswith("/") and head.endswith("/")


def describe_profile(profile: VenueProfile) -> list[str]:
    """What `profile` checks, a setting a line, as `proceedings venues NAME` prints it."""
    rules = profile.rules
    layout = dict(rules.layout or ())
    lines = [f"{profile.name}: {profile.summary}", ""]
    lines.append(f"page size            {rules.page_size or 'not checked'}")
    lines.append(f"layout               {layout.get('profile', 'not checked')}")
    lines.append(f"running head         {rules.running_head or 'any'}")
    for head in rules.wrong_heads:
        lines.append(f"reported head        {head.text!r} ({head.why})")
    lines.append(f"LLM-usage disclosure {'required' if rules.disclosure_required else 'optional'}")
    for track in profile.tracks:
        lines.append(f"track {track.id:<14} {track.title}, {track.page_limit:g} pages of main text")
    return lines
