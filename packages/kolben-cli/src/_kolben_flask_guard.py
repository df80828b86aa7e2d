"""Say once, in one line, that upstream Flask has replaced Kolben's ``flask``.

Kolben's ``flask`` meta-package shares its name with upstream Flask, so an
unpinned ``pip install -U flask`` can swap upstream's in once upstream
publishes a higher version, leaving the Kolben parts installed but unused.
Upstream's ``import flask`` runs none of Kolben's code; two hooks of
``kolben-cli`` do, and both end here:

- ``kolben_cli_flask_guard.pth`` (in ``kolben-cli``'s wheel) runs
  ``install()`` at interpreter start. That only puts a finder on
  :data:`sys.meta_path` which ignores every name but ``flask``; the first
  ``import flask`` removes it and, when the condition below holds, prints the
  line. Nothing else is imported at start-up.
- the ``flask.commands`` entry point (``kolben.cli.swap``), which upstream's
  ``flask`` command loads, checks the imported ``flask`` the same way.

The condition, precisely: the ``flask`` package about to be imported is not
Kolben's (it lacks :data:`MARKER`, a module only Kolben's ships) **and**
every part Kolben's ``flask`` requires (:data:`PARTS`) is installed. Using a
single part, or a few, next to upstream Flask on purpose never triggers it.
The line goes to stderr once per process tree (``KOLBEN_FLASK_SWAP_SAID`` is
set for child processes such as the reloader's). Nothing here ever raises.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
import sys

# `typing` is not loaded at interpreter start; importing it here would make
# every Python process of the environment pay for it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import typing as t

#: The distributions Kolben's ``flask`` requires (kept equal to its
#: ``dependencies`` by kolben-cli's tests). All of them installed next to a
#: ``flask`` that is not Kolben's can only mean that ``flask`` was swapped.
PARTS = (
    "kolben-asgi",
    "kolben-cli",
    "kolben-contexts",
    "kolben-routing",
    "kolben-sessions",
    "kolben-templating",
    "kolben-testing",
)

#: A module only Kolben's ``flask`` package ships; its absence says "not ours".
MARKER = "_install.py"

#: Set in the environment once the line is printed, so child processes
#: (``flask run``'s reloader, subprocesses of tests) do not repeat it.
SAID = "KOLBEN_FLASK_SWAP_SAID"


def problem(package_dir: str) -> str | None:
    """Return the one-line message if the ``flask`` package in ``package_dir``
    replaced Kolben's while every Kolben part is installed, else ``None``.

    :param package_dir: The folder of the ``flask`` import package.
    """
    if os.path.isfile(os.path.join(package_dir, MARKER)):
        return None
    import importlib.metadata as metadata

    for name in PARTS:
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return None
    try:
        version = metadata.version("flask")
    except metadata.PackageNotFoundError:
        version = "of unknown version"
    return (
        f"kolben: the installed flask {version} is not Kolben's (it replaced it;"
        " the Kolben parts are unused). Fix: pip install --force-reinstall"
        ' "flask==<your 3.1.3+kolben.N pin>" from Kolben\'s index and keep that'
        " pin in a constraints file (PIP_CONSTRAINT), see Kolben's RELEASING.md."
    )


def warn(package_dir: str, stream: t.TextIO | None = None) -> bool:
    """Print :func:`problem`'s line to stderr unless already said; never raise.

    :param package_dir: The folder of the ``flask`` import package.
    :param stream: Where to write; ``sys.stderr`` by default.
    :returns: Whether the line was printed.
    """
    try:
        if os.environ.get(SAID):
            return False
        line = problem(package_dir)
        if line is None:
            return False
        os.environ[SAID] = "1"
        print(line, file=stream or sys.stderr, flush=True)
        return True
    except Exception:  # noqa: BLE001 - a start-up hook must never break Python
        return False


class FlaskFinder:
    """A :data:`sys.meta_path` finder that only watches for ``import flask``.

    It finds nothing itself: on the first lookup of ``flask`` it removes
    itself, locates the package the normal way, calls :func:`warn`, and lets
    the import go on unchanged.
    """

    def find_spec(
        self,
        name: str,
        path: t.Sequence[str] | None = None,
        target: object = None,
    ) -> None:
        """Watch for ``flask``; always return ``None`` (the import proceeds)."""
        if name != "flask":
            return None
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass
        try:
            from importlib.machinery import PathFinder

            spec = PathFinder.find_spec(name)
            if spec is not None and spec.submodule_search_locations:
                warn(list(spec.submodule_search_locations)[0])
        except Exception:  # noqa: BLE001 - see warn()
            pass
        return None


def install() -> None:
    """Put a :class:`FlaskFinder` first on :data:`sys.meta_path` (the ``.pth``
    file calls this at interpreter start). Does nothing when ``flask`` is
    already imported, the line was said, or a finder is in place.
    """
    try:
        if "flask" in sys.modules or os.environ.get(SAID):
            return
        if not any(isinstance(f, FlaskFinder) for f in sys.meta_path):
            sys.meta_path.insert(0, FlaskFinder())
    except Exception:  # noqa: BLE001 - see warn()
        pass
