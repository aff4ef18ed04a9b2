"""One door per write (issue 22 point 2): every change to a product noun is one function of its
word module (walkapp/<word>.py) that opens the one transaction and writes the audit entry.
`walkapp/db/` functions never open or commit one, and views and commands never write but through
a word module. Read from the source with `ast`, so a new route or query is covered the day it is
written."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from walkapp import db as db_package
from walkapp.db import connect, transaction

WALKAPP = Path(__file__).resolve().parent.parent / "walkapp"
DB = WALKAPP / "db"
# A write in SQL: what changes a row. Matched in the string constants of a function's body
# (f-strings included), docstrings left out.
WRITE_SQL = re.compile(
    r"\b(insert\s+(or\s+\w+\s+)?into|update\s+\w+\s+set|delete\s+from|replace\s+into)\b", re.I
)
# What starts or ends a transaction: the call, the statement, the sqlite3 method.
TRANSACTION_SQL = re.compile(r"^\s*(begin|commit|rollback|savepoint|release|end)\b", re.I)


def _modules(folder: Path) -> dict[str, ast.Module]:
    return {
        path.relative_to(WALKAPP.parent).as_posix(): ast.parse(path.read_text(), str(path))
        for path in sorted(folder.glob("*.py"))
    }


def _strings(node: ast.AST) -> list[str]:
    """The string constants under node, without the docstrings of functions and classes."""
    docstrings = {
        id(inner.body[0].value)
        for inner in ast.walk(node)
        if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module)
        and inner.body
        and isinstance(inner.body[0], ast.Expr)
        and isinstance(inner.body[0].value, ast.Constant)
    }
    return [
        inner.value
        for inner in ast.walk(node)
        if isinstance(inner, ast.Constant)
        and isinstance(inner.value, str)
        and id(inner) not in docstrings
    ]


def _called_names(node: ast.AST) -> set[str]:
    """Names a body calls: `f(...)` and `module.f(...)` both give "f"."""
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            if isinstance(call.func, ast.Name):
                names.add(call.func.id)
            elif isinstance(call.func, ast.Attribute):
                names.add(call.func.attr)
    return names


def db_writes() -> dict[str, set[str]]:
    """{db submodule name: its write functions}: those whose SQL changes rows, and those that
    call such a function of the package (the closure, so a helper's caller counts too)."""
    functions = {}
    for path, tree in _modules(DB).items():
        if path.endswith("__init__.py"):
            continue
        module = Path(path).stem
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                functions[(module, node.name)] = node
    writes = {
        key for key, node in functions.items() if any(WRITE_SQL.search(s) for s in _strings(node))
    }
    names = {name for _module, name in writes}
    while True:
        more = {
            key
            for key, node in functions.items()
            if key not in writes and _called_names(node) & names
        }
        if not more:
            break
        writes |= more
        names |= {name for _module, name in more}
    found: dict[str, set[str]] = {}
    for module, name in writes:
        found.setdefault(module, set()).add(name)
    return found


def _db_write_uses(tree: ast.Module, writes: dict[str, set[str]]) -> list[tuple[int, str]]:
    """Where a module imports a db write function or calls one through an imported db module."""
    aliases: dict[str, str] = {}  # local name -> db submodule
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        source = node.module.split(".")
        if source[-1] == "db" or (len(source) > 1 and source[-2] == "db"):
            submodule = source[-1] if source[-1] != "db" else None
            for alias in node.names:
                if submodule is None and alias.name in writes:
                    aliases[alias.asname or alias.name] = alias.name
                elif submodule is not None and alias.name in writes.get(submodule, ()):
                    found.append((node.lineno, f"imports {submodule}.{alias.name}"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr in writes[aliases[node.value.id]]
        ):
            found.append((node.lineno, f"uses {aliases[node.value.id]}.{node.attr}"))
    return found


def _transaction_uses(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "transaction" for a in node.names):
            found.append((node.lineno, "imports transaction"))
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("transaction", "commit", "rollback", "atomic"):
                found.append((node.lineno, f"calls {name}()"))
            for arg in node.args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if TRANSACTION_SQL.match(arg.value):
                        found.append((node.lineno, f"executes {arg.value.split()[0]!r}"))
        elif isinstance(node, ast.With):
            for item in node.items:
                target = item.context_expr
                if isinstance(target, ast.Attribute) and target.attr == "conn":
                    found.append((node.lineno, "with db.conn: (commits)"))
    return found


@pytest.fixture(scope="module")
def writes():
    return db_writes()


def test_the_write_finder_tells_writes_from_reads(writes):
    assert {"create_walk", "set_state", "add_walker", "update_walk"} <= writes["walks"]
    assert "record" in writes["audit_log"] and "update_measure" in writes["measures"]
    assert "insert_chunk" in writes["tracks"] and "delete_chunks" in writes["tracks"]
    assert "save_districts" in writes["areas"] and "save_places" in writes["places"]
    for reads in ("get_walk", "list_walks", "walk_place_ids"):
        assert reads not in writes["walks"]
    assert "iter_filtered" not in writes.get("audits", set())
    assert "exports" not in writes and "dashboard" not in writes


def test_db_functions_never_open_or_commit_a_transaction():
    """Only db/__init__.py defines transaction(); migrations run their own."""
    found = [
        f"{path}:{line}: {what}"
        for path, tree in _modules(DB).items()
        if not path.endswith("__init__.py")
        for line, what in _transaction_uses(tree)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("folder", ["views", "commands"])
def test_views_and_commands_neither_open_a_transaction_nor_write_through_db(folder, writes):
    found = [
        f"{path}:{line}: {what}"
        for path, tree in _modules(WALKAPP / folder).items()
        for line, what in [*_transaction_uses(tree), *_db_write_uses(tree, writes)]
    ]
    assert not found, (
        "a view or command writes through its word module (walkapp/<word>.py), which owns the "
        "transaction and the audit entry:\n" + "\n".join(found)
    )


def test_views_and_commands_never_call_a_step_meant_for_inside_a_transaction():
    """`*_within` functions run inside their caller's transaction: only word modules call them."""
    found = [
        f"{path}:{node.lineno}: {node.attr if isinstance(node, ast.Attribute) else node.id}"
        for folder in ("views", "commands")
        for path, tree in _modules(WALKAPP / folder).items()
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr.endswith("_within"))
        or (isinstance(node, ast.Name) and node.id.endswith("_within"))
    ]
    assert not found, "\n".join(found)


def test_the_finders_see_what_they_look_for():
    sample = ast.parse(
        "from ..db import get_db, transaction\n"
        "from ..db import walks as walks_db\n"
        "from ..db.measures import update_measure\n"
        "def view(db):\n"
        "    with transaction(db):\n"
        "        walks_db.set_state(db, 'x', 'closed')\n"
        "    db.execute('begin immediate')\n"
        "    db.conn.commit()\n"
        "    walks_db.get_walk(db, 'x')\n"
    )
    writes = db_writes()
    uses = [what for _line, what in [*_transaction_uses(sample), *_db_write_uses(sample, writes)]]
    assert uses.count("imports transaction") == 1
    assert "calls transaction()" in uses and "executes 'begin'" in uses and "calls commit()" in uses
    assert "uses walks.set_state" in uses and "imports measures.update_measure" in uses
    assert not any("get_walk" in what for what in uses)


def test_the_one_transaction_is_db_transaction_with_the_write_lock(tmp_path):
    """Word modules call walkapp.db.transaction(db): BEGIN IMMEDIATE under the flock write lock."""
    database = connect(tmp_path / "x.db")
    try:
        with transaction(database):
            assert database.conn.in_transaction
        assert not database.conn.in_transaction
        assert db_package.transaction is transaction
    finally:
        database.close()
