"""JSON helpers that follow the current application's JSON provider.

Inside an application context these functions call ``current_app.json`` (see
:mod:`flask.json.provider`), so an app's JSON settings apply everywhere;
outside one they fall back to the standard library with Flask's defaults for
dates, decimals, UUIDs, dataclasses and ``__html__`` objects.
"""

from __future__ import annotations

import json as _json
import typing as t

from kolben.contexts import _cv_app
from kolben.contexts import current_app as current_app

from . import provider as provider
from .provider import _default

if t.TYPE_CHECKING:  # pragma: no cover
    from ..wrappers import Response
    from . import tag as tag


def _app_json() -> t.Any:
    ctx = _cv_app.get(None)
    if ctx is None:
        return None
    app: t.Any = ctx.app
    return app.json


def dumps(obj: t.Any, **kwargs: t.Any) -> str:
    """Serialize ``obj`` to a JSON string.

    With an active app context this is ``current_app.json.dumps(obj, **kwargs)``;
    otherwise :func:`json.dumps` with Flask's ``default``.

    .. versionchanged:: 2.3
        The ``app`` parameter was removed.
    """
    provider = _app_json()
    if provider is not None:
        return provider.dumps(obj, **kwargs)  # type: ignore[no-any-return]
    kwargs.setdefault("default", _default)
    return _json.dumps(obj, **kwargs)


def dump(obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
    """Serialize ``obj`` as JSON into the text file ``fp``, through the current
    app's provider when there is one.
    """
    provider = _app_json()
    if provider is not None:
        provider.dump(obj, fp, **kwargs)
        return
    kwargs.setdefault("default", _default)
    _json.dump(obj, fp, **kwargs)


def loads(s: str | bytes, **kwargs: t.Any) -> t.Any:
    """Deserialize a JSON string or bytes, through the current app's provider
    when there is one.
    """
    provider = _app_json()
    if provider is not None:
        return provider.loads(s, **kwargs)
    return _json.loads(s, **kwargs)


def load(fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
    """Deserialize JSON read from the file ``fp``, through the current app's
    provider when there is one.
    """
    provider = _app_json()
    if provider is not None:
        return provider.load(fp, **kwargs)
    return _json.load(fp, **kwargs)


def jsonify(*args: t.Any, **kwargs: t.Any) -> Response:
    """Return a JSON response of the arguments.

    Calls ``current_app.json.response``: one positional argument is serialized
    as is, several as a list, keyword arguments as a dict::

        @app.route("/users/me")
        def me():
            return jsonify(username=g.user.username, email=g.user.email)

    A view can also return a dict or list directly, which does the same.

    :raises RuntimeError: outside an application context.
    :raises TypeError: when given both positional and keyword arguments.
    """
    return current_app.json.response(*args, **kwargs)  # type: ignore[no-any-return]


def __getattr__(name: str) -> t.Any:
    if name == "__all__":
        # Flask's module has no ``__all__``: its star import binds every
        # public global, ``tag`` included (see ``flask.app``).
        return [name for name in __dir__() if not name.startswith("_")]
    # ``flask.json.tag``, the session serializer's module, is there after
    # ``import flask`` as in Flask, but imported on first access: it loads
    # kolben.sessions, which an app needs when it first uses its session.
    if name == "tag":
        import importlib

        return importlib.import_module(f"{__name__}.tag")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "tag"})
