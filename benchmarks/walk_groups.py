"""A walk's groups (walkapp.measures.walker_groups: the same thing recorded by several walkers),
as the walk page, the protocol and its count build them, at OBSERVATIONS observations of one
walk around Sergels torg.

Prints walkapp's grid (positions projected once, each observation compared with those in the
neighbouring SAME_FINDING_M cells) beside comparing every observation with every other (the rule
as first written: a walk of 10 000 took 23 s), checks both find the same groups, and prints the
ratio. Run from the repository root: python benchmarks/walk_groups.py [OBSERVATIONS]. The last
line is JSON.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from walkapp.measures import SAME_FINDING_M, walker_groups  # noqa: E402
from walkapp.places import metres_between  # noqa: E402


def walk(n: int) -> list[dict]:
    rng = random.Random(1)
    return [
        {
            "id": f"o{i:06d}",
            "lon": 18.0649 + rng.uniform(-0.01, 0.01),
            "lat": 59.3326 + rng.uniform(-0.005, 0.005),
            "category": rng.choice(["lighting", "litter", "graffiti", "sightlines", "path"]),
            "walker_id": f"w{rng.randrange(30)}",
            "status": "new",
            "duplicate_of": None,
        }
        for i in range(n)
    ]


def every_pair(rows: list[dict]) -> list[tuple[str, list[str]]]:
    taken, groups = set(), []
    for lead in rows:
        if lead["id"] in taken:
            continue
        taken.add(lead["id"])
        near = [
            o
            for o in rows
            if o["id"] not in taken
            and o["category"] == lead["category"]
            and o["walker_id"] != lead["walker_id"]
        ]
        far = metres_between((lead["lon"], lead["lat"]), [(o["lon"], o["lat"]) for o in near])
        same = [o["id"] for o, d in zip(near, far) if d <= SAME_FINDING_M]
        taken.update(same)
        groups.append((lead["id"], same))
    return groups


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rows = walk(n)
    start = time.perf_counter()
    ours = [(g["lead"]["id"], [c["id"] for c in g["candidates"]]) for g in walker_groups(rows)]
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    naive = every_pair(rows)
    naive_s = time.perf_counter() - start
    print(f"{n} observations of one walk, {len(ours)} groups")
    print(f"walkapp grid:      {ours_s * 1000:.0f} ms")
    print(f"every pair:        {naive_s * 1000:.0f} ms")
    print(
        json.dumps(
            {
                "benchmark": "walk_groups",
                "observations": n,
                "walkapp_ms": round(ours_s * 1000, 1),
                "every_pair_ms": round(naive_s * 1000, 1),
                "ratio": round(naive_s / ours_s, 1),
                "same_groups": ours == naive,
            }
        )
    )


if __name__ == "__main__":
    main()
