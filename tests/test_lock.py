"""The lock files in requirements/ agree with pyproject.toml, and the suite runs on the lock.

`bash scripts/lock.sh` writes one lock per install (app, replication, test, docs, bench) with
exact versions and hashes; these tests read the files only (no network), so a dependency added
to pyproject.toml without re-running the lock, or a lock edited by hand, fails here.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements"
SCRIPT = ROOT / "scripts" / "lock.sh"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _extras_of_each_lock() -> dict[str, list[str]]:
    """lock.sh's table: lock file name -> the pyproject extras it holds besides the app."""
    table = re.findall(r'^\s*\[(\w+)\]="([^"]*)"', SCRIPT.read_text(), flags=re.M)
    return {name: extras.split() for name, extras in table}


EXTRAS = _extras_of_each_lock()


def _read_lock(path: Path) -> dict[str, dict]:
    """name -> {"version", "hashes", "via"} of every pinned line of a uv/pip-compile lock."""
    entries: dict[str, dict] = {}
    current = None
    in_via = False
    for line in path.read_text().splitlines():
        pinned = re.match(r"^([A-Za-z0-9._-]+)==(\S+)", line)
        if pinned:
            name = canonicalize_name(pinned.group(1))
            current = entries[name] = {"version": pinned.group(2), "hashes": [], "via": []}
            in_via = False
        elif current is None:
            continue
        elif hashed := re.match(r"^\s+--hash=sha256:([0-9a-f]{64})", line):
            current["hashes"].append(hashed.group(1))
        elif via := re.match(r"^\s+# via\s*(.*)$", line):
            in_via = True
            if via.group(1):
                current["via"].append(via.group(1).strip())
        elif in_via and (more := re.match(r"^\s+#\s{3}(.+)$", line)):
            current["via"].append(more.group(1).strip())
        else:
            in_via = False
    return entries


def _declared(extras: list[str]) -> list[Requirement]:
    wanted = [Requirement(r) for r in PROJECT["dependencies"]]
    for extra in extras:
        wanted += [Requirement(r) for r in PROJECT["optional-dependencies"][extra]]
    return wanted


def test_each_extra_has_a_lock_and_each_lock_an_extra():
    assert set(EXTRAS) == {path.stem for path in LOCKS.glob("*.txt")}
    assert "" not in EXTRAS
    for extras in EXTRAS.values():
        assert set(extras) <= set(PROJECT["optional-dependencies"]), extras
    # Every extra is installed by some lock.
    assert set(PROJECT["optional-dependencies"]) <= {e for x in EXTRAS.values() for e in x}


@pytest.mark.parametrize("name", sorted(EXTRAS))
def test_every_declared_dependency_is_locked_at_a_version_it_admits(name):
    lock = _read_lock(LOCKS / f"{name}.txt")
    assert lock, name
    for requirement in _declared(EXTRAS[name]):
        if requirement.marker and not requirement.marker.evaluate({"python_version": "3.11"}):
            continue
        key = canonicalize_name(requirement.name)
        assert key in lock, f"{requirement} is not in requirements/{name}.txt: run scripts/lock.sh"
        version = lock[key]["version"]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements/{name}.txt has {key}=={version}, pyproject.toml asks {requirement}: "
            "run scripts/lock.sh"
        )


@pytest.mark.parametrize("name", sorted(EXTRAS))
def test_nothing_is_locked_that_nothing_asks_for(name):
    lock = _read_lock(LOCKS / f"{name}.txt")
    declared = {canonicalize_name(r.name) for r in _declared(EXTRAS[name])}
    for key, entry in lock.items():
        assert entry["hashes"], f"{key} in requirements/{name}.txt has no hash"
        assert entry["via"], f"{key} in requirements/{name}.txt says nothing needs it"
        from_project = any(v.startswith("walkapp") for v in entry["via"])
        assert from_project == (key in declared), (
            f"{key} in requirements/{name}.txt: pyproject.toml and the lock disagree on whether "
            "walkapp asks for it: run scripts/lock.sh"
        )
        needed_by = [canonicalize_name(v) for v in entry["via"] if not v.startswith("walkapp")]
        assert set(needed_by) <= set(lock), (key, needed_by)


def test_the_lock_holds_the_app_as_pinned_in_every_install():
    """The app's own pins are the same in every lock, so tests run what production runs."""
    app = _read_lock(LOCKS / "app.txt")
    for name in EXTRAS:
        lock = _read_lock(LOCKS / f"{name}.txt")
        for key, entry in app.items():
            assert lock[key]["version"] == entry["version"], (name, key)


def test_this_suite_runs_on_the_test_lock():
    """A virtual environment from before a lock change stays green elsewhere and fails only on
    a fresh machine: scripts/test.sh installs requirements/test.txt; run it (or its pip line)."""
    stale = []
    for key, entry in _read_lock(LOCKS / "test.txt").items():
        try:
            installed = metadata.version(key)
        except metadata.PackageNotFoundError:
            stale.append(f"{key} missing (lock: {entry['version']})")
            continue
        if Version(installed) != Version(entry["version"]):
            stale.append(f"{key} {installed} (lock: {entry['version']})")
    assert not stale, "the environment is not the lock's: " + ", ".join(stale)
