"""`/healthz`: each check of walkapp/health.py as JSON, 503 when one fails; and the disk-space
floor in front of every write (a 507 with a message, walkapp/views/errors.py)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from .. import health, settings
from ..access import PUBLIC, requires
from ..db import get_db

bp = Blueprint("health", __name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Signing in and out stays possible under the floor (a session row is a few bytes): an admin
# must be able to sign in to look, and to delete; removing a photo frees its file and bytes.
FLOOR_EXEMPT = frozenset({"auth.login", "auth.logout", "photos_api.remove_photo"})


@bp.before_app_request
def keep_the_floor():
    if request.method in WRITE_METHODS and request.endpoint not in FLOOR_EXEMPT:
        environment = settings.current()
        health.ensure_room(
            environment.instance, environment.min_free_bytes, request.content_length or 0
        )


def checks(replication: bool = True) -> dict[str, health.Check]:
    """/healthz's checks; the admin's status page, which reads Litestream itself, passes
    replication=False."""
    environment = settings.current()
    found = {
        "database": health.check_database(
            get_db, current_app.extensions["walkapp_database_at_start"].result()
        ),
        "disk": health.check_disk(environment.instance, environment.min_free_bytes),
        "rate_limits": health.check_rate_limits(
            environment.ratelimit_enabled, environment.ratelimit_storage_uri
        ),
    }
    if replication:
        found["replication"] = health.check_replication(
            environment.instance, environment.replica_url, wait=False
        )
    return found


@bp.get("/healthz")
@requires(PUBLIC)
def healthz():
    body = health.report(checks())
    response = jsonify(body)
    response.status_code = 503 if body["status"] == health.FAILING else 200
    response.headers["Cache-Control"] = "no-store"
    return response
