"""Imports point one way (README.md#where-things-are, STYLE.md): a lower app never imports a higher one.
Read from the source (every import statement, module level or inside a function), so a new import that
breaks the order fails here before it becomes a cycle."""

import ast
from pathlib import Path

from django.conf import settings

# Lowest first, as INSTALLED_APPS lists them.
ORDER = [
    "accounts",
    "corrections",
    "documents",
    "supervision",
    "coordination",
    "community",
    "reports",
    "workspace",
]


def _imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(ORDER)


def test_the_order_is_the_installed_order():
    assert [app for app in settings.INSTALLED_APPS if app in ORDER] == ORDER


def test_no_app_imports_a_higher_one():
    wrong = []
    for rank, app in enumerate(ORDER):
        higher = set(ORDER[rank + 1 :])
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for imported in sorted(_imported_apps(path) & higher):
                wrong.append(f"{path.relative_to(settings.BASE_DIR)} imports {imported}")
    assert not wrong, "\n".join(wrong)
