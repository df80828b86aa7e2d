"""Check the repository rules that no linter knows about.

For every distribution under ``packages/`` this proves that:

- the top stanza of ``CHANGES.md`` is ``## Version <the pyproject version>``
  followed by ``Unreleased`` or ``Released YYYY-MM-DD`` (Pallets format);
- ``src/kolben/`` holds no file, so ``kolben`` stays a PEP 420 namespace that
  every part can share, and the wheel target names ``src/kolben`` explicitly;
- its import package has a ``py.typed`` marker;
- every requirement on a sibling is a range with a lower and an upper bound,
  never an ``==`` pin (which would freeze the siblings together) and never
  unbounded (which would admit the next breaking release);
- declared equals imported: every module its source imports at runtime (not
  under ``if TYPE_CHECKING:``) is its own, the standard library's, or
  provided by a distribution it declares (in ``dependencies`` or an extra).
  That every module then imports from the installed wheel alone is proven
  by ``hatch run bounds``, which imports each of them before the tests.

Run it through hatch::

    hatch run checks

It prints each problem and exits non-zero if there is any.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import pathlib
import re
import sys

from _workspace import Distribution
from _workspace import distributions
from _workspace import normalize
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


@functools.cache
def _providers() -> dict[str, frozenset[str]]:
    """Map each installed top-level module to the distributions that ship it."""
    found: dict[str, set[str]] = {}
    for module, names in importlib.metadata.packages_distributions().items():
        found.setdefault(module, set()).update(normalize(n) for n in names)
    return {module: frozenset(names) for module, names in found.items()}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _catches_import_error(node: ast.Try) -> bool:
    names = {"ImportError", "ModuleNotFoundError"}
    for handler in node.handlers:
        caught = handler.type
        types = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        if any(isinstance(c, ast.Name) and c.id in names for c in types):
            return True
    return False


def runtime_imports(tree: ast.AST) -> set[str]:
    """Return the absolute module names a module imports when it runs.

    Imports under ``if TYPE_CHECKING:`` only matter to the type checker and
    are left out, and so are imports in a ``try`` that catches
    ``ImportError``: those probe for an optional package and handle its
    absence. Imports inside functions count (they run when called).

    :param tree: A parsed module.
    """
    found: set[str] = set()
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Try) and _catches_import_error(node):
            pending.extend([*node.handlers, *node.orelse, *node.finalbody])
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module)
        pending.extend(ast.iter_child_nodes(node))
    return found


def import_problems(dist: Distribution, dists: dict[str, Distribution]) -> list[str]:
    """Check that what ``dist``'s source imports at runtime is declared."""
    declared = {r.name for r in dist.all_requirements()}
    ours = {d.import_name: d.name for d in dists.values()}
    found = set()
    # Top-level modules a wheel ships next to its package (kolben-cli's
    # start-up guard, _kolben_flask_guard.py) are its own too.
    modules = {p.stem for p in (dist.path / "src").glob("*.py")}
    sources = sorted(dist.source.rglob("*.py"))
    sources += sorted((dist.path / "src").glob("*.py"))
    for path in sources:
        tree = ast.parse(path.read_text(), str(path))
        for module in runtime_imports(tree):
            top = module.split(".")[0]
            if top == "__future__" or top in sys.stdlib_module_names:
                continue
            if top in modules:
                continue
            owner = next(
                (
                    name
                    for package, name in ours.items()
                    if module == package or module.startswith(package + ".")
                ),
                None,
            )
            if owner == dist.name:
                continue
            providers = {owner} if owner else set(_providers().get(top, ()))
            shown = path.relative_to(dist.path).as_posix()
            if not providers:
                found.add(f"{shown} imports {module}, which no distribution provides")
            elif not providers & declared:
                names = " or ".join(sorted(providers))
                found.add(f"{shown} imports {module} but {names} is not declared")
    return sorted(found)


def problems(root: pathlib.Path = ROOT) -> list[str]:
    """Return every rule broken in the checkout at ``root``, one line each."""
    dists = distributions(root)
    found = []
    for dist in dists.values():
        for problem in (
            changelog_problems(dist)
            + layout_problems(dist)
            + range_problems(dist, set(dists))
            + import_problems(dist, dists)
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
