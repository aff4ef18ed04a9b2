"""A follow-up map as one self-contained file (`?download=1`): our assets inlined, and a CSP of
its own so the file runs only its own scripts when opened from disk. No Flask."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from markupsafe import escape

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def download_policy(html: str, tile_origin: str) -> str:
    """The CSP of a downloaded map: it opens from disk, where no header can protect it, so it
    carries its own — only its own scripts (by hash), nothing fetched but the tiles."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in dict.fromkeys(_INLINE_SCRIPT.findall(html))
    )
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {hashes}",
            "style-src 'unsafe-inline'",
            f"img-src data: {tile_origin}".strip(),
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def self_contained(html: str, static_folder: Path, tile_origin: str) -> str:
    """The map as one file to keep: assets inlined, and a restrictive CSP of its own as the
    first thing in <head>, before any script."""
    html = inline_assets(html, static_folder)
    meta = (
        '<meta http-equiv="Content-Security-Policy" content="'
        + str(escape(download_policy(html, tile_origin)))
        + '">'
    )
    return html.replace("<head>", "<head>\n    " + meta, 1)


_SCRIPT_SRC = re.compile(r'<script(?: nonce="[^"]*")? src="(/static/[^"]+)"></script>')
_CSS_HREF = re.compile(r'<link rel="stylesheet" href="(/static/[^"]+)"/?>')
_ICON_HREF = re.compile(r'<link rel="icon" href="(/static/[^"]+\.svg)" type="image/svg\+xml">')
_CSS_URL = re.compile(r"url\((?:'|\")?(images/[^)'\"]+)(?:'|\")?\)")


def inline_assets(html: str, static_folder: Path) -> str:
    """One self-contained file: every /static script and stylesheet written into the page,
    the stylesheets' images and the page's icon as data URIs. Opens from disk with no network (tiles aside)."""

    def read(url_path: str) -> tuple[Path, str]:
        path = (static_folder / url_path.removeprefix("/static/").split("?")[0]).resolve()
        if static_folder.resolve() not in path.parents:
            raise ValueError(f"not a static file: {url_path}")
        return path, path.read_text(encoding="utf-8")

    def script(match: re.Match) -> str:
        _path, source = read(match.group(1))
        return "<script>" + source.replace("</script", "<\\/script") + "</script>"

    def stylesheet(match: re.Match) -> str:
        path, source = read(match.group(1))

        def data_uri(found: re.Match) -> str:
            image = path.parent / found.group(1)
            encoded = base64.b64encode(image.read_bytes()).decode()
            return f"url(data:image/png;base64,{encoded})"

        return "<style>" + _CSS_URL.sub(data_uri, source) + "</style>"

    def icon(match: re.Match) -> str:
        _path, source = read(match.group(1))
        encoded = base64.b64encode(source.encode()).decode()
        return f'<link rel="icon" href="data:image/svg+xml;base64,{encoded}">'

    html = _ICON_HREF.sub(icon, html)
    return _CSS_HREF.sub(stylesheet, _SCRIPT_SRC.sub(script, html))
