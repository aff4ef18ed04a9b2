"""Blueprints: every module in this package with a `bp` (its screens) or an `api` (its JSON API
under /api, CSRF-exempt: walker calls authenticate by token) is registered.

Each view declares who may use it with walkapp.access.requires.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Flask
from flask_babel import get_locale
from werkzeug.routing import IntegerConverter

from .. import clock, colours, languages, map_controls, vocabulary
from ..access import compares_organisations, current_user
from ..extensions import screen_family
from ..inputs import MAX_ID
from ..promises import PACE_LABELS
from . import errors


class IdConverter(IntegerConverter):
    """`<int:…>` in our URLs: a positive id SQLite can hold; anything longer is a 404, not the
    OverflowError (a 500) of binding 99999999999999999999."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def blueprint_modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "bp") or hasattr(module, "api"):
            yield module


def register_views(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter  # before any rule is added
    for module in blueprint_modules():
        for blueprint in (getattr(module, "bp", None), getattr(module, "api", None)):
            if blueprint is not None:
                app.register_blueprint(blueprint)
    errors.register(app)
    # Everything a person reads is Stockholm time (walkapp.clock).
    for name in ("local_time", "local_moment", "local_day"):
        app.add_template_filter(getattr(clock, name), name)

    @app.context_processor
    def template_globals():
        locale = str(get_locale() or languages.DEFAULT)
        return {
            "current_user": current_user(),
            # The region view's link, for those who may open it (the rule: walkapp.access).
            "compares_organisations": compares_organisations(current_user()),
            "current_locale": locale,
            "text_direction": languages.direction(locale),
            "og_locale": languages.og_locale(locale),
            "direction_of": languages.direction,
            "language_name": lambda code: languages.display_name(code, locale),
            # The switch offers the languages of this screen's family, each named in itself.
            "language_choices": languages.choices(languages.FAMILIES[screen_family()]),
            # The product's rules, from their one module: no status list is written in a template.
            "OPEN_STATUSES": vocabulary.OPEN_STATUSES,
            "FIXED_STATUSES": vocabulary.FIXED_STATUSES,
            "STATUS_FIELDS": vocabulary.STATUS_FIELDS,
            "STATUS_REQUIRES": vocabulary.STATUS_REQUIRES,
            "RATING_COLOURS": vocabulary.RATING_COLOURS,
            "WALK_STATES": vocabulary.WALK_STATES,
            # The colours static CSS and JS read as custom properties (walkapp.colours).
            "colour_css": colours.root_css(),
            "PACE_LABELS": PACE_LABELS,
            "POSITION_SOURCES": vocabulary.POSITION_SOURCES,
            # Leaflet's controls on every JS map, in the reader's words. Corners as for a left to
            # right page: app.css mirrors Leaflet's corners on a right-to-left one.
            "map_controls": lambda: map_controls.options(map_controls.WORDS, scale=False),
        }
