"""The benchmarks stay runnable: each script imports (a renamed module once broke one unseen).
Their figures are theirs to print (benchmarks/, docs/developers/benchmarks.md), never asserted."""

from __future__ import annotations

import importlib.util

import pytest

from walkapp.settings import ROOT

SCRIPTS = sorted((ROOT / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_the_benchmark_imports(script):
    spec = importlib.util.spec_from_file_location(f"benchmark_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if '__name__ == "__main__"' in script.read_text():  # a script, not ingest's helper module
        assert callable(getattr(module, "main", None)), f"{script.name} has no main()"
