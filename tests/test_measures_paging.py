"""The measures list's pages for every organisation (the instance's admin) are read partner by
partner (db/measures._page_partners): each page must be exactly the slice of the whole list in
its order, whatever the page size, offset and filter."""

from __future__ import annotations

import pytest

from tests.test_coordinators import SERGEL, add_observation, partner_id
from walkapp.db import measures as measures_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db

FILTERS = [
    {},
    {"statuses": ("new", "assigned", "planned")},
    {"statuses": ("done",)},
    {"overdue_on": "2026-12-01"},
    {"partner_id": "first"},
]


@pytest.fixture
def listed(db):
    """31 findings: partners Äldreboendet, Bostadsbolaget, Trafikkontoret (not in id order by
    name), some with the same deadline, some with none, and some with no partner yet."""
    walk = walks_db.create_walk(db, title="Kväll", starts_at="2026-11-24T18:00", place_ids=[1])
    names = ("Trafikkontoret", "Äldreboendet", "Bostadsbolaget")
    partners = [partner_id(db, name) for name in names]
    for i in range(31):
        found = add_observation(db, walk["id"], *SERGEL, when=f"2026-11-24T18:{i:02d}:00+00:00")
        if i % 5 == 4:
            continue  # nobody's yet
        changes = {"status": ("assigned", "planned", "done")[i % 3],
                   "partner_id": partners[i % 3]}  # fmt: skip
        if changes["status"] == "planned":
            changes["deadline"] = ("2026-11-30", "2026-12-20")[i % 2]
        with transaction(db):
            measures_db.update_measure(db, found, None, changes)
    return partners


@pytest.mark.parametrize("filters", FILTERS)
def test_every_page_is_the_slice_of_the_whole_list(db, listed, filters):
    if filters.get("partner_id") == "first":
        filters = {"partner_id": listed[1]}
    whole = [row["id"] for row in measures_db.filtered_observations(db, **filters)]
    assert whole, filters
    assert len(whole) == measures_db.count_filtered(db, **filters)
    for size in (1, 4, 7, 100):
        for offset in range(0, len(whole) + 3):
            page = measures_db.filtered_observations(db, **filters, page=(size, offset))
            assert [row["id"] for row in page] == whole[offset:offset + size], (size, offset)
