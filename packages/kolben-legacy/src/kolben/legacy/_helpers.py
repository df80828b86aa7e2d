"""Seed-era arguments of ``send_file``/``send_from_directory`` and
``FlaskGroup(create_app=...)`` factories that take the ``ScriptInfo``.
"""

from __future__ import annotations

import functools
import inspect
import typing as t

import flask
import flask.helpers
from flask.cli import ScriptInfo

from ._patching import Patch
from ._patching import warn

#: Flask 1.x keyword -> its Flask 2.0 name.
RENAMED = {
    "attachment_filename": "download_name",
    "cache_timeout": "max_age",
    "add_etags": "etag",
}


def _modernize(kwargs: dict[str, t.Any], function: str) -> dict[str, t.Any]:
    for old, new in RENAMED.items():
        if old not in kwargs:
            continue
        if new in kwargs:
            raise TypeError(f"{function}() got both {old!r} and {new!r}; pass {new!r}")
        warn(f"{function}({old}=...)", f"{function}({new}=...)", stacklevel=4)
        kwargs[new] = kwargs.pop(old)
    return kwargs


def _wrap_send_file(original: t.Any) -> t.Any:
    @functools.wraps(original)
    def send_file(*args: t.Any, **kwargs: t.Any) -> t.Any:
        return original(*args, **_modernize(kwargs, "send_file"))

    return send_file


def _wrap_send_from_directory(original: t.Any) -> t.Any:
    @functools.wraps(original)
    def send_from_directory(*args: t.Any, **kwargs: t.Any) -> t.Any:
        if "filename" in kwargs:
            if "path" in kwargs or len(args) > 1:
                raise TypeError(
                    "send_from_directory() got both 'filename' and 'path'; pass 'path'"
                )
            warn(
                "send_from_directory(filename=...)",
                "send_from_directory(path=...)",
            )
            kwargs["path"] = kwargs.pop("filename")
        return original(*args, **_modernize(kwargs, "send_from_directory"))

    return send_from_directory


def _factory_call(create_app: t.Any, info: ScriptInfo) -> t.Any:
    """Return a zero-argument call of a 1.0-style factory, or ``None`` when
    the factory is already a modern one (it takes no required argument).
    """
    try:
        params = list(inspect.signature(create_app).parameters.values())
    except (TypeError, ValueError):
        return None
    if any(p.name == "script_info" for p in params):
        return functools.partial(create_app, script_info=info)
    required = [
        p
        for p in params
        if p.default is p.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if len(required) == 1:
        return functools.partial(create_app, info)
    return None


def _wrap_load_app(original: t.Any) -> t.Any:
    @functools.wraps(original)
    def load_app(self: ScriptInfo) -> t.Any:
        factory = self.create_app
        if factory is None or self._loaded_app is not None:
            return original(self)
        call = _factory_call(factory, self)
        if call is None:
            return original(self)
        warn(
            "a create_app factory taking the ScriptInfo",
            "a factory without arguments",
            stacklevel=3,
        )
        self.create_app = call
        try:
            return original(self)
        finally:
            self.create_app = factory

    return load_app


def patches() -> list[Patch]:
    """Return the patches of the helpers and of the command line."""
    send_file = _wrap_send_file(flask.helpers.send_file)
    send_from_directory = _wrap_send_from_directory(flask.helpers.send_from_directory)
    return [
        Patch(flask.helpers, "send_file", send_file),
        Patch(flask, "send_file", send_file),
        Patch(flask.helpers, "send_from_directory", send_from_directory),
        Patch(flask, "send_from_directory", send_from_directory),
        Patch(ScriptInfo, "load_app", _wrap_load_app(ScriptInfo.load_app)),
    ]
