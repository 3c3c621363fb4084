"""The fee core must run unchanged in Pyodide: standard library only, and only the modules we ship."""
import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "calculator" / "core"
SHIPPED_STDLIB = {"json", "datetime", "decimal", "csv", "io", "re"}


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def test_core_imports_only_the_shipped_standard_library():
    for path in CORE.glob("*.py"):
        outside = set(imported_modules(path)) - SHIPPED_STDLIB
        assert not outside, "%s imports %s" % (path.name, sorted(outside))
