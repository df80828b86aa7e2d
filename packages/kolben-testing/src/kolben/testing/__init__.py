"""An application-aware test client, environ builder and CLI runner.

``kolben.testing`` is what ``flask.testing`` re-exports and what
``app.test_client()``, ``app.test_request_context()`` and ``app.test_cli_runner()``
return; the client also tests any plain WSGI application.

Importing the package loads only :class:`TestingAppFacet`, which an application
class needs when it is defined; the other names are imported on first access,
so that importing an application does not load werkzeug's and click's test
tools.
"""

from __future__ import annotations

import importlib
import typing as t

from .facet import TestingAppFacet as TestingAppFacet

if t.TYPE_CHECKING:
    from .client import FlaskClient as FlaskClient
    from .client import PRESERVE_CONTEXT_KEY as PRESERVE_CONTEXT_KEY
    from .environ import EnvironBuilder as EnvironBuilder
    from .protocols import BuilderApp as BuilderApp
    from .protocols import FacetOwner as FacetOwner
    from .protocols import JSONProvider as JSONProvider
    from .protocols import RunnerApp as RunnerApp
    from .protocols import SessionApp as SessionApp
    from .protocols import SessionBackend as SessionBackend
    from .runner import FlaskCliRunner as FlaskCliRunner
    from .runner import StaticScriptInfo as StaticScriptInfo

#: The module of each name imported on first access.
_LAZY = {
    "FlaskClient": "client",
    "PRESERVE_CONTEXT_KEY": "client",
    "EnvironBuilder": "environ",
    "BuilderApp": "protocols",
    "FacetOwner": "protocols",
    "JSONProvider": "protocols",
    "RunnerApp": "protocols",
    "SessionApp": "protocols",
    "SessionBackend": "protocols",
    "FlaskCliRunner": "runner",
    "StaticScriptInfo": "runner",
}


def __getattr__(name: str) -> t.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    # Later lookups find it directly, like an eagerly imported name.
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
