#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages the tests drive for real: the browser, Redis (shared rate limits), GDAL (what
# QGIS reads our GeoJSON with). Installed only when missing.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
# Exact versions with hashes from the lock (scripts/lock.sh makes it), then walkapp itself.
.venv/bin/pip install -q --disable-pip-version-check --require-hashes -r requirements/test.txt
.venv/bin/pip install -q --disable-pip-version-check --no-deps -e .
set +e
# Four pytest workers (pytest-xdist) on the 2-core machines we test on: part of the suite's time
# waits on browsers, gunicorn, Litestream and subprocesses, which the extra workers fill (-n 2
# left the cores idle 39 % of the time, -n 3 a third; with four they are busy, and -n 6 was
# slower). Each worker starts with its share of the slowest tests (tests/conftest.py). `-n 0`
# after the command runs in one process.
.venv/bin/python -m pytest -n "${TEST_WORKERS:-4}" --dist worksteal "$@"
status=$?
set -e
# pytest exits 5 when it collected no tests: that is a failure here.
if [ "$status" -eq 5 ]; then
  echo "no tests were collected" >&2
  exit 1
fi
exit "$status"
