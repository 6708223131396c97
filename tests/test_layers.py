"""The layers point one way: reports → support → rollout. Checked on imports and on textual paths, so a seam cannot hide an arrow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The root's list of packages is the one place the spine may name the layers above it.
ALLOWED = {("rollout", "rollout/registry.py")}
ABOVE = {"rollout": ("support", "reports"), "support": ("reports",), "reports": ()}
MAX_LINES = 400


def modules(package: str) -> list[Path]:
    root = REPO / package
    return sorted(root.rglob("*.py")) if root.is_dir() else []


def names_of_layers(path: Path, layers: tuple[str, ...], *, strings: bool = True) -> list[tuple[int, str]]:
    """Imports of, and strings that are dotted or colon paths into, the given top-level packages."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [node.module]
        elif strings and isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.strip()
            if " " not in text and any(text.startswith(f"{layer}.") or text.startswith(f"{layer}:") for layer in layers):
                targets = [text]
        found += [(node.lineno, t) for t in targets if t.split(".")[0].split(":")[0] in layers]
    return found


@pytest.mark.parametrize("package", ["rollout", "support", "reports"])
def test_no_arrow_points_up(package: str) -> None:
    offences = []
    for path in modules(package):
        rel = path.relative_to(REPO).as_posix()
        if (package, rel) in ALLOWED:
            continue
        offences += [f"{rel}:{line}: {target}" for line, target in names_of_layers(path, ABOVE[package])]
    assert offences == []


def test_the_layer_check_can_fail(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text('import support.queue\nJOB = "reports.render:run"\nfrom rollout import clock\nTEXT = "support staff"\n')
    assert [t for _, t in names_of_layers(sneaky, ("support", "reports"))] == ["support.queue", "reports.render:run"]


def top_level_imports(path: Path, package_roots: tuple[str, ...]) -> set[str]:
    """Modules imported at import time (not inside functions), within our packages."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return {m for m in out if m.split(".")[0] in package_roots}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_cycles() -> None:
    roots = ("rollout", "support", "reports")
    files = [p for r in roots for p in modules(r) if "migrations/versions" not in p.as_posix()]
    names = {module_name(p): p for p in files}
    graph = {name: {m for m in top_level_imports(path, roots) if m in names and m != name} for name, path in names.items()}
    # a module's own package __init__ is imported first by Python anyway: not an edge of a cycle we wrote
    graph = {n: {m for m in deps if not n.startswith(m + ".")} for n, deps in graph.items()}
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert cycles == []


def test_no_module_is_over_400_lines() -> None:
    long = []
    for package in ("rollout", "support", "reports", "benchmarks"):
        for path in modules(package):
            count = len(path.read_text(encoding="utf-8").splitlines())
            if count > MAX_LINES:
                long.append(f"{path.relative_to(REPO)}: {count} lines")
    assert long == []


def test_library_modules_never_import_the_cli() -> None:
    """The CLI renders the library's views; the library never reaches into the CLI (or renders with rich)."""
    offences = []
    for package in ("rollout", "support", "reports"):
        for path in modules(package):
            rel = path.relative_to(REPO).as_posix()
            if "/cli/" in rel or rel.endswith(("/cli.py", "__main__.py", "rollout/launch.py")):  # entry points
                continue
            # declarations name CLI apps by textual path (that is the seam); imports are what we refuse
            for line, target in names_of_layers(path, ("rollout", "rich", "typer"), strings=False):
                if target.startswith(("rollout.cli", "rich", "typer")):
                    offences.append(f"{rel}:{line}: {target}")
    assert offences == []
