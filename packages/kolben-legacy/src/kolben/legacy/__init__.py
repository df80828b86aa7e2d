"""Seed-era Flask APIs (Flask 0.x to 1.0) on Kolben's ``flask``, opt-in.

Importing this package changes nothing. :func:`install` restores the old
names and arguments; every use of one emits a :class:`KolbenLegacyWarning`
naming what replaces it, so an application can run unchanged first and be
modernized one warning at a time::

    import kolben.legacy

    kolben.legacy.install()

    from flask import Flask, Markup  # works again, warns when used
"""

from __future__ import annotations

import threading

from ._patching import KolbenLegacyWarning as KolbenLegacyWarning
from ._patching import Patch

__all__ = ["KolbenLegacyWarning", "install", "installed", "uninstall"]

_lock = threading.Lock()
_active: list[Patch] | None = None
_shims: object | None = None


def install() -> None:
    """Restore the seed-era APIs on ``flask`` until :func:`uninstall`.

    Calling it again while installed does nothing. Until it is called,
    ``flask`` answers exactly like Flask 3.1: ``hasattr(flask,
    "_app_ctx_stack")`` and ``hasattr(app, "before_first_request")`` are
    false, so code that probes for the Flask version keeps working.

    .. versionadded:: 0.1.0
    """
    global _active, _shims
    with _lock:
        if _active is not None:
            return
        from . import _app
        from . import _errors
        from . import _helpers
        from . import _modules as modules

        patches = [*_app.patches(), *_errors.patches(), *_helpers.patches()]
        for patch in patches:
            patch.apply()
        shims = modules.ModuleShims()
        shims.install()
        _active, _shims = patches, shims


def uninstall() -> None:
    """Undo :func:`install`: every class and module gets back exactly the
    attributes it had before, and the ``flask.ext`` modules are forgotten.
    Calling it when not installed does nothing.

    .. versionadded:: 0.1.0
    """
    global _active, _shims
    with _lock:
        if _active is None:
            return
        from ._modules import ModuleShims

        assert isinstance(_shims, ModuleShims)
        _shims.uninstall()
        for patch in reversed(_active):
            patch.undo()
        _active = _shims = None


def installed() -> bool:
    """Tell whether :func:`install` is in effect.

    .. versionadded:: 0.1.0
    """
    return _active is not None
