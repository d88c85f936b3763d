"""The rule registry: every check is one rule with a stable code, a severity and a docstring.

A rule is a function that takes the `Paper` under check and yields `Violation`s. The registry
turns them into findings with the rule's code and (possibly overridden) severity, so a rule
never decides how it is reported. Adding a check means writing one function in the family's
module and decorating it with `@rule(...)`; `proceedings rules` lists it from here.

A rule's docstring opens with a one-line summary, then sections in this order:
`What it catches`, `Why it matters`, `Known problems`, `How to fix`, `Options`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from proceedings.pdf.layout import Document
from proceedings.pdf.structure import Structure
from proceedings.report import Finding, Severity


@dataclass(frozen=True)
class Violation:
    """What a rule found: the message (short, no trailing period) and where."""

    message: str
    page: int | None = None
    hint: str | None = None  # overrides the rule's fix for this one finding


@dataclass
class Paper:
    """Everything the rules may read about one paper: read once, shared by all rules."""

    id: str
    path: Path
    track: str
    page_limit: float
    document: Document | None = None
    structure: Structure | None = None
    open_error: str | None = None
    open_hint: str | None = None
    internal_error: str | None = None
    notes: dict[str, object] = field(default_factory=dict)


Check = Callable[[Paper], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Check
    needs_document: bool
    fix: str

    @property
    def summary(self) -> str:
        return self.explanation.splitlines()[0] if self.explanation else self.name

    @property
    def explanation(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def family(self) -> str:
        return self.check.__module__.rsplit(".", 1)[-1]


_REGISTRY: dict[str, Rule] = {}


def rule(
    code: str, name: str, severity: Severity, *, fix: str, needs_document: bool = True
) -> Callable[[Check], Check]:
    """Register a check under `code`. `fix` is the hint shown with each of its findings."""

    def register(check: Check) -> Check:
        if code in _REGISTRY:
            raise ValueError(f"rule code {code} is registered twice")
        _REGISTRY[code] = Rule(
            code=code,
            name=name,
            severity=severity,
            check=check,
            needs_document=needs_document,
            fix=fix,
        )
        return check

    return register


def all_rules() -> list[Rule]:
    _load_families()
    return sorted(_REGISTRY.values(), key=lambda item: item.code)


def get_rule(code: str) -> Rule | None:
    _load_families()
    return _REGISTRY.get(code.upper())


def run_rules(paper: Paper, rules: Iterable[Rule] | None = None) -> Iterator[Finding]:
    for item in rules if rules is not None else all_rules():
        if item.needs_document and paper.document is None:
            continue
        for violation in item.check(paper):
            yield Finding(
                code=item.code,
                severity=item.severity,
                message=violation.message,
                hint=item.fix if violation.hint is None else violation.hint,
                page=violation.page,
            )


def _load_families() -> None:
    # Importing a family module registers its rules.
    from proceedings.checks import files, pages  # noqa: F401
