"""The region view: organisations compared (walkapp/region.py), as a page and as CSV, for a region
user (the organisations its areas cover) and the instance's admin (every one)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _

from .. import clock, region
from ..access import REGION, requires, scope
from ..db import get_db
from ..exports.csv import excel_csv
from ..vocabulary import RELATIONS
from .public import links

bp = Blueprint("region", __name__)


def _year() -> int:
    """The year `?year=` names (this year without one), or a 400 saying which years there are."""
    today = clock.today()
    year = region.year_of(request.args.get("year"), today)
    if year is None:
        first, last = region.years_allowed(today)
        abort(
            400,
            description=_(
                "Året ska vara ett årtal från %(first)s till %(last)s, till exempel"
                " ?year=%(year)s.",
                first=first,
                last=last,
                year=today.year,
            ),
        )
    return year


@bp.get("/region")
@requires(REGION)
def index():
    db = get_db()
    year = _year()
    today = clock.today()
    table = region.compare(db, year, today, scope())
    return render_template(
        "region/index.html",
        table=table,
        # Each organisation's name leads to its public page.
        public_pages={row["organisation"]["id"]: links(row["organisation"])["home"]
                      for row in table["rows"]},  # fmt: skip
        years=region.years_offered(db, year, today, scope()),
        place_kinds=region.PLACE_KINDS,
        place_kind_labels=RELATIONS,
    )


@bp.get("/region.csv")
@requires(REGION)
def download():
    year = _year()
    table = region.compare(get_db(), year, clock.today(), scope())
    return Response(
        excel_csv(region.CSV_COLUMNS, region.csv_rows(table)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="arrangorer-{year}.csv"'},
    )
