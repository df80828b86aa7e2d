"""The Flask web framework, recombined from the Kolben packages.

Everything Flask 3.1 exports from ``flask`` is here; the objects come from
the parts (``kolben.contexts``, ``kolben.routing``, ``kolben.sessions``,
``kolben.templating``, ``kolben.testing``, ``kolben.cli``) and from this
package's own modules.
"""

from __future__ import annotations

import typing as t

try:
    # The context names are the ones flask.ctx and flask.globals re-export,
    # taken from kolben.contexts so that those two modules load on first access.
    from kolben.contexts import after_this_request as after_this_request
    from kolben.contexts import (
        copy_current_request_context as copy_current_request_context,
    )
    from kolben.contexts import current_app as current_app
    from kolben.contexts import g as g
    from kolben.contexts import has_app_context as has_app_context
    from kolben.contexts import has_request_context as has_request_context
    from kolben.contexts import request as request
    from kolben.contexts import session as session

    from . import json as json
    from .app import Flask as Flask
    from .config import Config as Config
    from .helpers import abort as abort
    from .helpers import flash as flash
    from .helpers import get_flashed_messages as get_flashed_messages
    from .helpers import make_response as make_response
    from .helpers import redirect as redirect
    from .helpers import send_file as send_file
    from .helpers import send_from_directory as send_from_directory
    from .helpers import stream_with_context as stream_with_context
    from .helpers import url_for as url_for
    from .json import jsonify as jsonify
    from .signals import appcontext_popped as appcontext_popped
    from .signals import appcontext_pushed as appcontext_pushed
    from .signals import appcontext_tearing_down as appcontext_tearing_down
    from .signals import before_render_template as before_render_template
    from .signals import got_request_exception as got_request_exception
    from .signals import message_flashed as message_flashed
    from .signals import request_finished as request_finished
    from .signals import request_started as request_started
    from .signals import request_tearing_down as request_tearing_down
    from .signals import template_rendered as template_rendered
    from .wrappers import Request as Request
    from .wrappers import Response as Response
except ModuleNotFoundError as error:
    # A Kolben part is missing (uninstalled, or never installed because
    # someone's tooling replaced the parts' metadata): say which and the fix
    # in one line instead of a traceback deep inside our modules.
    if not (error.name or "").startswith("kolben"):
        raise
    from ._install import missing_part

    raise ImportError(missing_part(error.name or "kolben")) from None

if t.TYPE_CHECKING:
    from kolben.asgi import websocket as websocket
    from kolben.templating import get_template_attribute as get_template_attribute
    from kolben.templating import render_template as render_template
    from kolben.templating import render_template_string as render_template_string
    from kolben.templating import stream_template as stream_template
    from kolben.templating import stream_template_string as stream_template_string

    from . import blueprints as blueprints
    from . import cli as cli
    from . import ctx as ctx
    from . import debughelpers as debughelpers
    from . import logging as logging
    from . import sansio as sansio
    from . import sessions as sessions
    from . import templating as templating
    from . import testing as testing
    from . import typing as typing
    from . import views as views
    from .blueprints import Blueprint as Blueprint

#: What ``from flask import *`` binds: the names Flask's own star import
#: gives (its public names and the submodules its import loads), whether
#: this package has loaded them yet or not, and the WebSocket proxy. Without
#: it a star import would miss every name still waiting for first access.
__all__ = [
    "render_template",
    "render_template_string",
    "stream_template",
    "stream_template_string",
    "Flask",
    "Blueprint",
    "Config",
    "after_this_request",
    "copy_current_request_context",
    "has_app_context",
    "has_request_context",
    "current_app",
    "g",
    "request",
    "session",
    "abort",
    "flash",
    "get_flashed_messages",
    "get_template_attribute",
    "make_response",
    "redirect",
    "send_file",
    "send_from_directory",
    "stream_with_context",
    "url_for",
    "jsonify",
    "appcontext_popped",
    "appcontext_pushed",
    "appcontext_tearing_down",
    "before_render_template",
    "got_request_exception",
    "message_flashed",
    "request_finished",
    "request_started",
    "request_tearing_down",
    "template_rendered",
    "Request",
    "Response",
    "websocket",
    # Submodules.
    "app",
    "blueprints",
    "cli",
    "config",
    "ctx",
    "globals",
    "helpers",
    "json",
    "logging",
    "sansio",
    "sessions",
    "signals",
    "templating",
    "typing",
    "wrappers",
]

# Submodules imported on first access rather than by ``import flask``: the
# command line and the test tools load click, the test client and the CLI
# runner, and templating loads Jinja, which serving requests never needs
# (Jinja not until a template is rendered); sessions loads kolben.sessions and
# itsdangerous, which an app loads when it first uses its session interface;
# blueprints, logging and sansio are needed when an app uses them; ctx,
# globals and typing only re-export or annotate.
_LAZY_SUBMODULES = frozenset(
    {
        "blueprints",
        "cli",
        "ctx",
        "debughelpers",
        "globals",
        "logging",
        "sansio",
        "sessions",
        "templating",
        "testing",
        "typing",
        "views",
    }
)

# Names imported from their module on first access: the blueprint class
# (with kolben.routing's blueprints), and the rendering functions, from where
# they do not load Jinja (an app that renders no template never needs it).
_LAZY_NAMES = {
    "Blueprint": "flask.blueprints",
    "get_template_attribute": "kolben.templating",
    "render_template": "kolben.templating",
    "render_template_string": "kolben.templating",
    "stream_template": "kolben.templating",
    "stream_template_string": "kolben.templating",
}


def __getattr__(name: str) -> t.Any:
    import importlib
    import sys

    module = _LAZY_NAMES.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        # Later lookups find it directly, like an eagerly imported name.
        setattr(sys.modules[__name__], name, value)
        return value
    if name in _LAZY_SUBMODULES:
        # Importing a submodule also sets it as this package's attribute.
        return importlib.import_module(f"{__name__}.{name}")
    if name == "websocket":
        # The WebSocket proxy lives in kolben.asgi, which WSGI serving never
        # needs to import.
        return importlib.import_module("kolben.asgi").websocket
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # Deprecated as in Flask 3.1: the version now comes from the metadata.
    import importlib.metadata
    import warnings

    warnings.warn(
        "The '__version__' attribute is deprecated and will be removed in"
        " Flask 3.2. Use 'importlib.metadata.version(\"flask\")' or feature"
        " detection instead.",
        DeprecationWarning,
        stacklevel=2,
    )
    return importlib.metadata.version("flask")


def __dir__() -> list[str]:
    import sys

    # Not ``globals()``: in this module that name is the ``flask.globals`` module.
    names = {*vars(sys.modules[__name__]), *_LAZY_SUBMODULES, *_LAZY_NAMES}
    return sorted({*names, "websocket"})
