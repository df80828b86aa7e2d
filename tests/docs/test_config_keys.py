"""Every configuration key a distribution reads is documented.

The keys are read from the source (``config.get("KEY", ...)`` and
``config["KEY"]``), so a key added to the code without a word in the
documentation fails here: on the distribution's page of the built site (its
own sections or its included README), and, for kolben-sessions, in the
configuration table of the sessions guide, which promises every key.
"""

from __future__ import annotations

import html
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

#: A literal key read from a mapping called ``config`` (``app.config``,
#: ``self.config``, ``mw.config``).
READ = re.compile(r"config(?:\.get\(|\[)\s*[\"']([A-Z][A-Z0-9_]+)[\"']")


def keys_read(dist: str) -> set[str]:
    found: set[str] = set()
    for source in (ROOT / "packages" / dist / "src").rglob("*.py"):
        found.update(READ.findall(source.read_text()))
    return found


def distributions() -> list[str]:
    return sorted(
        init.parents[3].name
        for init in (ROOT / "packages").glob("*/src/kolben/*/__init__.py")
    )


def test_the_pattern_finds_keys() -> None:
    text = 'a = app.config.get("SESSION_TYPE", "cookie")\nb = self.config["KEY_2"]'
    assert READ.findall(text) == ["SESSION_TYPE", "KEY_2"]
    assert "SESSION_MAX_SIZE" in keys_read("kolben-sessions")


@pytest.mark.parametrize("dist", distributions())
def test_keys_are_on_the_distributions_page(docs_site: pathlib.Path, dist: str) -> None:
    pages = [docs_site / "parts" / f"{dist}.html"]
    pages.append(docs_site / "parts" / "generated" / f"{dist}.html")
    text = html.unescape("".join(p.read_text() for p in pages if p.exists()))
    assert text, f"no page for {dist}"
    assert sorted(key for key in keys_read(dist) if key not in text) == []


def test_the_sessions_guide_tables_every_key() -> None:
    guide = (ROOT / "docs" / "operating" / "sessions.md").read_text()
    rows = "\n".join(line for line in guide.splitlines() if line.startswith("|"))
    assert sorted(key for key in keys_read("kolben-sessions") if key not in rows) == []
