"""Check the repository rules that no linter knows about.

For every distribution under ``packages/`` this proves that:

- the top stanza of ``CHANGES.md`` is ``## Version <the pyproject version>``
  followed by ``Unreleased`` or ``Released YYYY-MM-DD`` (Pallets format);
- ``src/kolben/`` holds no file, so ``kolben`` stays a PEP 420 namespace that
  every part can share, and the wheel target names ``src/kolben`` explicitly;
- its import package has a ``py.typed`` marker;
- every requirement on a sibling is a range with a lower and an upper bound,
  never an ``==`` pin (which would freeze the siblings together) and never
  unbounded (which would admit the next breaking release).

Run it through hatch::

    hatch run checks

It prints each problem and exits non-zero if there is any.
"""

from __future__ import annotations

import pathlib
import re
import sys

from _workspace import Distribution
from _workspace import distributions
from _workspace import ROOT
from _workspace import WorkspaceError

_TOP = re.compile(
    r"\A\s*## Version (?P<version>\S+)[ \t]*\n\s*\n?(?P<status>[^\n]*)\n", re.M
)

_LOWER = {">=", ">", "~=", "=="}
_UPPER = {"<", "<=", "~="}


def changelog_problems(dist: Distribution) -> list[str]:
    """Compare the top stanza of ``CHANGES.md`` with the pyproject version."""
    if not dist.changes.is_file():
        return ["CHANGES.md is missing"]
    top = _TOP.match(dist.changes.read_text())
    if top is None:
        return ["CHANGES.md does not start with a '## Version X.Y.Z' heading"]
    found = []
    if top["version"] != dist.version:
        found.append(
            f"CHANGES.md's top heading is Version {top['version']} but"
            f" pyproject.toml says {dist.version}"
        )
    status = top["status"].strip()
    if status != "Unreleased" and not re.fullmatch(r"Released \d{4}-\d\d-\d\d", status):
        found.append(
            f"CHANGES.md: Version {top['version']} must be followed by 'Unreleased'"
            f" or 'Released YYYY-MM-DD', not {status!r}"
        )
    return found


def layout_problems(dist: Distribution) -> list[str]:
    """Check the namespace folder, the wheel target and ``py.typed``."""
    found = []
    if dist.import_name.startswith("kolben."):
        namespace = dist.path / "src" / "kolben"
        for entry in sorted(namespace.iterdir()) if namespace.is_dir() else []:
            if entry.is_file():
                found.append(
                    f"src/kolben/{entry.name} must not exist: kolben is a PEP 420"
                    " namespace shared by every part"
                )
        wheel = dist.data.get("tool", {}).get("hatch", {}).get("build", {})
        packages = wheel.get("targets", {}).get("wheel", {}).get("packages")
        if packages != ["src/kolben"]:
            found.append(
                "[tool.hatch.build.targets.wheel] must say packages = ['src/kolben']"
            )
    if not dist.source.is_dir():
        found.append(f"its import package {dist.import_name} is missing")
    elif not (dist.source / "py.typed").is_file():
        found.append(f"{dist.import_name} has no py.typed")
    return found


def range_problems(dist: Distribution, siblings: set[str]) -> list[str]:
    """Check that each requirement on a sibling is a bounded, unpinned range."""
    found = []
    for requirement in dist.all_requirements():
        if requirement.name not in siblings or requirement.name == dist.name:
            continue
        if requirement.url:
            found.append(f"{requirement.name} must not be a direct URL")
            continue
        operators = {operator for operator, _ in requirement.clauses()}
        shown = f"{requirement.name}{requirement.specifier}"
        if operators & {"==", "==="}:
            found.append(f"{shown} is pinned: use a range such as >=0.1,<0.2")
        elif not operators & _LOWER or not operators & _UPPER:
            found.append(
                f"{shown or requirement.name} is unbounded: use a range up to the"
                " next breaking release, such as >=0.1,<0.2"
            )
    return found


def problems(root: pathlib.Path = ROOT) -> list[str]:
    """Return every rule broken in the checkout at ``root``, one line each."""
    dists = distributions(root)
    found = []
    for dist in dists.values():
        for problem in (
            changelog_problems(dist)
            + layout_problems(dist)
            + range_problems(dist, set(dists))
        ):
            found.append(f"{dist.name}: {problem}")
    return found


def main() -> int:
    """Run the checks; return the exit status."""
    try:
        found = problems()
    except (WorkspaceError, OSError, ValueError) as error:
        print(f"checks: cannot read the workspace: {error}", file=sys.stderr)
        return 1
    for problem in found:
        print(f"FAIL {problem}")
    if found:
        print(f"checks: {len(found)} problem(s)")
        return 1
    print(f"checks: {len(distributions())} distributions follow the repository rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
