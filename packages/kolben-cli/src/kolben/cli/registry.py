"""Which objects app discovery takes for applications.

Kept apart from :mod:`kolben.cli.discovery`, and free of click, so that an
application class can register itself when its module is imported without
loading the command line.
"""

from __future__ import annotations

import typing as t

_T = t.TypeVar("_T", bound=type)

# Kept in registration order: the first one names applications in messages.
_app_classes: list[type] = []


def register_app_class(cls: _T) -> _T:
    """Make instances of ``cls`` (and its subclasses) what discovery looks for.

    Once any class is registered, discovery accepts only instances of registered
    classes, and messages name the first registered class ("Could not locate a
    Flask application"). The ``flask`` meta-package registers ``Flask``; a
    standalone application class may register itself. Returns ``cls``, so it can
    be used as a class decorator. Registering a class twice has no effect.
    """
    if cls not in _app_classes:
        _app_classes.append(cls)
    return cls


def unregister_app_class(cls: type) -> None:
    """Undo :func:`register_app_class` for ``cls``; unknown classes are ignored."""
    if cls in _app_classes:
        _app_classes.remove(cls)


def registered_app_classes() -> tuple[type, ...]:
    """The classes registered with :func:`register_app_class`, in order."""
    return tuple(_app_classes)


def is_app(obj: object) -> bool:
    """Whether discovery would take ``obj`` as an application instance."""
    if _app_classes:
        return isinstance(obj, tuple(_app_classes))
    if isinstance(obj, type):
        return False
    try:
        return callable(getattr(obj, "wsgi_app", None))
    except Exception:
        # Modules hold objects whose attribute access can fail, like an unbound
        # context proxy (``from kolben.contexts import current_app``).
        return False


def _accept_named(obj: object) -> bool:
    """Whether ``obj``, named explicitly with ``module:name``, is an application."""
    if is_app(obj):
        return True
    # Without a registered class the user's explicit choice of any WSGI callable
    # (a middleware, a bare app object) is trusted.
    return not _app_classes and callable(obj) and not isinstance(obj, type)


def _kind() -> str:
    """What applications are called in messages: "Flask", or "WSGI" by default."""
    return _app_classes[0].__name__ if _app_classes else "WSGI"
