"""What the VOL rules share: the walk over papers.yaml's entries and findings at a YAML value.

This module holds no rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from proceedings.rules import Violation
from proceedings.volume import VolumeSources
from proceedings.yamlsource import PathKey, YamlSource


def at_path(source: YamlSource, path: PathKey, message: str, **where: Any) -> Violation:
    """A finding on the value at `path` of `source`, with its file and line."""
    return Violation(message, file=source.file, line=source.line(path), **where)


def paper_entries(sources: VolumeSources) -> Iterator[tuple[int, dict[str, Any], YamlSource]]:
    """Each entry of papers.yaml that is a mapping, with its index and its source."""
    source = sources.papers
    if source is None or not isinstance(source.data, dict):
        return
    papers = source.data.get("papers")
    for index, entry in enumerate(papers if isinstance(papers, list) else []):
        if isinstance(entry, dict):
            yield index, entry, source
