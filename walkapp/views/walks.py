"""Coordinators plan and run walks: list, plan/edit, the walk page with join code and QR code,
state changes, the live list of arriving observations, and the walk protocol (page and CSV)."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup

from .. import calendars, clock, organisations, rewalks, settings, walks
from ..access import COORDINATOR, current_user, reads_only, requires, scope
from ..db import get_db
from ..db import measures as measures_db
from ..db import organisations as organisations_db
from ..db import places as places_db
from ..db import rewalks as rewalks_db
from ..db import walks as walks_db
from ..exports.csv import excel_csv
from ..forms import WalkForm
from ..measures import CHECK_ANSWERS, good_observations, walker_groups
from ..public import local_datetime
from ..vocabulary import (
    CATEGORIES,
    LIGHT_CONDITIONS,
    MEASURE_STATUSES,
    RATING_COLOURS,
    RATINGS,
)
from ..walkers import token_expiry_day
from .routes import route_from_form
from .shared import found_or_404, paging, readable_places

bp = Blueprint("walks", __name__)
# The words the walk page and the protocol show for keys.
LABELS = {
    "categories": CATEGORIES,
    "ratings": RATINGS,
    "statuses": MEASURE_STATUSES,
    "lights": LIGHT_CONDITIONS,
}

NEXT_STATE = {"planned": "ongoing", "ongoing": "closed", "closed": "ongoing"}


def _walk_or_404(walk_id: str) -> dict:
    walk = found_or_404(walks_db.get_walk(get_db(), walk_id))
    return walk


def join_url(walk: dict) -> str:
    base = settings.current().public_url or request.url_root
    return base.rstrip("/") + url_for("walkers.join", code=walk["code"])


def _form(walk: dict | None = None, owner: int | None = None) -> WalkForm:
    form = WalkForm()
    form.light.choices = [(key, str(label)) for key, label in LIGHT_CONDITIONS.items()]
    # The places of the walk's organisation (of the planner's, for a new walk; of the place's,
    # for its re-walk).
    db = get_db()
    if owner is None:
        owner = walk["organisation_id"] if walk else organisations.home_of(db, current_user())
    form.place_ids.choices = [
        (p["id"], p["name"]) for p in places_db.list_places(db, organisation_ids=[owner])
    ]
    # The other organisations, offered to the lead's people as co-organisers (no choices: the
    # field is not offered, and a save leaves the co-organisers as they are).
    form.co_organiser_ids.choices = []
    if walk is None or organisations.leads(current_user(), walk):
        form.co_organiser_ids.choices = [
            (oid, name) for oid, name in organisations_db.names(db).items() if oid != owner
        ]
    if walk is not None and request.method == "GET":
        form.co_organiser_ids.data = walks_db.co_organiser_ids(db, walk["id"])
        for key in walks_db.WALK_FIELDS:
            value = walk[key]
            if key in walks_db.INSTANTS:
                value = clock.for_input(value)
            getattr(form, key).data = bool(value) if key == "public" else value
        form.place_ids.data = walks_db.walk_place_ids(get_db(), walk["id"])
    return form


def _fields(form: WalkForm) -> dict:
    def moment(value):
        return clock.from_typed(value) if value else None

    return {
        "title": form.title.data.strip(),
        "starts_at": moment(form.starts_at.data),
        "light": form.light.data,
        "meeting_point": (form.meeting_point.data or "").strip(),
        "route_notes": (form.route_notes.data or "").strip(),
        "pre_meeting_at": moment(form.pre_meeting_at.data),
        "follow_up_at": moment(form.follow_up_at.data),
        "leader": (form.leader.data or "").strip(),
        "public": int(bool(form.public.data)),
    }


def _bounds() -> tuple[str, str]:
    """The date pickers' min and max: the same bounds check_walk_times enforces."""
    first, last = clock.planning_bounds(clock.today())
    return f"{first.isoformat()}T00:00", f"{last.isoformat()}T23:59"


def _valid(form: WalkForm) -> bool:
    """The form's own checks, then the walk's date rules beside their fields."""
    if not form.validate_on_submit():
        return False
    errors = walks.check_walk_times(
        form.starts_at.data, form.pre_meeting_at.data, form.follow_up_at.data, clock.today()
    )
    for field, message in errors.items():
        getattr(form, field).errors.append(str(message))
    return not errors


