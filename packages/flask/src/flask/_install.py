"""What ``import flask`` says when Kolben's ``flask`` lost one of its parts.

Only imported on that failure, so it costs a working import nothing.
"""

from __future__ import annotations

import importlib.metadata


def missing_part(module: str) -> str:
    """Return the one-line message for a part that cannot be imported.

    :param module: The module that is missing, e.g. ``kolben.routing``.

    .. versionadded:: 3.1.3+kolben.1
    """
    part = "kolben-" + module.removeprefix("kolben.").split(".")[0].replace("_", "-")
    try:
        version = importlib.metadata.version("flask")
    except importlib.metadata.PackageNotFoundError:
        version = "3.1.3+kolben.1"
    if module == "kolben":
        part = "the kolben parts"
    return (
        f"Kolben's flask {version} cannot import {module}: {part} is not installed."
        f" Fix: pip install --force-reinstall 'flask=={version}' from Kolben's"
        " index (see RELEASING.md)."
    )
