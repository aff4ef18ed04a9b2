"""Route paths are English; the Swedish paths of earlier versions keep working by redirecting
(bookmarks, printed instructions). GET moves permanently (301); a form posted to an old path
is re-sent to the new one with its method and body (308)."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from ..access import ACCOUNT, ADMIN, COORDINATOR, PUBLIC, requires

bp = Blueprint("old_paths", __name__)

# old rule -> (endpoint it now lives at, role of that endpoint)
MOVED = {
    "/dashboard/insatser": ("dashboard.activities", COORDINATOR),
    "/dashboard/insatser/<int:activity_id>/ta-bort": ("dashboard.delete_activity", COORDINATOR),
    "/admin/medborgarloften": ("promises.index", ADMIN),
    "/admin/medborgarloften/<int:promise_id>": ("promises.edit", ADMIN),
    "/admin/medborgarloften/<int:promise_id>/ataganden": ("promises.add_commitment", ADMIN),
    "/admin/medborgarloften/<int:promise_id>/ataganden/<int:commitment_id>/ta-bort": (
        "promises.delete_commitment",
        ADMIN,
    ),
    "/konto/losenord": ("auth.change_password", ACCOUNT),
    "/admin/anvandare": ("users.index", ADMIN),
    "/admin/anvandare/<int:user_id>/losenord": ("users.reset_password", ADMIN),
    "/admin/anvandare/<int:user_id>/aktiv": ("users.set_active", ADMIN),
    "/admin/anvandare/<int:user_id>/logga-ut": ("users.sign_out_everywhere", ADMIN),
    "/admin/replikering": ("replication.status", ADMIN),
    # Printed on posters and sent to walkers: a plain redirect, the new path checks the token.
    "/j/<code>/uppfoljning": ("follow_up.page", PUBLIC),
    "/medborgarloftet/<int:year>": ("public.year_page", PUBLIC),
    "/medborgarloftet/<int:year>/data.json": ("public.year_data", PUBLIC),
    "/walks/<walk_id>/affisch": ("posters.walk_poster", COORDINATOR),
}


def _mover(endpoint: str, role: str):
    @requires(role)
    def moved(**values):
        target = url_for(endpoint, **values)
        if request.query_string:
            target += "?" + request.query_string.decode("latin-1")
        return redirect(target, code=301 if request.method == "GET" else 308)

    moved.__name__ = "moved_" + endpoint.replace(".", "_")
    return moved


for _rule, (_endpoint, _role) in MOVED.items():
    bp.add_url_rule(_rule, view_func=_mover(_endpoint, _role), methods=["GET", "POST"])
