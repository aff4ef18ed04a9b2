"""A coordinator can revoke one walker's token (a lost phone)."""

from . import migration


@migration("0003_walkers_revocation")
def walkers_revocation(db) -> None:
    db.execute("alter table walkers add column revoked_at text")
    db.execute("alter table walkers add column revoked_by integer references users(id)")
