"""What several blueprints share: export filters from the query, photo links, streamed rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask import (
    abort,
    jsonify,
    request,
)

from ..db import connect, database_path
from ..exports.filters import BadFilter, Filters, parse_filters

GEOJSON = "application/geo+json"


def filters_or_400(**fixed) -> Filters:
    """The request's export filters (with `fixed` ones set), or a 400 naming each bad one."""
    try:
        filters = parse_filters(request.args)
    except BadFilter as bad:
        errors = {name: str(message) for name, message in bad.errors.items()}
        response = jsonify({"error": " ".join(errors.values()), "errors": errors})
        response.status_code = 400
        abort(response)
    for key, value in fixed.items():
        setattr(filters, key, value)
    return filters


def photo_url(row: dict, host: str) -> str | None:
    """Only for callers who may see photos: every caller of these routes is staff."""
    if not row["photo_ids"]:
        return None
    return f"{host}observations/{row['id']}/photos/{row['photo_ids'][0]}.jpg"


def streamed_rows(app, query) -> Iterator[dict]:
    """Rows from a connection of their own: the stream outlives the request's context."""
    db = connect(database_path(app))
    try:
        yield from query(db)
    finally:
        db.close()


def download_name(stem: str, extension: str) -> str:
    return f"walkapp-{stem}-{date.today().isoformat()}.{extension}"
