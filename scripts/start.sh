#!/usr/bin/env bash
# Install walkapp in .venv and start it on the embedded SQLite in ./instance, with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e .
.venv/bin/walkapp init-db
.venv/bin/walkapp demo
exec .venv/bin/walkapp serve "$@"
