"""Each package imports only what its ``pyproject.toml`` declares.

Every ``kolben.<part>`` (and ``flask``) is imported in a fresh interpreter and
the modules that import added to ``sys.modules`` are compared with what the
distribution may load: the standard library, its declared dependencies (extras
included, since a part may import an optional dependency when present) and
what those depend on in turn, and the siblings it declares. A part never loads
``flask``: the meta-package is built on the parts, not the other way round.

The technique is the one ``pallets/click``'s ``tests/test_imports.py`` uses.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import pathlib
import re
import subprocess
import sys

import pytest
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
DISTRIBUTIONS = sorted(p.parent.name for p in ROOT.glob("packages/*/pyproject.toml"))

#: The import name of a distribution whose metadata may not be installed here.
KNOWN_MODULES = {
    "python-dotenv": {"dotenv"},
    "markupsafe": {"markupsafe"},
    "pyyaml": {"yaml"},
}

PROBE = """\
import json, sys
before = set(sys.modules)
import {module}
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def normalize(name: str) -> str:
    """Return a distribution name in PEP 503 normal form."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    """Return the normalized distribution name a requirement string names."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match is not None, requirement
    return normalize(match[1])


def import_name(dist: str) -> str:
    """Return the import package of one of our distributions."""
    if dist.startswith("kolben-"):
        return "kolben." + dist.removeprefix("kolben-")
    return dist


def declared(dist: str, extras: bool = True) -> set[str]:
    """Return the distributions ``dist`` declares, with its extras' if asked."""
    with (ROOT / "packages" / dist / "pyproject.toml").open("rb") as f:
        project = tomllib.load(f)["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values() if extras else ():
        requirements.extend(extra)
    return {requirement_name(r) for r in requirements}


@functools.cache
def modules_by_distribution() -> dict[str, set[str]]:
    """Map installed distributions to the top-level modules they provide."""
    found: dict[str, set[str]] = {}
    for module, dists in importlib.metadata.packages_distributions().items():
        for dist in dists:
            found.setdefault(normalize(dist), set()).add(module)
    return found


def closure(names: set[str]) -> set[str]:
    """Add every installed distribution that ``names`` need in turn."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in DISTRIBUTIONS:
            todo.extend(declared(name, extras=False))
            continue
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in requires:
            marker = requirement.partition(";")[2]
            if "extra" in marker:
                continue
            todo.append(requirement_name(requirement))
    return seen


def allowed_modules(dist: str) -> tuple[set[str], set[str]]:
    """Return the third-party modules and our packages ``dist`` may load.

    A sibling's own dependencies count as declared: ``kolben-templating``
    loads werkzeug through ``kolben.contexts``. Only the declared siblings
    themselves, not what they depend on, are ours to import.
    """
    ours = set(DISTRIBUTIONS)
    siblings = {d for d in declared(dist) if d in ours}
    if "flask" in siblings:
        # An add-on above the meta-package reaches the parts through ``flask``,
        # which re-exports them: what ``flask`` may import, it may.
        siblings |= {d for d in declared("flask") if d in ours}
    needed = closure(declared(dist))
    modules: set[str] = set()
    for name in needed - ours:
        provided = modules_by_distribution().get(name) or KNOWN_MODULES.get(name)
        modules |= provided or {name.replace("-", "_")}
    parts = {import_name(d) for d in siblings | {dist}}
    return modules, parts


def loaded_by_import(module: str, cwd: pathlib.Path) -> list[str]:
    """Import ``module`` in a fresh interpreter; return the modules it added."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    modules: list[str] = json.loads(result.stdout)
    return modules


def offenders(dist: str, loaded: list[str]) -> list[str]:
    """Return the loaded modules that ``dist`` has no declared right to load."""
    modules, parts = allowed_modules(dist)
    wrong = []
    for name in loaded:
        top = name.partition(".")[0]
        if top in sys.stdlib_module_names or top in modules or name == "kolben":
            continue
        if any(name == part or name.startswith(part + ".") for part in parts):
            continue
        wrong.append(name)
    return wrong


@pytest.mark.parametrize("dist", DISTRIBUTIONS)
def test_imports_only_declared_dependencies(dist: str, tmp_path: pathlib.Path) -> None:
    loaded = loaded_by_import(import_name(dist), tmp_path)
    assert import_name(dist) in loaded
    assert offenders(dist, loaded) == [], (
        f"{dist} loads modules its pyproject.toml does not declare"
    )


#: The parts: every distribution but ``flask`` and the add-ons that declare it.
PARTS = [d for d in DISTRIBUTIONS if d != "flask" and "flask" not in declared(d)]


def test_add_ons_sit_above_the_meta_package() -> None:
    # DESIGN.md: only ``flask`` depends on several parts; an add-on depends on
    # ``flask`` itself, and nothing depends on an add-on.
    add_ons = set(DISTRIBUTIONS) - set(PARTS) - {"flask"}
    assert "kolben-legacy" in add_ons
    for dist in DISTRIBUTIONS:
        assert not declared(dist) & add_ons, dist


@pytest.mark.parametrize("dist", PARTS)
def test_no_part_loads_flask(dist: str, tmp_path: pathlib.Path) -> None:
    loaded = loaded_by_import(import_name(dist), tmp_path)
    assert [m for m in loaded if m.partition(".")[0] == "flask"] == []


def test_the_check_sees_an_undeclared_import(tmp_path: pathlib.Path) -> None:
    # kolben-sessions does not declare click (and nothing it needs does).
    assert offenders("kolben-sessions", ["kolben.sessions", "click", "flask.app"]) == [
        "click",
        "flask.app",
    ]
    # A sibling it does not declare is as foreign as any other package.
    assert offenders("kolben-sessions", ["kolben.routing.scaffold"]) == [
        "kolben.routing.scaffold"
    ]
    # What a declared dependency needs in turn is allowed (werkzeug -> markupsafe).
    assert offenders("kolben-sessions", ["werkzeug.wrappers", "markupsafe"]) == []
