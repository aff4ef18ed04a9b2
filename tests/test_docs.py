"""The manual in docs/ stays true: it builds without warnings, and every setting, every `walkapp`
command and every URL rule of the app is documented on some page (after datasette's
tests/test_docs.py). A failure names what is missing."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest
from flask.cli import ScriptInfo

from tests.helpers import make_app
from walkapp.cli import build
from walkapp.settings import ROOT, SETTINGS

DOCS = ROOT / "docs"


def _docs_text() -> str:
    return "\n".join(page.read_text(encoding="utf-8") for page in sorted(DOCS.rglob("*.md")))


@pytest.fixture(scope="module")
def docs() -> str:
    return _docs_text()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("docs"))


def test_every_setting_is_documented(docs):
    missing = [s.variable for s in SETTINGS if f"`{s.variable}`" not in docs]
    assert not missing, f"settings documented on no page of docs/: {missing}"


def _command_paths(group, ctx, prefix: str) -> list[str]:
    paths = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        path = f"{prefix} {name}"
        paths.append(path)
        if hasattr(command, "list_commands"):
            paths += _command_paths(command, ctx, path)
    return paths


def walkapp_commands(app) -> list[str]:
    """Every command of the `walkapp` group, subcommands as `walkapp limiter clear`."""
    group = build()
    # Closing the context pops the app context FlaskGroup.get_command pushes: left open, every
    # later test's CLI command would run against this module's app and its database.
    with group.make_context(
        "walkapp", [], resilient_parsing=True, obj=ScriptInfo(create_app=lambda: app)
    ) as ctx:
        return _command_paths(group, ctx, "walkapp")


def test_the_command_walk_finds_the_apps_and_the_standalone_commands(app):
    commands = walkapp_commands(app)
    assert {"walkapp init-db", "walkapp restore", "walkapp serve", "walkapp routes"} <= set(
        commands
    )


def test_every_command_is_documented(app, docs):
    missing = [c for c in walkapp_commands(app) if not re.search(rf"`{re.escape(c)}[` ]", docs)]
    assert not missing, f"walkapp commands documented on no page of docs/: {missing}"


def _shape(path: str) -> str:
    """A URL path with every placeholder (`<int:walk_id>`, `<id>`, `<code>`) as `<>`."""
    return re.sub(r"<[^<>]*>", "<>", path)


def _expand(path: str) -> list[str]:
    """`/open311/v2/services.{json,xml}` → both paths."""
    match = re.search(r"\{([^{}]*,[^{}]*)\}", path)
    if not match:
        return [path]
    return [
        expanded
        for choice in match.group(1).split(",")
        for expanded in _expand(path[: match.start()] + choice + path[match.end() :])
    ]


def documented_paths(docs: str) -> set[str]:
    """Every path written in `code` on a page, placeholders as `<>` (queries dropped)."""
    found = set()
    for code in re.findall(r"`([^`\n]+)`", docs):
        for token in re.findall(r"(?<![\w.:])/[^\s?#`'\"|)]*", _shape(code)):
            for path in _expand(token.rstrip(".,;:")):
                found.add(_shape(path))
    return found


def test_paths_in_the_docs_are_read_with_their_placeholders():
    docs = (
        "`GET /walks/<walk_id>/capture?x=1` and `/open311/v2/requests/<id>.{json,xml}`, "
        "`/observations/<id>/photos/<photo id>.jpg`"
    )
    assert documented_paths(docs) >= {
        "/walks/<>/capture",
        "/open311/v2/requests/<>.json",
        "/open311/v2/requests/<>.xml",
        "/observations/<>/photos/<>.jpg",
    }


def test_every_url_rule_is_documented(app, docs):
    paths = documented_paths(docs)
    missing = sorted(
        {rule.rule for rule in app.url_map.iter_rules() if _shape(rule.rule) not in paths}
    )
    assert not missing, (
        "URL rules documented on no page of docs/ (write each in `code`, e.g. in "
        f"docs/developers/urls.md): {missing}"
    )


@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None,
    reason="mkdocs is not installed: pip install -e '.[docs]' (scripts/test.sh does)",
)
def test_the_docs_build_with_warnings_as_errors(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "developers" / "architecture" / "index.html").is_file()


def test_every_page_is_in_the_navigation():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))
    missing = [page for page in pages if page not in nav]
    assert not missing, f"pages missing from mkdocs.yml's nav: {missing}"


def test_every_picture_is_shown_and_small(docs):
    """docs/img/ holds what the pages show (scripts/screenshots.py makes them), each small."""
    pictures = sorted((DOCS / "img").glob("*.png"))
    assert pictures
    unused = [p.name for p in pictures if f"img/{p.name}" not in docs]
    assert not unused, f"pictures in docs/img/ no page shows: {unused}"
    large = [
        f"{p.name}: {p.stat().st_size // 1024} KB" for p in pictures if p.stat().st_size > 100_000
    ]
    assert not large, f"pictures over 100 KB (palette PNGs are 10–35 KB): {large}"


def test_every_mail_kind_is_documented():
    """docs/operators/mail.md's table has a row for each kind of mail walkapp sends."""
    from walkapp import mail

    page = (DOCS / "operators" / "mail.md").read_text(encoding="utf-8")
    missing = [k for k in (*mail.KINDS, *mail.WALKER_KINDS) if f"| **{k}** |" not in page]
    assert not missing, f"mail kinds without a row in docs/operators/mail.md: {missing}"
