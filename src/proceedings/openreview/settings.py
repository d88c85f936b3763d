"""The options that decide what a paper becomes, remembered beside papers.yaml.

Which venue id is accepted, which field holds the track and which the archival choice: an
import that forgets one of them changes papers silently (every paper archival when the
archival field is not given). The first import writes them to `papers.openreview.yaml`
(`<stem>.openreview.yaml` for another papers file); a re-import takes every option it is not
given from there, and one given on the command line replaces the remembered value, with a
line saying so. The file is meant to be read and edited by people::

    venue_id: ICLR.cc/2026/Workshop/ICBINB
    track_field: submission_type
    track_values: {Tiny Paper: tiny}
    default_track: long
    archival_field: archival_option
    archival_values: [Archival (published in PMLR)]
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from proceedings.openreview.model import DEFAULT_TRACK_VALUES, ImportOptions, OpenReviewImportError
from proceedings.yamlsource import YamlError, read_yaml

SETTINGS_SUFFIX = ".openreview.yaml"
HEADER = (
    "# Options of the OpenReview import into {papers}, remembered at its first import and used\n"
    "# by every re-import that does not give them; an option given on the command line\n"
    "# replaces its value here. Edit with care: these decide which papers are accepted, their\n"
    "# track and whether they are archival.\n"
)


@dataclass(frozen=True)
class Given:
    """The options of one run; None (or empty) where the run does not give one."""

    venue_id: str | None = None
    track_field: str | None = None
    track_values: Mapping[str, str] = field(default_factory=dict)
    default_track: str | None = None
    archival_field: str | None = None
    archival_values: tuple[str, ...] = ()
    supplementary_field: str | None = None
    api_url: str | None = None


KEYS = tuple(item.name for item in fields(Given))


@dataclass(frozen=True)
class Resolved:
    options: ImportOptions
    api_url: str | None
    values: dict[str, Any]  # what the settings file holds after this run
    notes: list[str]  # remembered options used, and remembered ones replaced


def settings_path(papers_yaml: Path) -> Path:
    return papers_yaml.with_name(papers_yaml.stem + SETTINGS_SUFFIX)


def read_settings(path: Path) -> dict[str, Any]:
    """The remembered options; {} when there is no settings file."""
    if not os.path.lexists(path):
        return {}
    try:
        source = read_yaml(path, str(path))
    except YamlError as error:
        where = f"{path}, line {error.line}" if error.line else str(path)
        raise OpenReviewImportError(f"{where}: {error.message}", str(path), error.line) from None
    data = source.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise OpenReviewImportError(f"{path}, line 1: expected a mapping of options", str(path), 1)
    out: dict[str, Any] = {}
    for key, value in data.items():
        line = source.line((key,))
        where = f"{path}, line {line}"
        if key not in KEYS:
            raise OpenReviewImportError(
                f"{where}: unknown option {key!r}; the options are {', '.join(KEYS)}",
                str(path),
                line,
            )
        if value is None:
            out[key] = None
        elif key == "track_values":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise OpenReviewImportError(
                    f"{where}: track_values must map texts to track ids", str(path), line
                )
            out[key] = dict(value)
        elif key == "archival_values":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise OpenReviewImportError(
                    f"{where}: archival_values must be a list of texts", str(path), line
                )
            out[key] = list(value)
        elif isinstance(value, str):
            out[key] = value
        else:
            raise OpenReviewImportError(f"{where}: {key} must be a text", str(path), line)
    return out


def resolve(given: Given, remembered: Mapping[str, Any], source: str) -> Resolved:
    """The options of this run: given ones first, then remembered ones, then the defaults."""
    values: dict[str, Any] = {}
    notes: list[str] = []
    used: list[str] = []
    for key in KEYS:
        mine = getattr(given, key)
        mine = (dict(mine) if key == "track_values" else list(mine)) if _is_many(key) else mine
        has_mine = bool(mine) if _is_many(key) else mine is not None
        if has_mine:
            values[key] = mine
            if key in remembered and remembered[key] != mine:
                notes.append(
                    f"{key}: {_show(mine)} replaces {_show(remembered[key])}, remembered in"
                    f" {source}"
                )
        elif key in remembered:
            values[key] = remembered[key]
            if remembered[key] not in (None, [], {}):
                used.append(f"{key} {_show(remembered[key])}")
        else:
            values[key] = None
    if used:
        notes.insert(0, f"options remembered in {source}: {'; '.join(used)}")
    options = ImportOptions(
        venue_id=values["venue_id"],
        track_field=values["track_field"],
        track_values=dict(values["track_values"] or DEFAULT_TRACK_VALUES),
        default_track=values["default_track"] or "long",
        archival_field=values["archival_field"],
        archival_values=tuple(values["archival_values"] or ()),
        supplementary_field=values["supplementary_field"],
    )
    return Resolved(options, values["api_url"], values, notes)


def with_venue(resolved: Resolved, venue_id: str | None) -> Resolved:
    """The venue id the import found (from the export) remembered too."""
    if not venue_id or resolved.values.get("venue_id"):
        return resolved
    values = dict(resolved.values, venue_id=venue_id)
    return replace(resolved, values=values)


def settings_text(values: Mapping[str, Any], papers_name: str) -> str:
    kept = {key: values[key] for key in KEYS if values.get(key) not in (None, [], {})}
    body = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return HEADER.format(papers=papers_name) + (body if kept else "{}\n")


def _is_many(key: str) -> bool:
    return key in ("track_values", "archival_values")


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={v}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return ", ".join(repr(v) for v in value) or "none"
    return repr(value) if value is not None else "none"
