#!/usr/bin/env bash
# Install walkapp in .venv and start it on the embedded SQLite in ./instance, with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
# Exact versions with hashes from the lock (scripts/lock.sh makes it). With a replica configured,
# Litestream comes too (the `replication` lock ships its binary).
lock=requirements/app.txt
[ -z "${WALKAPP_REPLICA_URL:-}" ] || lock=requirements/replication.txt
.venv/bin/pip install -q --disable-pip-version-check --require-hashes -r "$lock"
.venv/bin/pip install -q --disable-pip-version-check --no-deps -e .
.venv/bin/walkapp init-db
# The demo's join link names the port serve will answer on (`--port N`, 8000 by default).
port=8000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --port) port="${args[i + 1]:-$port}" ;;
    --port=*) port="${args[i]#--port=}" ;;
  esac
done
.venv/bin/walkapp demo --port "$port"
exec .venv/bin/walkapp serve "$@"
