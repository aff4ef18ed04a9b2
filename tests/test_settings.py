"""Settings: each declared once (a field of `Settings`), typed, and the docs follow the declarations."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from walkapp import create_app
from walkapp.settings import DEFAULTS, ROOT, SETTINGS, Settings, current, from_environment


def test_the_docs_table_and_the_env_example_follow_the_declarations():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "settings_docs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_every_setting_is_declared_once_with_a_type_and_a_help_text():
    assert [s.name.lower() for s in SETTINGS] == [f.name for f in fields(Settings)]
    assert set(DEFAULTS) == {s.name for s in SETTINGS}
    for declared in SETTINGS:
        assert declared.type in {"int", "float", "bool", "str", "str | None", "Path"}, declared
        assert declared.help.strip(), f"{declared.variable} has no help text"


def test_settings_are_typed_once_from_text(tmp_path: Path):
    values = {**DEFAULTS, "INSTANCE": str(tmp_path), "SESSION_HOURS": "3", "SECURE_COOKIES": "yes"}
    settings = Settings.from_values(values)
    assert settings.session_hours == 3 and settings.secure_cookies is True
    assert settings.photo_folder == tmp_path.resolve() / "photos"


@pytest.mark.parametrize(
    ("variable", "text", "attribute", "value"),
    [
        ("WALKAPP_NEAR_DISTANCE_M", "75.5", "near_distance_m", 75.5),
        ("WALKAPP_RATELIMIT_ENABLED", "false", "ratelimit_enabled", False),
        ("WALKAPP_SECURE_COOKIES", "on", "secure_cookies", True),
        ("WALKAPP_TILE_PRECACHE", "400", "tile_precache", 400),
        ("WALKAPP_GEODATA_DIR", "/srv/geodata", "geodata_dir", Path("/srv/geodata")),
        ("WALKAPP_SECRET_KEY", "k" * 40, "secret_key", "k" * 40),
    ],
)
def test_an_environment_variable_becomes_its_declared_type(variable, text, attribute, value):
    settings = Settings.from_values(from_environment({variable: text}))
    assert getattr(settings, attribute) == value


def test_unset_settings_take_their_declared_defaults():
    settings = Settings.from_values(from_environment({}))
    assert settings.secret_key is None and settings.public_url == ""
    assert settings.max_photo_bytes == 10 * 1024 * 1024 and settings.near_distance_m == 50.0


def test_the_app_carries_its_settings(tmp_path: Path):
    app = create_app({"WALKAPP_INSTANCE": str(tmp_path), "WALKAPP_NEAR_DISTANCE_M": "75"})
    with app.app_context():
        assert current().near_distance_m == 75.0
        assert current().photo_folder.is_dir()


def test_text_given_to_create_app_is_typed_as_declared(tmp_path: Path):
    """create_app({"RATELIMIT_ENABLED": "false"}) switches the limits off, as the variable does."""
    app = create_app({"WALKAPP_INSTANCE": str(tmp_path), "RATELIMIT_ENABLED": "false"})
    assert app.config["RATELIMIT_ENABLED"] is False
