"""What `volume.yaml` and `papers.yaml` may hold: fields, their types, which are required.

One walk over the YAML against this schema finds missing fields, wrong types and unknown keys
(with the closest known key), each with its field path.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from proceedings.volume import page_limit
from proceedings.yamlsource import PathKey, YamlSource


@dataclass(frozen=True)
class Field:
    kinds: tuple[type, ...]
    required: bool = False
    items: dict[str, Field] | None = None  # for a list of mappings, or a mapping
    label: str = ""  # what a person calls the type
    # For a number that must be a finite count above zero: `.nan`, `.inf`, 0 or -1 as a page
    # limit would let any paper pass.
    positive: bool = False

    @property
    def kind_name(self) -> str:
        return self.label or " or ".join(_NAMES.get(kind, kind.__name__) for kind in self.kinds)


_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
          list: "a list", dict: "a mapping", datetime.date: "a date"}  # fmt: skip

TEXT = (str,)
NUMBER = (int, float)

PERSON = {
    "name": Field(TEXT, required=True),
    "affiliation": Field(TEXT),
    "email": Field(TEXT),
    "openreview": Field(TEXT),
    "orcid": Field(TEXT),
    "talk": Field(TEXT),
}

AUTHOR = {
    "name": Field(TEXT, required=True),
    "given": Field(TEXT),
    "family": Field(TEXT),
    "latin": Field(TEXT),
    "affiliation": Field(TEXT),
    "email": Field(TEXT),
    "orcid": Field(TEXT),
    "openreview": Field(TEXT),
}

# `venue.layout`: the style's text block and type, in pt, or a profile the LAYOUT rules know.
_LENGTH = Field(NUMBER, label="a length in pt above 0", positive=True)
LAYOUT = {
    "profile": Field(TEXT),
    "text_width": _LENGTH,
    "text_height": _LENGTH,
    "left": _LENGTH,
    "body_size": _LENGTH,
    "line_pitch": _LENGTH,
}

PAPER = {
    "id": Field((str, int), required=True, label="text"),
    "title": Field(TEXT, required=True),
    "authors": Field((list,), required=True, items=AUTHOR),
    "abstract": Field(TEXT, required=True),
    "track": Field(TEXT, required=True),
    "archival": Field((bool,), required=True),
    "section": Field(TEXT),
    "openreview": Field(TEXT),
    "pdf": Field(TEXT),
    "supplementary": Field(TEXT),
    "pmlr_key": Field(TEXT),
    "order": Field((int,)),
}

PAPERS_SCHEMA = {"papers": Field((list,), required=True, items=PAPER)}

DATE = (datetime.date, str)

VOLUME_SCHEMA = {
    "proceedings": Field(
        (dict,),
        required=True,
        items={
            "booktitle": Field(TEXT, required=True),
            "name": Field(TEXT, required=True),
            "shortname": Field(TEXT, required=True),
            "year": Field((int,), required=True),
            "editors": Field((list,), required=True, items=PERSON),
            "volume": Field((int, str), required=True, label="a number"),
            "start": Field(DATE, required=True, label="a date"),
            "end": Field(DATE, required=True, label="a date"),
            "published": Field(DATE, required=True, label="a date"),
            "address": Field(TEXT, required=True),
            "conference_url": Field(TEXT, required=True),
            "conference_number": Field((int,), required=True),
        },
    ),
    "tracks": Field(
        (list,),
        required=True,
        items={
            "id": Field(TEXT, required=True),
            "title": Field(TEXT, required=True),
            "page_limit": Field(
                NUMBER, required=True, label="a number of pages above 0", positive=True
            ),
            "section": Field(TEXT),
        },
    ),
    "venue": Field(
        (dict,),
        items={
            "profile": Field(TEXT),
            "page_size": Field(TEXT),
            "running_head": Field(TEXT),
            "not_counted": Field((list,)),
            "disclosure_required": Field((bool,)),
            "severities": Field((dict,)),
            "layout": Field((dict,), items=LAYOUT),
            "supplementary_max_mb": Field(NUMBER, label="a size in MB above 0", positive=True),
        },
    ),
    "frontmatter": Field(
        (dict,),
        items={
            "title_lines": Field((list,)),
            "preface": Field(TEXT),
            "organizers": Field((list,), items=PERSON),
            "program_committee": Field((list,), items=PERSON),
            "invited_speakers": Field((list,), items=PERSON),
            "preface_place": Field(TEXT),
            "preface_date": Field(DATE, label="a date"),
            "copyright": Field(
                (dict,),
                items={
                    "issn": Field(TEXT),
                    "notice": Field(TEXT),
                    "license": Field(TEXT),
                    "license_url": Field(TEXT),
                },
            ),
        },
    ),
}


@dataclass(frozen=True)
class SchemaProblem:
    kind: str  # "missing", "type", "unknown"
    path: PathKey
    message: str


def schema_problems(source: YamlSource, schema: dict[str, Field]) -> Iterator[SchemaProblem]:
    if not isinstance(source.data, dict):
        required = [name for name, spec in schema.items() if spec.required]
        yield SchemaProblem("type", (), f"must be a mapping with the keys {', '.join(required)}")
        return
    yield from _mapping(source.data, schema, ())


def _mapping(
    data: dict[Any, Any], schema: dict[str, Field], path: PathKey
) -> Iterator[SchemaProblem]:
    for key in data:
        if str(key) not in schema:
            close = difflib.get_close_matches(str(key), list(schema), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield SchemaProblem("unknown", (*path, str(key)), f"unknown key{hint}")
    for name, spec in schema.items():
        value = data.get(name)
        if value is None or (isinstance(value, (str, list)) and not value):
            value = None  # an empty list is as missing as no list (`authors: []`)
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.required:
                yield SchemaProblem("missing", (*path, name), "missing")
            continue
        yield from _value(value, spec, (*path, name))


def _value(value: Any, spec: Field, path: PathKey) -> Iterator[SchemaProblem]:
    if isinstance(value, bool) and bool not in spec.kinds:
        yield SchemaProblem("type", path, f"must be {spec.kind_name}, not {value!r}")
        return
    if not isinstance(value, spec.kinds):
        yield SchemaProblem("type", path, f"must be {spec.kind_name}, not {_describe(value)}")
        return
    if spec.positive and page_limit(value) is None:
        shown = repr(value) if len(repr(value)) <= 30 else repr(value)[:27] + "..."
        yield SchemaProblem("type", path, f"must be {spec.kind_name}, not {shown}")
        return
    if spec.items is None:
        return
    if isinstance(value, dict):
        yield from _mapping(value, spec.items, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield from _mapping(item, spec.items, (*path, index))
            elif not (isinstance(item, str) and "name" in spec.items):
                yield SchemaProblem(
                    "type", (*path, index), f"must be a mapping, not {_describe(item)}"
                )


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {value[:30]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)
