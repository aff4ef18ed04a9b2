"""Every route declares who may use it; headers on every response."""

from __future__ import annotations


def test_every_route_declares_its_role(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if getattr(view, "required_role", None) not in {"public", "walker", "coordinator", "admin", "partner", "account", "region"}:
            missing.append(rule.rule)
    assert missing == [], f"routes without @requires(...): {missing}"


def test_security_headers_on_html(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self' 'nonce-" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain http


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://walkapp.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_session_cookie_is_httponly_and_lax(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_unknown_page_is_swedish_404(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404
    assert "Sidan finns inte." in response.get_data(as_text=True)


def test_repeated_failed_sign_ins_get_429_with_retry_after_in_swedish(tmp_path):
    from tests.helpers import make_app

    app = make_app(tmp_path, RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [
        client.post("/login", data={"username": "x", "password": "y"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10
    response = client.post("/login", data={"username": "x", "password": "y"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "För många misslyckade inloggningar" in response.get_data(as_text=True)


def test_behind_a_proxy_https_gives_hsts_and_secure_cookies(tmp_path):
    from tests.helpers import make_app

    app = make_app(tmp_path, PROXY_FIX=1, SECURE_COOKIES=True)
    client = app.test_client()
    response = client.get("/lang/en", headers={"X-Forwarded-Proto": "https"})
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    cookie = page.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
