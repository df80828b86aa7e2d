"""Where an application's instance folder is when it is not given.

An app that runs from a source checkout keeps its instance folder beside its
package (``<project>/instance``); an installed one keeps it under the Python
prefix (``<prefix>/var/<name>-instance``), since site-packages is no place for
data.
"""

from __future__ import annotations

import importlib.util
import os
import sys


def _is_within(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    # Imported here, not by ``import flask``: only building an app without an
    # instance path asks (once), and pathlib is a millisecond of startup.
    import pathlib

    return pathlib.PurePath(path).is_relative_to(folder)


def _folder_holding(import_name: str) -> str:
    """The folder that contains the top-level package (or module) of
    ``import_name``, found without importing the app's module.
    """
    top_level = import_name.partition(".")[0]
    try:
        spec = importlib.util.find_spec(top_level)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        # Not importable (an interactive session, an unsaved __main__).
        return os.getcwd()

    locations = spec.submodule_search_locations
    if not locations:
        # A plain module: the folder it sits in.
        return os.path.dirname(str(spec.origin))
    if spec.origin not in (None, "namespace"):
        # A regular package: the folder above it.
        return os.path.dirname(os.path.dirname(spec.origin))

    # A namespace package spans several folders; take the portion that holds
    # the app's own package.
    portion = locations[0]
    if import_name != top_level:
        inner = importlib.util.find_spec(import_name)
        if inner is not None and inner.submodule_search_locations:
            package_folder = os.path.commonpath(inner.submodule_search_locations)
            portion = next(
                (loc for loc in locations if _is_within(package_folder, loc)), portion
            )
    return os.path.dirname(portion)


def find_package(import_name: str) -> tuple[str | None, str]:
    """Return ``(prefix, folder)`` for the package or module ``import_name``.

    ``folder`` holds its top-level package. ``prefix`` is the installation
    prefix when it is installed (under :data:`sys.prefix`, or in a
    ``site-packages`` folder), ``None`` when it runs from a source checkout.
    """
    folder = _folder_holding(import_name)
    prefix = os.path.abspath(sys.prefix)
    if _is_within(folder, prefix):
        return prefix, folder

    parent, name = os.path.split(folder)
    if name.lower() != "site-packages":
        return None, folder
    # <prefix>/lib/site-packages (Windows) or <prefix>/lib/pythonX.Y/site-packages.
    grandparent, parent_name = os.path.split(parent)
    if parent_name.lower() == "lib":
        return grandparent, folder
    if os.path.basename(grandparent).lower() == "lib":
        return os.path.dirname(grandparent), folder
    return parent, folder


def default_instance_path(import_name: str, app_name: str) -> str:
    """The instance folder of an app created in ``import_name`` and named
    ``app_name``.
    """
    prefix, folder = find_package(import_name)
    if prefix is None:
        return os.path.join(folder, "instance")
    return os.path.join(prefix, "var", f"{app_name}-instance")
