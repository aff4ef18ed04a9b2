"""walkapp backup / restore / retention on a real instance folder."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.helpers import make_app, walkapp_in_process
from walkapp.db import connect, database_path, transaction
from walkapp.db import observations as obs_db
from walkapp.db import walks as walks_db
from walkapp.demo import create_demo


def add_photo(app, db, observation_id, created_at):
    photo_id = str(uuid.uuid4())
    folder = database_path(app).parent / "photos"
    for name in (f"{photo_id}.jpg", f"{photo_id}.thumb.jpg"):
        (folder / name).write_bytes(b"\xff\xd8jpeg-bytes")
    db["photos"].insert(
        {
            "id": photo_id,
            "observation_id": observation_id,
            "filename": f"{photo_id}.jpg",
            "thumb_filename": f"{photo_id}.thumb.jpg",
            "bytes": 12,
            "width": 1,
            "height": 1,
            "created_at": created_at,
        }
    )
    db["photo_blobs"].insert(
        {"photo_id": photo_id, "photo": b"\xff\xd8jpeg-bytes", "thumb": b"\xff\xd8thumb"}
    )
    return photo_id


def test_backup_while_writing_then_restore_into_a_fresh_instance(app, runner, db, tmp_path):
    walk = create_demo(db, 50.0)
    observation = obs_db.list_for_walk(db, walk["id"])[0]
    add_photo(app, db, observation["id"], datetime.now(UTC).isoformat())

    # Keep writing from another connection while the backup runs.
    stop = threading.Event()

    def writer():
        other = connect(database_path(app))
        while not stop.is_set():
            with transaction(other):
                walks_db.add_walker(other, walk["id"], "skrivare")
        other.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    folder = tmp_path / "backups" / result.output.strip().split("/")[-1]
    copy = sqlite3.connect(folder / "walkapp.db")
    assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert copy.execute("select count(*) from observations").fetchone()[0] == 18
    copy.close()
    assert stat.S_IMODE((folder / "walkapp.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700

    # A new machine: an instance folder that does not exist yet, the real command line.
    fresh = tmp_path / "fresh-instance"
    restored = walkapp_cli("restore", str(folder), instance=fresh)
    assert restored.returncode == 0, restored.stderr
    again = walkapp_cli("restore", str(folder), instance=fresh)
    assert again.returncode == 1 and "--force" in again.stderr
    restored_app = make_app(tmp_path, INSTANCE=str(fresh))
    assert restored_app.secret_key == app.secret_key  # walkers' tokens stay valid
    check = connect(database_path(restored_app))
    assert check.execute("select count(*) from observations").fetchone()[0] == 18
    assert check.execute("select count(*) from photos").fetchone()[0] == 1
    assert check.execute("select title from walks").fetchone()[0] == walk["title"]
    check.close()
    # The served files are written from the database on start.
    assert len(list((fresh / "photos").glob("*.jpg"))) == 2


def walkapp_cli(*args: str, instance: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "WALKAPP_INSTANCE": str(instance)}
    env.pop("WALKAPP_SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "walkapp", *args], env=env, capture_output=True, text=True
    )


def walkapp_here(*args: str, instance: Path) -> subprocess.CompletedProcess:
    """walkapp_cli's command in this process (the real command line is the first test's)."""
    return walkapp_in_process(
        *args, env={"WALKAPP_INSTANCE": str(instance), "WALKAPP_SECRET_KEY": None}
    )


def test_retention_is_a_dry_run_by_default_then_deletes_old_photos_and_names(app, runner, db):
    walk = create_demo(db, 50.0)
    observations = obs_db.list_for_walk(db, walk["id"])
    old = (datetime.now(UTC) - timedelta(days=800)).isoformat()
    old_photo = add_photo(app, db, observations[0]["id"], old)
    new_photo = add_photo(app, db, observations[1]["id"], datetime.now(UTC).isoformat())
    db.execute("update walkers set joined_at = ?", [old])
    with transaction(db):
        recent_walker = walks_db.add_walker(db, walk["id"], "Ny deltagare")

    dry = runner.invoke(args=["retention"])
    assert dry.exit_code == 0
    summary = json.loads(dry.output.strip().splitlines()[-1])
    assert summary == {
        "photos": 1,
        "names": 1,
        "applied": False,
        "photos_days": 730,
        "names_days": 90,
        "track_points": 0,
        "tracks_days": 90,
        "leftover_files": 0,
    }
    assert old_photo in dry.output
    assert db.execute("select count(*) from photos").fetchone()[0] == 2

    applied = runner.invoke(args=["retention", "--apply"])
    assert json.loads(applied.output.strip().splitlines()[-1])["applied"] is True
    assert [r[0] for r in db.execute("select id from photos")] == [new_photo]
    photos = database_path(app).parent / "photos"
    assert not (photos / f"{old_photo}.jpg").exists() and (photos / f"{new_photo}.jpg").exists()
    names = dict(db.execute("select id, display_name from walkers").fetchall())
    assert names[recent_walker] == "Ny deltagare"
    assert "Demodeltagare" not in names.values()
    assert (
        db.execute("select count(*) from audit_log where action = 'retention'").fetchone()[0] == 1
    )


def damaged_copies(folder: Path, tmp_path: Path) -> dict[str, Path]:
    """The backup folder three ways: cut short, one byte flipped in a table page, foreign."""
    good = (folder / "walkapp.db").read_bytes()
    copies = {}
    truncated = tmp_path / "truncated"
    truncated.mkdir()
    (truncated / "walkapp.db").write_bytes(good[: len(good) // 2])
    copies["truncated"] = truncated
    flipped = tmp_path / "flipped"
    flipped.mkdir()
    check = sqlite3.connect(folder / "walkapp.db")
    root = check.execute("select rootpage from sqlite_master where name = 'observations'")
    page = root.fetchone()[0]
    page_size = check.execute("pragma page_size").fetchone()[0]
    check.close()
    data = bytearray(good)
    data[(page - 1) * page_size] ^= 0xFF  # the page's type: no longer a b-tree page
    (flipped / "walkapp.db").write_bytes(bytes(data))
    copies["flipped"] = flipped
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    other = sqlite3.connect(foreign / "walkapp.db")
    other.execute("create table notes (text)")
    other.commit()
    other.close()
    copies["foreign"] = foreign
    return copies


def test_a_damaged_backup_is_refused_and_the_instance_left_as_it_was(runner, db, tmp_path):
    create_demo(db, 50.0)
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    folder = tmp_path / "backups" / result.output.strip().split("/")[-1]
    fresh = tmp_path / "fresh-instance"
    restored = walkapp_here("restore", str(folder), instance=fresh)
    assert restored.returncode == 0, restored.stderr
    before = (fresh / "walkapp.db").read_bytes()
    for kind, damaged in damaged_copies(folder, tmp_path).items():
        # Into a new machine's empty instance: nothing is left behind, not even an empty file.
        empty = tmp_path / f"empty-{kind}"
        refused = walkapp_here("restore", str(damaged), instance=empty)
        assert refused.returncode == 1, (kind, refused.stdout)
        assert "cannot be restored" in refused.stderr and "Restored" not in refused.stdout
        assert "Traceback" not in refused.stderr
        assert list(empty.iterdir()) == [], kind
        # Over a working instance with --force: the database is not touched.
        refused = walkapp_here("restore", "--force", str(damaged), instance=fresh)
        assert refused.returncode == 1 and "left as it was" in refused.stderr, kind
        assert (fresh / "walkapp.db").read_bytes() == before, kind
        assert [p.name for p in fresh.iterdir()] == ["walkapp.db"], kind
    assert "not a walkapp database" in refused.stderr  # the last one was the foreign file
    check = sqlite3.connect(fresh / "walkapp.db")
    assert check.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert check.execute("select count(*) from observations").fetchone()[0] == 18
    check.close()
