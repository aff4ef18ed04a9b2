"""The code map's import rules (docs/developers/architecture.md), checked over the import graph.

Every `import` and `from … import` in walkapp/, also those inside functions, is read with ast;
a failure names the module, what it imports and the rule it breaks.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "walkapp"

# walkapp/<word>.py modules that are the web app's plumbing, not a product word's rules: they
# may read the request (the caller's credentials, limits by caller, headers, forms, locale).
WEB = {
    "walkapp",
    "walkapp.__main__",
    "walkapp.cli",
    "walkapp.wsgi",
    "walkapp.extensions",
    "walkapp.access",
    "walkapp.rate_limits",
    "walkapp.bodies",
    "walkapp.security",
    "walkapp.forms",
    "walkapp.join_forms",
    "walkapp.settings",
    "walkapp.mail_texts",
}
# Outside walkapp/db/, these may hold SQL, for the reason given.
SQL_ELSEWHERE = {
    "walkapp.backup": "copies the database file with sqlite3's online backup API and checks the copy",
}
SQL = re.compile(
    r"^\s*(select\s|insert\s+into|update\s+\w+\s+set|delete\s+from|create\s+(table|index|unique"
    r"|view|trigger)|drop\s+(table|index)|alter\s+table|pragma\s)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, e.g. walkapp.access
    target: str  # the imported module, e.g. walkapp.exports.open311
    name: str  # the imported name ("" for `import x`)
    line: int

    def __str__(self) -> str:
        what = f"{self.target}.{self.name}" if self.name else self.target
        return f"{_path(self.source)}:{self.line} imports {what}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _path(module: str) -> str:
    base = ROOT / Path(*module.split("."))
    return str(
        (base / "__init__.py" if base.is_dir() else base.with_suffix(".py")).relative_to(ROOT)
    )


def _is_module(name: str) -> bool:
    base = ROOT / Path(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def modules() -> dict[str, ast.Module]:
    return {
        _module_name(path): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def imports(name: str, tree: ast.Module) -> list[Import]:
    package = name if (ROOT / Path(*name.split("."))).is_dir() else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, "", node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if _is_module(submodule):
                    found.append(Import(name, submodule, "", node.lineno))
                else:
                    found.append(Import(name, base, alias.name, node.lineno))
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, list[Import]]:
    return {name: imports(name, tree) for name, tree in modules().items()}


def within(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def domain(module: str) -> bool:
    """walkapp/<word>.py: one product word's rules."""
    return (
        module.count(".") == 1 and module not in WEB and not _path(module).endswith("__init__.py")
    )


def broken(graph, applies, forbidden) -> list[str]:
    return sorted(
        str(imp)
        for source, found in graph.items()
        if applies(source)
        for imp in found
        if forbidden(imp)
    )


def test_the_graph_sees_relative_and_lazy_imports(graph):
    targets = {(imp.target, imp.name) for imp in graph["walkapp.settings"]}
    assert ("walkapp.db", "connect") in targets  # lazy, inside instance_secret_key
    assert ("walkapp.db.secrets", "") in targets
    assert any(imp.target == "walkapp.db.exports" for imp in graph["walkapp.views.open311"])


def test_domain_modules_and_exports_import_nothing_from_flask(graph):
    """The rules of a word run without a request: Flask's objects stay in the web layer.
    (flask_babel's gettext is allowed: a message is translated wherever it is made; so is
    werkzeug.security, plain password hashing.)"""
    found = broken(
        graph,
        lambda m: domain(m) or within(m, "walkapp.exports"),
        lambda imp: (
            within(imp.target, "flask", "werkzeug") and not within(imp.target, "werkzeug.security")
        ),
    )
    assert not found, "domain modules and exports/ must not import Flask:\n" + "\n".join(found)


