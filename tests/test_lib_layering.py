"""portal/lib imports no app and nothing of the portal's own outside portal.lib: every
app may use it, so it may use none of them."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

LIB = Path(__file__).resolve().parent.parent / "portal" / "lib"
ALLOWED = ("crispy_forms", "django")  # besides the standard library


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_it_imports_only_the_standard_library_django_and_itself():
    modules = sorted(LIB.glob("*.py"))
    assert len(modules) >= 7
    strays = {
        f"{path.name}: {name}"
        for path in modules
        for name in imported(path)
        if not name.startswith(("portal.lib", *ALLOWED))
        and name.split(".")[0] not in sys.stdlib_module_names
    }
    assert strays == set()
