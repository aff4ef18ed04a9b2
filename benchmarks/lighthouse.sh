#!/usr/bin/env bash
# Lighthouse (mobile) against the capture screen of a demo walk, served by gunicorn.
# Prints the category scores and the capture screen's transfer size (HTML, CSS, JS, Leaflet,
# icons; map tiles and photos excluded, tiles are off here), the last line as JSON.
# Needs Debian's chromium and npm; Lighthouse is installed once into $LIGHTHOUSE_DIR (default a
# folder under /tmp, never into the repository).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$( [ -x "$ROOT/.venv/bin/python" ] && echo "$ROOT/.venv/bin/python" || echo python3 )}"
# A free port: several people may run this on one machine.
PORT="${PORT:-$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
WORK="$(mktemp -d)"
LH="${LIGHTHOUSE_DIR:-${TMPDIR:-/tmp}/walkapp-lighthouse}"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

export WALKAPP_INSTANCE="$WORK/instance" WALKAPP_TILE_URL=none PYTHONPATH="$ROOT"
cd "$ROOT"
"$PYTHON" -m walkapp init-db >/dev/null
CODE="$("$PYTHON" -m walkapp demo | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["code"])')"
"$PYTHON" -m walkapp serve --host 127.0.0.1 --port "$PORT" --workers 2 >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

JOINED="$(curl -sf -X POST -H 'Content-Type: application/json' -d "{\"code\":\"$CODE\"}" "http://127.0.0.1:$PORT/api/join")"
WALK="$(echo "$JOINED" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["walk_id"])')"
TOKEN="$(echo "$JOINED" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

if [ ! -x "$LH/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$LH"
  npm install --prefix "$LH" --no-fund --no-audit --silent lighthouse@12 >/dev/null
fi
CHROME_PATH="$(command -v chromium)" "$LH/node_modules/.bin/lighthouse" \
  "http://127.0.0.1:$PORT/walks/$WALK/capture" \
  --extra-headers="{\"Authorization\": \"Bearer $TOKEN\"}" \
  --chrome-flags="--headless=new --no-sandbox" --output=json --output-path="$LH/last.json" --quiet

"$PYTHON" - "$LH/last.json" "$TOKEN" <<'PY'
import gzip, json, sys, urllib.request
report = json.load(open(sys.argv[1]))
scores = {key: cat["score"] for key, cat in report["categories"].items()}
requests = report["audits"]["network-requests"]["details"]["items"]
own = [r for r in requests if r["url"].startswith("http://127.0.0.1") and "/photos/" not in r["url"]]
transfer = sum(r.get("transferSize", 0) for r in own)


def compressed(url):
    # What Caddy/nginx send (deploy/ turns on gzip): the same bytes, gzip level 5.
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {sys.argv[2]}"})
    return len(gzip.compress(urllib.request.urlopen(request).read(), 5))


gzipped = sum(compressed(r["url"]) for r in own)
failed = [a["id"] for a in report["audits"].values() if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"]
for key, score in scores.items():
    print(f"{key}: {score:.2f}")
print(f"capture screen: {transfer / 1024:.1f} KB from gunicorn, {gzipped / 1024:.1f} KB gzip-compressed"
      f" as behind the reverse proxy, {len(own)} requests (goal <= 100 KB compressed)")
if failed:
    print("failed audits:", ", ".join(sorted(failed)))
print(json.dumps({"benchmark": "lighthouse", **scores, "transfer_kb": round(transfer / 1024, 1),
                  "compressed_kb": round(gzipped / 1024, 1),
                  "requests": len(own), "goal_kb": 100}))
PY
