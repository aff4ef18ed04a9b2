"""Security headers on every response, with a per-request CSP nonce for inline scripts."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, g, request


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def tile_origin(tile_url: str) -> str:
    if not tile_url or tile_url == "none":
        return ""
    parts = urlsplit(tile_url.replace("{s}", "a"))
    host = parts.netloc
    if "{s}" in tile_url:
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"


def content_security_policy(app: Flask, nonce: str) -> str:
    tiles = tile_origin(app.extensions["walkapp_settings"].tile_url)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {tiles}".strip(),
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def is_private(app: Flask) -> bool:
    """What only the signed-in, a token holder or a walk's walkers may see: any route whose
    declared role is above public, and any page rendered for a signed-in user or token."""
    view = app.view_functions.get(request.endpoint or "")
    role = getattr(view, "required_role", "public")
    return role != "public" or g.get("user") is not None


def set_headers(app: Flask):
    def after_request(response):
        # Private answers are never kept: not by a shared proxy, not on the laptop's disk
        # (a protocol, a new API token, a walker's own observations). A view may say otherwise
        # for its own reasons (photos for the walk; the capture screen's offline start).
        # So is any answer that hands out a secret: a join's token (in the body or a cookie),
        # a new session. Answers to writes are never worth keeping either.
        carries_secret = "Set-Cookie" in response.headers or request.method not in ("GET", "HEAD")
        if is_private(app) or carries_secret:
            response.headers.setdefault("Cache-Control", "no-store")
        # A view may set its own, narrower or wider, policy (folium map pages do).
        if "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = content_security_policy(app, csp_nonce())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(self)")
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response

    app.after_request(after_request)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
