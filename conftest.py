"""Test-run guard shared by every test run in this repository.

The machines we work on have upstream Flask in the global site-packages. A test
run that silently imported it (or a stale copy of a ``kolben`` part) would test
the wrong code, so this guard stops the run before any test is collected when
``flask`` or a ``kolben.*`` part resolves to anywhere but the expected place.

The expected place is the ``packages/`` folder beside this file (the hatch
workspace, where every package is installed editable). ``tools/isolation.py``
sets ``KOLBEN_IMPORT_ROOT`` to the site-packages of its throwaway virtualenv,
so an isolated run proves it tests the built wheel and not the source tree.

Only the standard library and pytest are imported here: the isolated runs of
single packages load this file too.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib

import pytest

#: Every import package this repository ships.
GUARDED = (
    "flask",
    "kolben.contexts",
    "kolben.routing",
    "kolben.sessions",
    "kolben.templating",
    "kolben.testing",
    "kolben.cli",
)


def expected_root() -> pathlib.Path:
    """Return the folder every guarded package must be imported from."""
    override = os.environ.get("KOLBEN_IMPORT_ROOT")
    if override:
        return pathlib.Path(override).resolve()
    return (pathlib.Path(__file__).parent / "packages").resolve()


def misplaced_imports(root: pathlib.Path) -> list[str]:
    """List the guarded packages that resolve outside ``root``, with where."""
    wrong = []
    for name in GUARDED:
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            # kolben.<part> when no part is installed: the namespace is absent.
            continue
        if spec is None or spec.origin is None:
            continue
        origin = pathlib.Path(spec.origin).resolve()
        if not origin.is_relative_to(root):
            wrong.append(f"{name} from {origin}")
    return wrong


def pytest_configure(config: pytest.Config) -> None:
    root = expected_root()
    wrong = misplaced_imports(root)
    if wrong:
        raise pytest.UsageError(
            "Refusing to test the wrong code: these packages would be imported"
            f" from outside {root}:\n  "
            + "\n  ".join(wrong)
            + "\nRun the tests inside the hatch environment (`hatch test`)."
        )
