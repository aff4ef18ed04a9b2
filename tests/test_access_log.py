"""The access log never holds a token (walkapp/access_log.py, the logger `walkapp serve` uses)."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from types import SimpleNamespace

import requests
from gunicorn.config import Config

from tests.gunicorn_server import GunicornServer
from walkapp.access_log import RedactingLogger, redact

API_TOKEN = "wk_Abc123-_secretSECRET"
WALKER_TOKEN = "eyJ3YWxrIjoiYWJjIiwid2Fsa2VyIjoiZGVmIn0.Zx8l2k3JdQm9vF0aLs1nQpT7r2A"


def test_tokens_in_urls_are_redacted():
    line = redact(f"GET /export/observations.geojson?status=open&token={API_TOKEN} HTTP/1.1")
    assert API_TOKEN not in line and "status=open" in line and "token=[redacted]" in line
    assert WALKER_TOKEN not in redact(f"/j/ABCDEF/follow-up?t={WALKER_TOKEN}")
    assert redact("/api/walks/1/observations") == "/api/walks/1/observations"


def test_a_percent_encoded_token_key_is_redacted_too():
    for key in ("%74oken", "T%6Fken", "%61pi_key", "access%5Ftoken"):
        line = redact(f"GET /export/observations.geojson?status=open&{key}={API_TOKEN} HTTP/1.1")
        assert API_TOKEN not in line and f"{key}=[redacted]" in line and "status=open" in line


def test_a_huge_header_block_is_refused_by_the_server(tmp_path):
    server = GunicornServer(tmp_path / "instance", serve=True, workers=1, threads=2).start()
    try:
        many = {f"X-Filler-{n}": "eyJ" * 2000 for n in range(60)}
        assert requests.get(server.url + "/healthz", headers=many, timeout=10).status_code == 431
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
    finally:
        server.stop()


def _log_line(monkeypatch, environ: dict, headers: list[tuple[str, str]]) -> str:
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set(
        "access_log_format",
        '%(h)s "%(r)s" %(s)s "%(f)s" "%(a)s" %(q)s %(U)s %({authorization}i)s %({cookie}i)s',
    )
    logger = RedactingLogger(cfg)
    lines = []
    monkeypatch.setattr(logger.access_log, "info", lambda fmt, atoms: lines.append(fmt % atoms))
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    base = {
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        "PATH_INFO": "/export/observations.geojson",
    }
    logger.access(response, headers, {**base, **environ}, timedelta(milliseconds=5))
    return lines[0]


def test_gunicorn_access_lines_hold_no_token(monkeypatch):
    line = _log_line(
        monkeypatch,
        {
            "RAW_URI": f"/export/observations.geojson?token={API_TOKEN}",
            "QUERY_STRING": f"token={API_TOKEN}",
            "HTTP_REFERER": f"https://walkapp.example/tokens?token={API_TOKEN}",
            "HTTP_USER_AGENT": "QGIS/3.34",
        },
        [("AUTHORIZATION", f"Bearer {WALKER_TOKEN}"), ("COOKIE", f"walker={WALKER_TOKEN}")],
    )
    assert API_TOKEN not in line and WALKER_TOKEN not in line
    assert "GET /export/observations.geojson?token=[redacted] HTTP/1.1" in line
    assert "QGIS/3.34" in line and "10.0.0.1" in line


def test_serve_uses_the_redacting_logger_and_one_worker(runner, monkeypatch):
    seen = {}
    monkeypatch.setattr("os.execv", lambda path, args: seen.setdefault("args", args))
    # serve writes the trusted hosts it chose into os.environ for gunicorn: undone after the test.
    monkeypatch.setattr("os.environ", dict(os.environ))
    runner.invoke(args=["serve"])
    args = seen["args"]
    assert args[args.index("--logger-class") + 1] == "walkapp.access_log.RedactingLogger"
    assert args[args.index("--workers") + 1] == "1"
    assert args[args.index("--limit-request-fields") + 1] == "40"
    assert args[args.index("--limit-request-field_size") + 1] == "8190"
    logging.getLogger("gunicorn.access").handlers.clear()
