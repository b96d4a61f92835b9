"""A name with a leading underscore is its module's own: no other app imports it (a helper another app needs
gets a public name in its home module, one implementation for both)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "jingzhun"


def private_imports_across_apps(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        app = path.relative_to(root).parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jingzhun.")):
                continue
            if node.module.split(".")[1] == app:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.module}.{alias.name}")
    return found


def test_no_app_imports_another_apps_private_names() -> None:
    assert private_imports_across_apps(SRC) == []


def test_the_check_sees_a_private_import(tmp_path: Path) -> None:
    (tmp_path / "helping").mkdir()
    (tmp_path / "helping" / "views.py").write_text(
        "from jingzhun.registry.queries import _text_filter as t\nfrom jingzhun.helping.forms import _own\n"
    )
    assert private_imports_across_apps(tmp_path) == ["helping/views.py:1 jingzhun.registry.queries._text_filter"]
