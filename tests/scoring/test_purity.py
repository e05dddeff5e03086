"""The scoring package stays pure: standard library only, no I/O, no clock.

See "Import directions" in docs/architecture.md.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import scoring

PACKAGE = Path(scoring.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
IO_MODULES = {
    "asyncio", "http", "io", "logging", "os", "pathlib", "shutil", "socket", "sqlite3",
    "subprocess", "sys", "tempfile", "threading", "time", "urllib",
}  # fmt: skip
IO_CALLS = {"open", "print", "input", "breakpoint", "exec", "eval"}
CLOCK_METHODS = {"now", "today", "utcnow"}


def imported_modules(tree: ast.AST) -> list[tuple[str, int]]:
    """Return (top-level module, relative level) for every import in a module's tree."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name.split(".")[0], 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append(((node.module or "").split(".")[0], node.level))
    return found


def parse(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_every_module_is_checked() -> None:
    """The walk finds the package's modules, not an empty list."""
    names = {path.stem for path in MODULES}
    assert {"__init__", "explain", "rating", "achievement", "skm", "distribution"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_imports_only_the_standard_library_and_scoring(path: Path) -> None:
    """Scoring imports nothing but the standard library and itself."""
    for module, level in imported_modules(parse(path)):
        assert level > 0 or module == "scoring" or module in sys.stdlib_module_names, (
            f"{path.name} imports {module}"
        )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_io_or_clock(path: Path) -> None:
    """No I/O modules or calls and no reading the clock: time is an argument."""
    tree = parse(path)
    assert not {module for module, _ in imported_modules(tree)} & IO_MODULES, path.name
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        assert not (isinstance(func, ast.Name) and func.id in IO_CALLS), f"{path.name}: {func.id}"
        if isinstance(func, ast.Attribute):
            assert func.attr not in CLOCK_METHODS, f"{path.name} line {node.lineno}: .{func.attr}()"
            owner = func.value
            is_random = isinstance(owner, ast.Name) and owner.id == "random"
            assert not (is_random and func.attr != "Random"), f"{path.name}: random.{func.attr}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import requests.adapters", [("requests", 0)]),
        ("from . import explain", [("", 1)]),
        ("from scoring.explain import Step", [("scoring", 0)]),
        ("import decimal, fractions", [("decimal", 0), ("fractions", 0)]),
    ],
)
def test_the_import_walk_sees_every_form(source: str, expected: list[tuple[str, int]]) -> None:
    """The purity check itself reads plain, dotted, relative and multiple imports."""
    assert imported_modules(ast.parse(source)) == expected
