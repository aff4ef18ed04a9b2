"""Where a redirect may go: only a path on this site, judged as a browser would read it.

One rule for every `next=` and back link (language switch, sign-in, triage). Browsers drop
tabs and newlines anywhere in a URL, trim leading control characters and spaces, and read a
backslash as a slash, so `/\t/evil.example` and `/\\evil.example` both mean another host; a
Location header cannot hold control characters at all. Such targets are refused rather than
repaired, and so is anything that still looks like another host once percent-decoded.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

# Enough rounds to undo any layering a proxy or a browser would plausibly apply.
_DECODE_ROUNDS = 3


def _unsafe_character(text: str) -> bool:
    """Control, format (bidi, zero-width) and separator characters, and the backslash."""
    for char in text:
        if char == "\\" or unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}:
            return True
        if char.isspace():
            return True
    return False


def _is_local_path(text: str) -> bool:
    if not text.startswith("/") or text.startswith("//"):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def safe_path(target: str | None) -> str | None:
    """`target` when it is a path on this site (with its query), else None."""
    if not target or len(target) > 2000:
        return None
    if _unsafe_character(target):
        return None
    # Decoded, only the path matters: that is where another host could hide; a query may hold
    # any text (a partner's name with a space).
    path = target.split("?", 1)[0]
    for _ in range(_DECODE_ROUNDS):
        if _unsafe_character(path) or not _is_local_path(path):
            return None
        decoded = unquote(path)
        if decoded == path:
            return target
        path = decoded
    return None
