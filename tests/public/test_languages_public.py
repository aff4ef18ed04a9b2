"""The public page in each resident language: counts, the promise's texts, sharing meta."""

from __future__ import annotations

import re

import pytest

from walkapp import measures

from .seeding import add_finding, seed_walk

COUNTS = (0, 1, 2, 5, 11, 100)
# Swedish words that a count's phrase on the public page would show if it fell back.
SWEDISH = ("åtgärdad", "iakttagelse", "saker", "sak ", "fungerar", "insats", "trygghetsvandring")


def _seed_counts(db) -> None:
    """One closed 2022 walk per count, with that many findings, all but none of them fixed."""
    for day, n in enumerate(COUNTS, start=1):
        walk = seed_walk(db, f"2022-04-{day:02d}T18:30")
        ids = [add_finding(db, walk["id"], None) for _ in range(n)]
        for observation_id in ids[: max(0, n - 1)]:
            measures.set_status(db, observation_id, "done", None)


@pytest.mark.parametrize("code", ["fi", "ar", "fa", "so"])
def test_counts_on_the_public_page_are_in_the_readers_language(db, client, code):
    _seed_counts(db)
    client.set_cookie("lang", code)
    html = client.get("/promise/2022").get_data(as_text=True)
    walks = re.search(r'<ul class="walks">(.*?)</ul>', html, re.S).group(1)
    numbers = re.findall(r'<span class="numbers">(.*?)</span>', walks, re.S)
    assert len(numbers) == len(COUNTS)
    for line in numbers:
        assert not [w for w in SWEDISH if w in line], (code, line)
    hero = re.search(r'<ul class="headline".*?</ul>', html, re.S).group(0)
    assert not [w for w in SWEDISH if w in hero], (code, hero)



@pytest.mark.parametrize(
    ("code", "locale"),
    [("sv", "sv_SE"), ("en", "en_GB"), ("fi", "fi_FI"), ("ar", "ar"), ("fa", "fa_IR"), ("so", "so_SO")],
)
def test_the_shared_page_names_its_language_for_link_previews(client, code, locale):
    client.set_cookie("lang", code)
    page = client.get("/promise/2022").get_data(as_text=True)
    assert f'<meta property="og:locale" content="{locale}">' in page
