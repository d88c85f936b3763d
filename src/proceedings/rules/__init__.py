"""The rule registry: every check is one rule with a stable code, a severity and a docstring.

A rule is a function that takes what it checks (its subject: a `CheckedPaper`, a BibTeX file, the
volume's metadata) and yields `Violation`s. The registry
turns them into findings with the rule's code and (possibly overridden) severity, so a rule
never decides how it is reported. Adding a check means writing one function in the family's
module and decorating it with `@rule(...)`; `proceedings rules` lists it from here.

A rule's docstring opens with a one-line summary, then sections in this order:
`What it catches`, `Why it matters`, `Known problems`, `Example`, `How to fix`, `Options`
(`Known problems` and `Options` only where there are some). The Example shows one finding as
`proceedings check` prints it, indented: `error PAGE001 page 6 main text runs to ...`.
tests/test_rule_docs.py holds every doc to this and to naming only real options, settings and
rules.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from proceedings.paper import CheckedPaper as CheckedPaper  # re-exported: what rules read
from proceedings.report import Finding, Severity


@dataclass(frozen=True)
class Violation:
    """What a rule found: the message (short, no trailing period) and where."""

    message: str
    page: int | None = None
    hint: str | None = None  # overrides the rule's fix for this one finding
    line: int | None = None  # 1-based line in `file` (BibTeX, YAML)
    file: str | None = None  # when the finding is about another file than the subject's own
    severity: Severity | None = None  # overrides the rule's severity for this one finding


# The subject a rule reads: "paper" (a CheckedPaper: its PDF and metadata), "bib" (a BibTeX file),
# "volume" (the volume's metadata as a whole).
SUBJECTS = ("paper", "bib", "volume")

Check = Callable[[Any], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Check
    needs_document: bool
    fix: str
    subject: str = "paper"

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
INTERNAL_ERROR = "INT001"


def rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    fix: str,
    needs_document: bool = True,
    subject: str = "paper",
) -> Callable[[Check], Check]:
    """Register a check under `code`. `fix` is the hint shown with each of its findings.

    `needs_document` (paper rules only): run only when the PDF could be opened.
    """
    if subject not in SUBJECTS:
        raise ValueError(f"rule {code}: unknown subject {subject!r}")

    def register(check: Check) -> Check:
        if code in _REGISTRY:
            raise ValueError(f"rule code {code} is registered twice")
        _REGISTRY[code] = Rule(
            code=code,
            name=name,
            severity=severity,
            check=check,
            needs_document=needs_document and subject == "paper",
            fix=fix,
            subject=subject,
        )
        return check

    return register


def all_rules() -> list[Rule]:
    _load_families()
    return sorted(_REGISTRY.values(), key=lambda item: item.code)


def select_rules(
    select: Iterable[str] = (), ignore: Iterable[str] = (), rules: Iterable[Rule] | None = None
) -> list[Rule]:
    """The rules whose code starts with one of `select` (all when empty) and none of `ignore`.

    Codes compare without case; a prefix picks a family (`PMLR`, `REVIEW00`).
    """
    chosen = [prefix.strip().upper() for prefix in select if prefix.strip()]
    dropped = [prefix.strip().upper() for prefix in ignore if prefix.strip()]
    return [
        item
        for item in (rules if rules is not None else all_rules())
        if (not chosen or item.code.startswith(tuple(chosen)) or item.code == INTERNAL_ERROR)
        and not item.code.startswith(tuple(dropped) or ("\0",))
    ]


def unknown_codes(prefixes: Iterable[str]) -> list[str]:
    """The prefixes in `prefixes` that match no rule: a typo a person wants to hear about."""
    codes = [item.code for item in all_rules()]
    return [
        prefix
        for prefix in prefixes
        if prefix.strip() and not any(code.startswith(prefix.strip().upper()) for code in codes)
    ]


def with_severities(rules: Iterable[Rule], overrides: dict[str, str]) -> list[Rule]:
    """`rules` with the severities a venue sets (`{"FONT002": "error", "MARGIN": "off"}`).

    An empty prefix, or one that names no rule, changes nothing (VOL015 reports it)."""
    usable = {
        prefix.upper(): value
        for prefix, value in overrides.items()
        if prefix.strip() and not unknown_codes([prefix])
    }
    result = []
    for item in rules:
        level = next(
            (
                value
                for prefix, value in sorted(usable.items(), key=lambda pair: -len(pair[0]))
                if item.code.startswith(prefix)
            ),
            None,
        )
        if level == "off" and item.code != INTERNAL_ERROR:
            continue
        if level in ("error", "warning", "info"):
            item = replace(item, severity=Severity(level))
        result.append(item)
    return result


def get_rule(code: str) -> Rule | None:
    _load_families()
    return _REGISTRY.get(code.upper())


def run_rules(
    target: Any, rules: Iterable[Rule] | None = None, *, subject: str = "paper"
) -> Iterator[Finding]:
    """Run the rules of `subject` on `target` and yield their findings."""
    for item in rules if rules is not None else all_rules():
        if item.subject != subject:
            continue
        if item.needs_document and getattr(target, "document", None) is None:
            continue
        try:
            violations = list(item.check(target))
        except Exception as error:  # noqa: BLE001 - one rule's bug must not end the run
            yield _internal_error(item, error)
            continue
        for violation in violations:
            yield Finding(
                code=item.code,
                severity=violation.severity or item.severity,
                message=violation.message,
                hint=item.fix if violation.hint is None else violation.hint,
                page=violation.page,
                line=violation.line,
                file=violation.file,
            )


def _internal_error(item: Rule, error: Exception) -> Finding:
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
    return Finding(
        code=INTERNAL_ERROR,
        severity=Severity.ERROR,
        message=f"internal error in rule {item.code}, a bug in proceedings: "
        f"{type(error).__name__}: {error}{where}",
        hint="Please report it with the file that caused it; the other checks still ran.",
    )


def _load_families() -> None:
    # Each module of this package holds a family of rules (or, like bib_walk, what a family
    # shares); importing it registers its rules.
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
