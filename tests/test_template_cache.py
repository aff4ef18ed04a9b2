"""Compiled templates kept in the instance folder (walkapp/template_cache.py): a later worker
reads them back; a folder of another Jinja or Python is removed at start; a cache that cannot be
written or read back is a miss, never a failed page."""

from __future__ import annotations

from jinja2.bccache import bc_magic

from walkapp import create_app, template_cache


def _app(instance):
    return create_app({"INSTANCE": str(instance), "TESTING": True, "RATELIMIT_ENABLED": False})


def test_a_later_worker_reads_the_compiled_templates_and_old_versions_go(tmp_path):
    instance = tmp_path / "instance"
    stale = instance / "cache" / "templates" / "jinja-2.11.0-py3.9"
    stale.mkdir(parents=True)
    (stale / "__jinja2_old.cache").write_bytes(b"old")
    first = _app(instance)
    assert first.test_client().get("/").status_code == 200
    kept = template_cache.folder_for(instance)
    files = sorted(kept.iterdir())
    assert files and not stale.exists()
    stamps = {f.name: f.stat().st_mtime_ns for f in files}
    second = _app(instance)  # a new worker: reads them back, writes none again
    assert second.test_client().get("/").status_code == 200
    assert {f.name: f.stat().st_mtime_ns for f in sorted(kept.iterdir())} == stamps


def test_a_removed_folder_and_a_damaged_file_are_misses_not_errors(tmp_path):
    instance = tmp_path / "instance"
    _app(instance).test_client().get("/")
    kept = template_cache.folder_for(instance)
    for damaged in kept.iterdir():  # Jinja's own header, then what no pickle can read
        damaged.write_bytes(bc_magic + b"\x80\x05not a pickle at all")
    assert _app(instance).test_client().get("/").status_code == 200  # compiled again
    running = _app(instance)
    for cached in kept.iterdir():
        cached.unlink()
    kept.rmdir()  # removed while the server runs ("safe to delete at any time")
    assert running.test_client().get("/login").status_code == 200
    assert running.test_client().get("/").status_code == 200
