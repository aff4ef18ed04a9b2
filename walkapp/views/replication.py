"""Replication state for admins: the last replicated transaction, its age, and a warning when
the replica does not keep up (the same facts as `walkapp status`)."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, render_template

from .. import replication, settings
from ..access import ADMIN, requires
from ..clock import STOCKHOLM

bp = Blueprint("replication", __name__)


@bp.get("/admin/replication")
@requires(ADMIN)
def status():
    url = settings.current().replica_url
    state, error = None, None
    if url:
        try:
            state = replication.state(settings.current().instance, url)
        except replication.ReplicationError as problem:
            error = str(problem)
    response = current_app.make_response(
        render_template(
            "replication/status.html",
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
