#!/usr/bin/env bash
# Make (or refresh) the lock files in requirements/ from pyproject.toml: exact versions with
# hashes, for Python 3.11 on Linux x86_64, resolved against PyPI. The one command to upgrade
# dependencies: `bash scripts/lock.sh --upgrade` (or `--upgrade-package NAME` for one), then run
# the suite and commit pyproject.toml and requirements/ together.
# Without arguments it keeps every pin that still fits pyproject.toml and only adds what is new.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
# uv is only the locking tool: it is not in any lock and the app never imports it.
[ -x .venv/bin/uv ] || .venv/bin/pip install -q --disable-pip-version-check 'uv==0.13.*'
# Lock file -> the pyproject extras it holds besides the app's own dependencies.
declare -A locks=(
  [app]=""
  [replication]="replication"
  [test]="test docs"
  [docs]="docs"
  [bench]="bench replication"
)
for name in app replication test docs bench; do
  args=()
  for extra in ${locks[$name]}; do args+=(--extra "$extra"); done
  .venv/bin/uv pip compile pyproject.toml "${args[@]}" \
    --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
    --generate-hashes --no-config \
    --custom-compile-command "bash scripts/lock.sh" \
    --output-file "requirements/$name.txt" --quiet "$@"
done
