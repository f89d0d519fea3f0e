"""The house's import rules, read statically from the source (no module is imported).

Rooms: ``plugin.diet`` (domain), ``plugin.runtime`` (MLX), ``plugin.report`` (matplotlib),
``base`` (``plugin.paths``, ``plugin.atomic``), the pytest layer (every other module at the
top of ``plugin``) and ``training``. Test folders are not rooms and are not checked.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SOURCE_PACKAGES = ("plugin", "training")
BASE_MODULES = {"plugin", "plugin.paths", "plugin.atomic"}
TEST_FRAMEWORKS = {"pytest", "_pytest", "pluggy", "hypothesis", "syrupy", "pytest_benchmark", "xdist"}
MLX = {"mlx", "mlx_lm"}
# Rooms of pure Python. The domain may use jinja2 to render chat templates, inside the function that needs it.
STDLIB_ONLY = {"diet": "plugin.diet", "base": "plugin.paths/plugin.atomic"}
DIET_LAZY_EXTRAS = {"jinja2"}
# Which rooms each room may import (besides the stdlib and third-party packages).
MAY_IMPORT = {
    "diet": {"diet"},
    "base": {"base"},
    "runtime": {"runtime", "diet", "base"},
    "report": {"report", "diet", "base"},
    "training": {"training", "runtime", "diet", "base", "report"},
    "pytest layer": {"pytest layer", "training", "runtime", "diet", "base", "report"},
}


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    path: Path
    line: int
    target: str  # imported module, dotted
    nested: bool  # inside a function (a lazy import)


def room(module: str) -> str | None:
    """The room a project module lives in, or None for the stdlib and third-party packages."""
    top = module.split(".")[0]
    if top == "training":
        return "training"
    if top != "plugin":
        return None
    if module in BASE_MODULES:
        return "base"
    second = module.split(".")[1]
    return {"diet": "diet", "runtime": "runtime", "report": "report"}.get(second, "pytest layer")


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(root: Path, dotted: str) -> bool:
    base = root.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def source_files(root: Path) -> Iterator[Path]:
    for package in SOURCE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "tests" not in path.relative_to(root).parts:
                yield path


def imports(root: Path, path: Path) -> Iterator[Import]:
    source = _module_name(root, path)
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    nested_nodes = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in ast.walk(f)}
    for node in ast.walk(tree):
        nested = id(node) in nested_nodes
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(source, path, node.lineno, alias.name, nested)
        elif isinstance(node, ast.ImportFrom):
            package = source if path.name == "__init__.py" else source.rpartition(".")[0]
            for _ in range(max(0, node.level - 1)):
                package = package.rpartition(".")[0]
            base = ".".join(p for p in (package if node.level else "", node.module or "") if p)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield Import(source, path, node.lineno, candidate if _is_module(root, candidate) else base, nested)


def violations(root: Path) -> list[str]:
    """Every broken rule, as ``file:line: message``; empty when the house is in order."""
    found: list[str] = []
    edges: dict[str, set[str]] = {}
    for path in source_files(root):
        for imp in imports(root, path):
            here, there = room(imp.source), room(imp.target)
            assert here is not None
            top = imp.target.split(".")[0]
            where = f"{imp.path.relative_to(root)}:{imp.line}"
            if there is not None and there != here:
                edges.setdefault(here, set()).add(there)
            if there is not None and there not in MAY_IMPORT[here]:
                found.append(f"{where}: {here} may not import {imp.target} ({there})")
            if top in TEST_FRAMEWORKS and here != "pytest layer":
                found.append(f"{where}: only the pytest layer imports {top} ({imp.source} is {here})")
            lazy_extra = top in DIET_LAZY_EXTRAS and imp.nested and here == "diet"
            if here in STDLIB_ONLY and there is None and top not in sys.stdlib_module_names and not lazy_extra:
                found.append(f"{where}: {STDLIB_ONLY[here]} is stdlib only, but imports {imp.target}")
            if top in MLX and not imp.nested:
                found.append(f"{where}: {imp.target} imported at module level (the BLAS must load first: use import_mlx())")
    found += [f"import cycle between rooms: {' -> '.join(c)}" for c in _cycles(edges)]
    return found


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(edges.get(node, ())):
            if nxt == trail[0]:
                cycles.append([*trail, nxt])
            elif nxt not in trail and nxt > trail[0]:  # report each cycle once, from its smallest room
                visit(nxt, [*trail, nxt])

    for start in sorted(edges):
        visit(start, [start])
    return cycles