def test_sql_lives_in_db(graph):
    """Outside walkapp/db/ nothing imports sqlite3 and no string is SQL."""
    found = broken(
        graph,
        lambda m: not within(m, "walkapp.db") and m not in SQL_ELSEWHERE,
        lambda imp: imp.target == "sqlite3",
    )
    for name, tree in modules().items():
        if within(name, "walkapp.db") or name in SQL_ELSEWHERE:
            continue
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if isinstance(text, str) and SQL.match(text):
                found.append(f"{_path(name)}:{node.lineno} holds SQL {text.strip()[:40]!r}")
    assert not found, "SQL belongs in walkapp/db/:\n" + "\n".join(found)


def test_formats_do_not_leak_into_access_control_or_sql(graph):
    """GeoJSON, Open311 and CSV are views of the data: access control and queries know none."""
    found = broken(
        graph,
        lambda m: m in {"walkapp.access", "walkapp.rate_limits"} or within(m, "walkapp.db"),
        lambda imp: within(imp.target, "walkapp.exports", "walkapp.views"),
    )
    assert not found, "formats leak into access control or SQL:\n" + "\n".join(found)


def test_exports_read_rows_and_write_text(graph):
    found = broken(
        graph,
        lambda m: within(m, "walkapp.exports"),
        lambda imp: within(imp.target, "walkapp.db", "walkapp.views", "sqlite_utils"),
    )
    assert not found, "exports/ take rows and give text, without the database:\n" + "\n".join(found)


def test_db_imports_only_db_and_the_vocabularies(graph):
    """Queries depend on nothing above them: no views, no rules, no formats, no settings."""
    allowed = ("walkapp.db", "walkapp.vocabulary", "walkapp.clock")
    found = broken(
        graph,
        lambda m: within(m, "walkapp.db"),
        lambda imp: within(imp.target, "walkapp") and not within(imp.target, *allowed),
    ) + broken(graph, lambda m: within(m, "walkapp.db") and m != "walkapp.db",
               lambda imp: within(imp.target, "flask"))  # fmt: skip
    assert not found, "walkapp/db/ imports above itself:\n" + "\n".join(found)


def test_migrations_import_nothing_outside_themselves(graph):
    found = broken(
        graph,
        lambda m: within(m, "walkapp.db.migrations"),
        lambda imp: (
            within(imp.target, "walkapp") and not within(imp.target, "walkapp.db.migrations")
        ),
    )
    assert not found, "a migration must stand alone (the schema as it was):\n" + "\n".join(found)


def test_nothing_below_the_views_imports_them(graph):
    below_views = lambda m: not within(m, "walkapp.views") and m != "walkapp"  # noqa: E731
    below_commands = lambda m: domain(m) or within(m, "walkapp.db", "walkapp.exports")  # noqa: E731
    found = broken(graph, below_views, lambda imp: within(imp.target, "walkapp.views"))
    found += broken(graph, below_commands, lambda imp: within(imp.target, "walkapp.commands"))
    assert not found, "views and commands are the top: nothing imports them:\n" + "\n".join(found)


def test_views_use_no_other_views_private_names(graph):
    found = broken(
        graph,
        lambda m: within(m, "walkapp.views"),
        lambda imp: within(imp.target, "walkapp.views") and imp.name.startswith("_"),
    )
    assert not found, "a view module's private name is its own:\n" + "\n".join(found)


def test_settings_import_no_views_and_the_database_only_for_the_secret_key(graph):
    found = broken(
        graph,
        lambda m: m == "walkapp.settings",
        lambda imp: (
            within(imp.target, "walkapp")
            and not (within(imp.target, "walkapp.db") and imp.line > 0 and _in_secret_key(imp.line))
        ),
    )
    assert not found, "walkapp/settings.py reads settings, nothing else:\n" + "\n".join(found)


def _in_secret_key(line: int) -> bool:
    tree = modules()["walkapp.settings"]
    function = next(
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "instance_secret_key"
    )
    return function.lineno <= line <= (function.end_lineno or line)
