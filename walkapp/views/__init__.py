"""Blueprints: every module in this package with a `bp` is registered.

Each view declares who may use it with walkapp.access.requires.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Flask
from flask_babel import get_locale

from ..access import current_user
from . import errors


def blueprint_modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "bp"):
            yield module


def register_views(app: Flask) -> None:
    for module in blueprint_modules():
        app.register_blueprint(module.bp)
    errors.register(app)

    @app.context_processor
    def template_globals():
        return {"current_user": current_user(), "current_locale": str(get_locale() or "sv")}
