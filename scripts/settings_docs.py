"""Write the settings table of the docs and the deployer's env example from walkapp/settings.py.

    python scripts/settings_docs.py          # rewrite both files
    python scripts/settings_docs.py --check  # exit 1, naming the files, when they are stale

Each setting is declared once, as a field of `walkapp.settings.Settings`; this script is how the
table in docs/operators/configuration.md and deploy/walkapp.env.example follow it.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from walkapp.settings import SETTINGS, Setting  # noqa: E402

CONFIGURATION = ROOT / "docs" / "operators" / "configuration.md"
ENV_EXAMPLE = ROOT / "deploy" / "walkapp.env.example"
BEGIN = (
    "<!-- settings table: made by `python scripts/settings_docs.py` from walkapp/settings.py -->"
)
END = "<!-- end of the settings table -->"
# Where deploy/ puts the clone: a default inside the repository is shown from there.
DEPLOYED_ROOT = "/opt/walkapp"


def table() -> str:
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for declared in SETTINGS:
        rows.append(f"| `{declared.variable}` | {declared.shown} | {declared.help} |")
    return "\n".join(rows)


def configuration_page(text: str) -> str:
    """The page with the text between the markers replaced by today's table."""
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{CONFIGURATION}: the markers {BEGIN!r} … {END!r} are missing")
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    return f"{before}{BEGIN}\n{table()}\n{END}{after}"


def _plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", markdown)
    return text.replace("**", "").replace("`", "")


def _env_value(declared: Setting) -> str:
    default = declared.default
    if default is None:
        return ""
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, float) and default.is_integer():
        return str(int(default))
    text = str(default)
    if text.startswith(str(ROOT)):
        return DEPLOYED_ROOT + text.removeprefix(str(ROOT))
    return text


def _comment(text: str) -> list[str]:
    lines = []
    for paragraph in text.splitlines():
        wrapped = textwrap.wrap(paragraph, width=96, break_on_hyphens=False) or [""]
        lines += [f"# {line}".rstrip() for line in wrapped]
    return lines


def env_example() -> str:
    lines = [
        "# /etc/walkapp.env (chmod 600, owned by root) — settings for walkapp.service.",
        "# Every setting, with its default commented out; docs/operators/configuration.md says more.",
        "# (Made from walkapp/settings.py by scripts/settings_docs.py: edit the declarations there.)",
    ]
    for declared in SETTINGS:
        lines.append("")
        lines += _comment(declared.deploy_note or _plain(declared.help))
        if declared.deploy is not None:
            lines.append(f"{declared.variable}={declared.deploy}")
        elif not (declared.deploy_note and f"{declared.variable}=" in declared.deploy_note):
            lines.append(f"# {declared.variable}={_env_value(declared)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    wanted = {
        CONFIGURATION: configuration_page(CONFIGURATION.read_text(encoding="utf-8")),
        ENV_EXAMPLE: env_example(),
    }
    stale = [path for path, text in wanted.items() if path.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)} does not follow walkapp/settings.py", file=sys.stderr)
        if stale:
            print("run: python scripts/settings_docs.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