@bp.get("/walks")
@requires(COORDINATOR)
def index():
    db = get_db()
    pages = paging("walks.index", walks_db.count_walks(db, scope()), walks.LIST_ROWS)
    listed = walks_db.walks_with_counts(db, scope(), pages["window"])
    return render_template(
        "walks/index.html",
        walks=listed,
        # Joint walks the reader's organisation is asked to and has not answered: marked.
        invited=walks_db.invited_among(
            db, [w["id"] for w in listed], [own] if (own := current_user().get("organisation_id"))
            else None,
        ),  # fmt: skip
        paging=pages,
        **_calendar_links(db),
    )


def _calendar_links(db) -> dict:
    """The walks page's calendar addresses: the organisation's public feed, and its partners'
    feed once a coordinator made its key — for a coordinator or admin of an organisation (and
    an instance admin, for the first); a region user gets the public feed of all only."""
    user = current_user()
    every = url_for("calendars.public_feed", _external=True)
    if user["role"] not in ("coordinator", "admin"):
        return {"public_calendar": every, "partners_calendar": None, "calendar_key": False}
    home = organisations_db.get_organisation(db, organisations.home_of(db, user))
    if home is None:
        return {"public_calendar": every, "partners_calendar": None, "calendar_key": False}
    key = calendars.partners_key(db, home["id"])
    return {
        "public_calendar": url_for("calendars.organisation_feed", slug=home["slug"], _external=True),
        "partners_calendar": url_for("calendars.partners_feed", key=key, _external=True)
        if key
        else None,
        "calendar_key": True,
    }


def _create(form: WalkForm, route, organisation_id: int, follows=()) -> dict:
    fields = _fields(form)
    return walks.create(
        get_db(),
        title=fields.pop("title"),
        starts_at=fields.pop("starts_at"),
        place_ids=form.place_ids.data or [],
        created_by=current_user()["id"],
        route=route,
        organisation_id=organisation_id,
        follows=follows,
        co_organisers=form.co_organiser_ids.data or [],
        **fields,
    )


@bp.route("/walks/new", methods=["GET", "POST"])
@requires(COORDINATOR)
def new():
    form = _form()
    route, route_error = route_from_form()
    if _valid(form) and not route_error:
        walk = _create(form, route, organisations.home_of(get_db(), current_user()))
        flash(_("Vandringen är planerad."))
        return redirect(url_for("walks.show", walk_id=walk["id"]))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "walks/form.html", form=form, walk=None, bounds=_bounds(), route_error=route_error
    ), status


@bp.route("/places/<int:place_id>/rewalk", methods=["GET", "POST"])
@requires(COORDINATOR)
def rewalk(place_id: int):
    """The meeting's "Följ upp med ny vandring": the walk form filled in for a re-walk of the
    place (walkapp/rewalks.py), which follows up the walks held there."""
    if reads_only(current_user()):
        abort(403)  # a region user reads; this page is a write's form
    db = get_db()
    place = found_or_404(places_db.get_place(db, place_id))
    follows = rewalks.followed(
        walks_db.walks_for_place(db, place_id), rewalks_db.walks_carrying(db, place_id)
    )
    if not follows:
        flash(_("Ingen vandring har hållits här ännu, så det finns inget att följa upp."))
        return redirect(url_for("places.show", place_id=place_id))
    earlier = [walks_db.get_walk(db, walk_id) for walk_id in follows]
    form = _form(owner=place["organisation_id"])
    if request.method == "GET":
        for key, value in rewalks.plan(earlier[-1], clock.today()).items():
            getattr(form, key).data = value
        form.title.data = _("Uppföljning: %(place)s", place=place["name"])[:120]
        form.place_ids.data = [place_id]
        # Held together before, followed up together: the same co-organisers, ticked.
        offered = {value for value, _label in form.co_organiser_ids.choices}
        form.co_organiser_ids.data = [
            oid for oid in walks_db.co_organiser_ids(db, earlier[-1]["id"]) if oid in offered
        ]
    route, route_error = route_from_form()
    if _valid(form) and not route_error:
        walk = _create(form, route, place["organisation_id"], follows)
        flash(_("Uppföljningsvandringen är planerad."))
        return redirect(url_for("walks.show", walk_id=walk["id"]))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "walks/form.html",
        form=form,
        walk=None,
        bounds=_bounds(),
        route_error=route_error,
        follows=earlier,
        place=place,
        # The same places, the same way: the latest walk it follows up lends its route.
        route_from=earlier[-1]["id"],
    ), status


