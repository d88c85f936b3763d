"""The shape of the code: no module of `proceedings` imports itself back through others, the
PDF layer knows nothing of rules, and checking a paper loads neither the build nor the importer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """Each module of src/ and the modules of src/ it imports, wherever the import stands (at
    the top, in a function, under TYPE_CHECKING): a layer that names another for its types
    still depends on it."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_in_src() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_pdf_layer_knows_nothing_of_rules_reports_or_the_build() -> None:
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith("proceedings.pdf"):
            above = {
                target
                for target in targets
                if target.startswith(
                    (
                        "proceedings.rules",
                        "proceedings.check",
                        "proceedings.report",
                        "proceedings.build",
                        "proceedings.paper",
                    )
                )
            }
            assert not above, (name, above)


def test_checking_a_pdf_loads_neither_the_build_nor_the_importer() -> None:
    # Each start of `proceedings check` pays for what it imports: Jinja2, the LaTeX runs, the
    # build's pipeline, the report formats for browsers and the OpenReview client are not
    # needed to check a PDF. (The build's PDF writer is: PDF005 tries the build's copy.)
    code = (
        "import sys\n"
        "from proceedings.cli import cli\n"
        "from proceedings.check import check_paths\n"
        "heavy = ('jinja2', 'pypdf', 'openreview', 'proceedings.openreview.run',\n"
        "         'proceedings.openreview.files', 'proceedings.openreview.merge',\n"
        "         'proceedings.build.pipeline', 'proceedings.build.latex',\n"
        "         'proceedings.build.frontmatter', 'proceedings.report.html')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or\n"
        "             any(m == h or m.startswith(h + '.') for h in heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stdout
