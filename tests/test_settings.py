"""Settings: typed once, and every one of them documented in docs/operators/configuration.md."""

from __future__ import annotations

import re
from pathlib import Path

from walkapp import create_app
from walkapp.settings import DEFAULTS, ROOT, Settings, current


def _readme_configuration_table() -> str:
    return (ROOT / "docs" / "operators" / "configuration.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_configuration_table():
    table = _readme_configuration_table()
    documented = set(re.findall(r"`WALKAPP_([A-Z_0-9]+)`", table))
    missing = sorted(set(DEFAULTS) - documented)
    assert not missing, (
        f"settings missing from the configuration table in docs/operators/configuration.md: {missing}"
    )
    unknown = sorted(documented - set(DEFAULTS))
    assert not unknown, (
        f"docs/operators/configuration.md documents settings the code does not have: {unknown}"
    )


def test_settings_are_typed_once_from_text(tmp_path: Path):
    values = {**DEFAULTS, "INSTANCE": str(tmp_path), "SESSION_HOURS": "3", "SECURE_COOKIES": "yes"}
    settings = Settings.from_values(values)
    assert settings.session_hours == 3 and settings.secure_cookies is True
    assert settings.photo_folder == tmp_path.resolve() / "photos"


def test_the_app_carries_its_settings(tmp_path: Path):
    app = create_app({"WALKAPP_INSTANCE": str(tmp_path), "WALKAPP_NEAR_DISTANCE_M": "75"})
    with app.app_context():
        assert current().near_distance_m == 75.0
        assert current().photo_folder.is_dir()