@bp.route("/walks/<walk_id>/edit", methods=["GET", "POST"])
@requires(COORDINATOR)
def edit(walk_id: str):
    walk = _walk_or_404(walk_id)
    if not organisations.leads(current_user(), walk):
        abort(403)  # a co-organiser's people: the lead's facts and places are the lead's to change
    form = _form(walk)
    route, route_error = route_from_form()
    if _valid(form) and not route_error:
        db = get_db()
        fields = _fields(form)
        walks.update(
            db,
            walk_id,
            fields,
            place_ids=form.place_ids.data or [],
            user_id=current_user()["id"],
            route=route if "route" in request.form else walks.UNCHANGED,
            co_organisers=(form.co_organiser_ids.data or [])
            if form.co_organiser_ids.choices
            else walks.UNCHANGED,
        )
        flash(_("Ändringarna är sparade."))
        return redirect(url_for("walks.show", walk_id=walk_id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "walks/form.html",
        form=form,
        walk=walk,
        bounds=_bounds(),
        route_error=route_error,
    ), status


def _organisers(walk: dict, co_organisers: list[dict]) -> list[dict]:
    """A walk's organisers, its lead first: [{id, name, lead, accepted}] (a co-organiser that
    has not said yes is only invited)."""
    lead = organisations_db.names(get_db()).get(walk["organisation_id"])
    return [
        *([{"id": walk["organisation_id"], "name": lead, "lead": True, "accepted": True}]
          if lead else []),
        *({"id": o["id"], "name": o["name"], "lead": False, "accepted": bool(o["accepted_at"])}
          for o in co_organisers),
    ]  # fmt: skip


@bp.get("/walks/<walk_id>")
@requires(COORDINATOR)
def show(walk_id: str):
    walk = _walk_or_404(walk_id)
    db = get_db()
    url = join_url(walk)
    qr = segno.make(url, error="m")
    places = [places_db.get_place(db, pid) for pid in walks_db.walk_place_ids(db, walk_id)]
    observations = measures_db.observations_for_walk(db, walk_id)
    co_organisers = walks_db.co_organisers(db, walk_id)
    organisers = _organisers(walk, co_organisers)
    return render_template(
        "walks/show.html",
        walk=walk,
        join_url=url,
        # segno writes the SVG from the URL alone: no user text in it.
        qr_svg=Markup(qr.svg_inline(scale=10, border=2, title=_("QR-kod för att gå med"))),
        places=[p for p in places if p],
        # A co-organiser reads the walk but not the lead's places: their names, without links.
        place_links=readable_places(p["id"] for p in places if p),
        organisers=organisers,
        may_edit=organisations.leads(current_user(), walk),
        declined=walks_db.declines(db, walk_id),
        may_run=organisations.runs(current_user(), walk, co_organisers),
        # The reader's organisation beside the lead: invited (it answers) or it said yes.
        here=next(
            (o for o in organisers
             if o["id"] == current_user().get("organisation_id") and not o["lead"]),
            None,
        ),  # fmt: skip
        walkers=walks_db.count_walkers(db, walk_id),
        walker_list=[
            {**row, "joined": local_datetime(row["joined_at"]).strftime("%Y-%m-%d %H:%M")}
            for row in walks_db.list_walkers(db, walk_id)
        ],
        tokens_expire=token_expiry_day(walk, settings.current().walker_token_days),
        token_days=settings.current().walker_token_days,
        groups=walker_groups(observations),
        total=len(observations),
        untriaged=measures_db.untriaged_queue(db, walk_id=walk_id),
        places_geojson=[p["geometry"] for p in places if p],
        follows=rewalks_db.follows(db, walk_id),
        followed_by=rewalks_db.followed_by(db, walk_id),
        checks=rewalks_db.checks_for_walk(db, walk_id),
        check_answers=CHECK_ANSWERS,
        rating_colours=RATING_COLOURS,
        next_state=NEXT_STATE[walk["state"]],
        **LABELS,
    )


@bp.post("/walks/<walk_id>/accept")
@requires(COORDINATOR)
def accept(walk_id: str):
    """An invited co-organiser's coordinator or admin says yes: the joint walk counts as theirs
    too from now on (public page, calendar, promise). A second yes changes nothing."""
    walk = _walk_or_404(walk_id)
    user = current_user()
    organisation = user.get("organisation_id")
    if reads_only(user) or organisation not in walks_db.co_organiser_ids(get_db(), walk["id"]):
        abort(403)  # not a co-organiser's person (the lead invites on the form)
    if walks.accept(get_db(), walk["id"], organisation, user["id"]):
        flash(_("Ni arrangerar nu vandringen %(title)s tillsammans.", title=walk["title"]))
    else:
        flash(_("Ni hade redan tackat ja till vandringen %(title)s.", title=walk["title"]))
    return redirect(url_for("walks.show", walk_id=walk["id"]), code=303)


@bp.post("/walks/<walk_id>/leave")
@requires(COORDINATOR)
def leave(walk_id: str):
    """A co-organiser's coordinator or admin takes their organisation off a joint walk, or says
    no to the lead's invitation. The walk is then not theirs (a 404 to them after)."""
    walk = _walk_or_404(walk_id)
    user = current_user()
    if reads_only(user) or not (
        gone := walks.leave(get_db(), walk["id"], user.get("organisation_id"), user["id"])
    ):
        abort(403)  # not a co-organiser's person (the lead changes the list on the form)
    if gone == "declined":
        flash(_("Ni har tackat nej till vandringen %(title)s.", title=walk["title"]))
    else:
        flash(_("Er organisation arrangerar inte längre vandringen %(title)s.",
                title=walk["title"]))  # fmt: skip
    return redirect(url_for("walks.index"), code=303)


@bp.post("/walks/<walk_id>/state")
@requires(COORDINATOR)
def change_state(walk_id: str):
    walk = _walk_or_404(walk_id)
    if not organisations.runs(current_user(), walk, walks_db.co_organisers(get_db(), walk["id"])):
        abort(403)  # an invited co-organiser that has not said yes
    target = request.form.get("state", "")
    if not walks.change_state(get_db(), walk["id"], target, current_user()["id"]):
        flash(_("Den statusändringen går inte att göra."))
        return redirect(url_for("walks.show", walk_id=walk_id)), 303
    return redirect(url_for("walks.show", walk_id=walk_id))


@bp.get("/walks/<walk_id>/observations.json")
@requires(COORDINATOR)
def live(walk_id: str):
    """What the walk page polls while the walk is on (no full reload)."""
    _walk_or_404(walk_id)
    db = get_db()
    rows = measures_db.observations_for_walk(db, walk_id)
    groups = {group["lead"]["id"]: group for group in walker_groups(rows)}
    return jsonify(
        {
            "walkers": walks_db.count_walkers(db, walk_id),
            "groups": [
                {
                    "id": lead_id,
                    "walkers": group["walkers"],
                    "members": [m["id"] for m in group["merged"] + group["candidates"]],
                }
                for lead_id, group in groups.items()
                if group["walkers"] > 1
            ],
            "observations": [
                {
                    "id": row["id"],
                    "category": str(CATEGORIES.get(row["category"], row["category"])),
                    "rating": row["rating"],
                    "rating_label": str(RATINGS[row["rating"]]),
                    "note": row["note"],
                    "lon": row["lon"],
                    "lat": row["lat"],
                    "recorded_at": clock.offset_time(row["recorded_at"]),
                    "time": clock.local_time(row["recorded_at"]),
                    "place": row["place_name"] or _("utanför prioriterade platser"),
                    "status": str(MEASURE_STATUSES[row["status"]]),
                    "partner": row["partner_name"],
                    "triage_url": url_for("measures.triage", observation_id=row["id"]),
                }
                for row in rows
            ],
        }
    )


@bp.get("/walks/<walk_id>/protocol")
@requires(COORDINATOR)
def protocol(walk_id: str):
    walk = _walk_or_404(walk_id)
    db = get_db()
    observations = measures_db.observations_for_walk(db, walk_id)
    groups = walks.protocol_groups(observations)
    return render_template(
        "walks/protocol.html",
        walk=walk,
        groups=groups,
        good=good_observations(observations),
        count=walks.protocol_count(observations),
        walkers=walks_db.count_walkers(db, walk_id),
        places=[
            places_db.get_place(db, pid)["name"] for pid in walks_db.walk_place_ids(db, walk_id)
        ],
        **LABELS,
    )


@bp.get("/walks/<walk_id>/protocol.csv")
@requires(COORDINATOR)
def protocol_csv(walk_id: str):
    walk = _walk_or_404(walk_id)
    rows = walks.protocol_rows(measures_db.observations_for_walk(get_db(), walk_id))
    filename = f"protokoll-{clock.local_day(walk['starts_at'])}-{walk['code']}.csv"
    return Response(
        excel_csv(walks.PROTOCOL_COLUMNS, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
