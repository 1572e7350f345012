"""Imports point down: govseo/ (the CLI) -> reports/ -> audits/ -> crawler/ -> common/. A module may import its own
layer and the layers below it, never one above (a function-level import counts too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["common", "crawler", "audits", "reports", "govseo"]        # bottom first
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def imported_packages(source: str) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def upward_imports(layer: str) -> list[str]:
    problems = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for line, package in imported_packages(path.read_text(encoding="utf-8")):
            if package in RANK and RANK[package] > RANK[layer]:
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {package}")
    return problems


@pytest.mark.parametrize("layer", LAYERS)
def test_no_layer_imports_a_layer_above_it(layer):
    assert upward_imports(layer) == []


def test_the_check_sees_an_upward_import():
    source = "import os\nfrom reports.html import render_html\n\ndef f():\n    import govseo.cli\n"
    assert imported_packages(source) == [(1, "os"), (2, "reports"), (5, "govseo")]
