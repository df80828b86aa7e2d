"""Every public name of every distribution has an entry in the built site.

The site's ``objects.inv`` (Sphinx's inventory: a four-line header, then
zlib-compressed lines ``name domain:role priority uri display``) is what
cross-references and search use; a name missing from it is undocumented.
Distributions are found under ``packages/``, their public names with the same
function the API pages use (``docs/_ext/kolben_api.py``), so a new
distribution or a new name is checked without editing this test.
"""

from __future__ import annotations

import importlib
import pathlib
import re
import sys
import zlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
sys.path.insert(0, str(ROOT / "tools"))

import kolben_api  # noqa: E402

from conformance import MODULES as FLASK_MODULES  # noqa: E402


def read_inventory(path: pathlib.Path) -> dict[str, str]:
    """Return ``{name: "domain:role"}`` from a Sphinx version 2 inventory."""
    data = path.read_bytes()
    header, _, body = data.partition(b"\n")
    assert header == b"# Sphinx inventory version 2"
    for _ in range(3):
        line, _, body = body.partition(b"\n")
        assert line.startswith(b"# ")
    entries: dict[str, str] = {}
    for entry in zlib.decompress(body).decode().splitlines():
        name, kind, *_ = entry.split(" ")
        entries.setdefault(name, kind)
    return entries


def part_distributions() -> dict[str, str]:
    """``{distribution: import package}`` for every distribution in packages/
    whose code lives in the ``kolben`` namespace (the parts and the add-ons).
    """
    found = {}
    for src in sorted((ROOT / "packages").glob("*/src/kolben/*/__init__.py")):
        found[src.parents[3].name] = f"kolben.{src.parent.name}"
    return found


def part_modules() -> list[str]:
    """The import package of every ``kolben-*`` distribution in packages/,
    and its ``protocols`` module where it has one (what an app provides to
    the part is public API too).
    """
    found = []
    for dist, modname in part_distributions().items():
        found.append(modname)
        source = ROOT / "packages" / dist / "src" / modname.replace(".", "/")
        if (source / "protocols.py").exists():
            found.append(f"{modname}.protocols")
    return found


@pytest.fixture(scope="module")
def inventory(docs_site: pathlib.Path) -> dict[str, str]:
    return read_inventory(docs_site / "objects.inv")


def test_reads_a_real_inventory(inventory: dict[str, str]) -> None:
    assert inventory["kolben.sessions.SessionMiddleware"] == "py:class"
    assert inventory["flask.Flask"] == "py:class"


@pytest.mark.parametrize("modname", list(FLASK_MODULES))
def test_every_flask_module_path_is_documented(
    inventory: dict[str, str], modname: str
) -> None:
    assert inventory.get(modname) == "py:module"


def documented_names(modname: str) -> list[tuple[str, object]]:
    module = importlib.import_module(modname)
    return [
        (f"{modname}.{name}", getattr(module, name))
        for name in kolben_api.public_names(modname)
        if not kolben_api.is_foreign(getattr(module, name))
    ]


def missing_entries(modname: str, inventory: dict[str, str]) -> list[str]:
    """Public names of *modname* (and their classes' attributes) not in it."""
    missing = []
    for fullname, obj in documented_names(modname):
        if fullname not in inventory:
            missing.append(fullname)
            continue
        if not isinstance(obj, type):
            continue
        # A re-exported class is described once, under its home name.
        described = kolben_api.home_of(obj) or fullname
        for attr, value in vars(obj).items():
            if attr.startswith("_") or isinstance(value, type):
                continue
            # What a docstring declares private is left out on purpose.
            if ":meta private:" in (getattr(value, "__doc__", None) or ""):
                continue
            if f"{described}.{attr}" not in inventory:
                missing.append(f"{described}.{attr}")
    return sorted(set(missing))


def test_distributions_are_discovered() -> None:
    # Those that exist today at least; more appear here when they are added.
    known = {
        "kolben.contexts",
        "kolben.routing",
        "kolben.sessions",
        "kolben.templating",
        "kolben.testing",
        "kolben.cli",
        "kolben.asgi",
        "kolben.legacy",
        "kolben.asgi.protocols",
        "kolben.sessions.protocols",
    }
    assert known <= set(part_modules())
    every_folder = {
        folder.name
        for folder in (ROOT / "packages").iterdir()
        if (folder / "pyproject.toml").exists() and folder.name != "flask"
    }
    assert set(part_distributions()) == every_folder


@pytest.mark.parametrize("dist", sorted(part_distributions()))
def test_every_distribution_has_a_page(docs_site: pathlib.Path, dist: str) -> None:
    # Written by hand in docs/parts/, or generated by docs/conf.py until then.
    pages = [docs_site / "parts" / f"{dist}.html"]
    pages.append(docs_site / "parts" / "generated" / f"{dist}.html")
    assert any(page.exists() for page in pages), dist


@pytest.mark.parametrize("modname", part_modules())
def test_every_public_name_of_each_part_is_documented(
    inventory: dict[str, str], modname: str
) -> None:
    assert missing_entries(modname, inventory) == []


def directive_modules() -> list[str]:
    """Every module a page documents with the ``kolben-module`` directive."""
    found: set[str] = set()
    for page in (ROOT / "docs").glob("[!_]*/**/*.md"):
        found.update(DIRECTIVE.findall(page.read_text()))
    for page in (ROOT / "docs").glob("*.md"):
        found.update(DIRECTIVE.findall(page.read_text()))
    # The contributing page shows the directive in a template, not for real.
    return sorted(name for name in found if "<" not in name)


#: The opening line of the directive: ```{kolben-module} kolben.sessions
DIRECTIVE = re.compile(r"^`{3,}\{kolben-module\}\s+(\S+)\s*$", re.M)


def test_pages_with_the_directive_are_found() -> None:
    assert {"kolben.legacy.pytest_plugin", "flask.json.tag"} <= set(directive_modules())


@pytest.mark.parametrize("modname", directive_modules())
def test_every_module_a_page_documents_is_complete(
    inventory: dict[str, str], modname: str
) -> None:
    assert inventory.get(modname) == "py:module"
    assert missing_entries(modname, inventory) == []


@pytest.mark.parametrize("modname", list(FLASK_MODULES))
def test_every_public_name_of_flask_is_documented(
    inventory: dict[str, str], modname: str
) -> None:
    assert missing_entries(modname, inventory) == []


def test_a_removed_name_would_be_noticed(inventory: dict[str, str]) -> None:
    trimmed = {k: v for k, v in inventory.items() if k != "kolben.sessions.get_session"}
    assert "kolben.sessions.get_session" in missing_entries("kolben.sessions", trimmed)
