"""papers.yaml as text: read as `check` reads it, written in the documented order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from proceedings.openreview.model import OpenReviewImportError, _ordered_entry
from proceedings.yamlsource import YamlError, YamlSource, parse_yaml


def _load_papers_yaml(text: str | None, source: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The top-level mapping and the list of paper entries of papers.yaml."""
    if text is None or not text.strip():
        return {}, []
    parsed = _parse_papers_yaml(text, source)
    data = parsed.data
    if data is None:
        return {}, []
    if not isinstance(data, dict) or "papers" not in data:
        raise OpenReviewImportError(
            f"{source}, line 1: expected a mapping with the key `papers:` at the top",
            source,
            1,
        )
    papers = data["papers"]
    if papers is None:
        papers = []
    if not isinstance(papers, list):
        line = parsed.line(("papers",)) or 1
        raise OpenReviewImportError(
            f"{source}, line {line}: `papers` must be a list of papers", source, line
        )
    for index, entry in enumerate(papers):
        if not isinstance(entry, dict):
            line = parsed.line(("papers", index)) or 1
            raise OpenReviewImportError(
                f"{source}, line {line}: paper {index + 1} is not a mapping of fields",
                source,
                line,
            )
    return dict(data), [dict(entry) for entry in papers]


def _parse_papers_yaml(text: str, source: str) -> YamlSource:
    """papers.yaml read as `check` reads it: aliases (a "billion laughs" file would fill
    memory), keys given twice and nesting past a hundred levels are refused."""
    try:
        return parse_yaml(text, source)
    except YamlError as error:
        problem = error
    if problem.message.startswith("YAML syntax error"):
        # PyYAML's own parser gives the column too. It stops where libyaml stopped, within
        # the depth the reader allows, so it cannot recurse too deep.
        try:
            yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as detailed:
            raise _yaml_error(detailed, source) from None
        except RecursionError:
            pass
    where = f"{source}, line {problem.line}" if problem.line is not None else source
    raise OpenReviewImportError(f"{where}: {problem.message}", source, problem.line)


def _yaml_error(error: yaml.YAMLError, source: str) -> OpenReviewImportError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    detail = f"{problem} ({context})" if context else problem
    if mark is None:
        return OpenReviewImportError(f"{source}: not valid YAML: {detail}", source)
    line = mark.line + 1
    return OpenReviewImportError(
        f"{source}, line {line}, column {mark.column + 1}: not valid YAML: {detail}", source, line
    )


class _Block(str):
    """A string written as a literal block (`|`)."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # lists indented under their key


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_block(dumper: yaml.SafeDumper, data: _Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Block, _represent_block)


def _dump_papers_yaml(top: Mapping[str, Any], papers: Sequence[Mapping[str, Any]]) -> str:
    """papers.yaml: `papers:` first, entries and authors in the documented key order, block
    style, abstracts as literal blocks, UTF-8 characters as they are. Same input, same text."""
    document: dict[str, Any] = {"papers": [_for_yaml(entry) for entry in papers]}
    document.update({key: value for key, value in top.items() if key != "papers"})
    return yaml.dump(
        document,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 16,
        indent=2,
    )


def _for_yaml(entry: Mapping[str, Any]) -> dict[str, Any]:
    out = _ordered_entry(entry)
    abstract = out.get("abstract")
    if isinstance(abstract, str) and abstract.strip():
        out["abstract"] = _Block(abstract if abstract.endswith("\n") else abstract + "\n")
    return out
