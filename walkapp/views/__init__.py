"""Blueprints. Each view declares who may use it with walkapp.access.requires."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

from ..access import current_user
from . import auth, errors, main

BLUEPRINTS = (main, auth)


def register_views(app: Flask) -> None:
    for module in BLUEPRINTS:
        app.register_blueprint(module.bp)
    errors.register(app)

    @app.context_processor
    def template_globals():
        return {"current_user": current_user(), "current_locale": str(get_locale() or "sv")}
