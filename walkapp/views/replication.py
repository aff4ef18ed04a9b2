"""The admin's status page: each check of `/healthz` (database, disk, the rate-limit store and
the replica) in words, then the replica's state — the last replicated transaction, its age, and
a warning when the replica does not keep up (the same facts as `walkapp status`)."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, render_template

from .. import health, replication, settings
from ..access import ADMIN, requires
from ..clock import STOCKHOLM
from .health import checks

bp = Blueprint("replication", __name__)


@bp.get("/admin/replication")
@requires(ADMIN)
def status():
    url = settings.current().replica_url
    state, error = None, None
    found = checks(replication=False)
    if url:
        try:
            state = replication.state(settings.current().instance, url)
        except replication.ReplicationError as problem:
            error = str(problem)
        found["replication"] = health.replication_check(state, error)
    else:
        found["replication"] = health.check_replication(settings.current().instance, url)
    response = current_app.make_response(
        render_template(
            "replication/status.html",
            checks=found,
            worst=health.worst(found),
            url=url,
            state=state,
            error=error,
            replicated_at=_stockholm(state.replicated_at) if state else None,
            lag_warning_s=replication.LAG_WARNING_S,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _stockholm(moment: str | None) -> str | None:
    if not moment:
        return None
    local = datetime.fromisoformat(moment).astimezone(STOCKHOLM)
    return local.strftime("%Y-%m-%d %H:%M:%S")
