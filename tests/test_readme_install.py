"""Every package's README starts by saying how to install it: from the index
once published, and today from the repository together with the siblings it
needs (issue 22); the root README's quick start names what the tests need.
"""

from __future__ import annotations

import pathlib
import re

import pytest
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGES = sorted(p for p in (ROOT / "packages").iterdir() if p.is_dir())


def _project(folder: pathlib.Path) -> dict[str, object]:
    with (folder / "pyproject.toml").open("rb") as f:
        project: dict[str, object] = tomllib.load(f)["project"]
    return project


def _siblings(name: str) -> set[str]:
    """The Kolben distributions ``name`` needs, directly or not."""
    by_name = {str(_project(p)["name"]): p for p in PACKAGES}
    needed: set[str] = set()
    pending = [name]
    while pending:
        deps = _project(by_name[pending.pop()]).get("dependencies", [])
        for requirement in deps:  # type: ignore[attr-defined]
            dist = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]
            if dist in by_name and dist not in needed:
                needed.add(dist)
                pending.append(dist)
    return needed


@pytest.mark.parametrize("folder", PACKAGES, ids=lambda p: p.name)
def test_readme_starts_with_install(folder: pathlib.Path) -> None:
    name = str(_project(folder)["name"])
    text = (folder / "README.md").read_text()
    first_section = re.search(r"^## (.*)$", text, re.MULTILINE)
    assert first_section is not None and first_section.group(1) == "Install"
    section = text[first_section.end() :].split("\n## ", 1)[0]
    assert f"$ pip install {name}\n" in section
    from_repo = re.search(r"^\$ pip install (packages/.*)$", section, re.MULTILINE)
    assert from_repo is not None, "no install from the repository"
    paths = from_repo.group(1).split()
    # Every sibling it needs, before the package itself.
    assert set(paths) == {f"packages/{d}" for d in _siblings(name) | {name}}
    assert paths[-1] == f"packages/{folder.name}"
    for sibling in _siblings(name):
        assert f"`{sibling}`" in section


def test_root_quick_start_names_python_and_chromium() -> None:
    text = (ROOT / "README.md").read_text()
    quick_start = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "Python 3.10 or newer" in quick_start
    assert "chromium" in quick_start
