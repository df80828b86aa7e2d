"""Application and request contexts, the ``g`` namespace and the context proxies.

``kolben.contexts`` is the context-local machinery behind Flask's
``current_app``, ``g``, ``request`` and ``session``, usable by any WSGI program.
"""

from __future__ import annotations

import typing as t

from .ctx import AppContext as AppContext
from .ctx import AppCtxGlobals as AppCtxGlobals
from .ctx import RequestContext as RequestContext
from .facet import ContextsAppFacet as ContextsAppFacet
from .globals import _cv_app as _cv_app
from .globals import _cv_request as _cv_request
from .globals import app_ctx as app_ctx
from .globals import current_app as current_app
from .globals import g as g
from .globals import request as request
from .globals import request_ctx as request_ctx
from .globals import session as session
from .helpers import after_this_request as after_this_request
from .helpers import call_teardown_functions as call_teardown_functions
from .helpers import copy_current_request_context as copy_current_request_context
from .helpers import has_app_context as has_app_context
from .helpers import has_request_context as has_request_context
from .helpers import stream_with_context as stream_with_context
from .signals import appcontext_popped as appcontext_popped
from .signals import appcontext_pushed as appcontext_pushed
from .signals import appcontext_tearing_down as appcontext_tearing_down
from .signals import request_tearing_down as request_tearing_down

if t.TYPE_CHECKING:
    from .protocols import ContextApp as ContextApp
    from .protocols import SessionOpener as SessionOpener

#: Names imported on first access: the protocols, which only type checkers
#: and their users need, not a program that imports the package.
_LAZY = {"ContextApp": "protocols", "SessionOpener": "protocols"}


#: What ``from kolben.contexts import *`` binds: the public names, those
#: imported on first access included.
__all__ = [
    "AppContext",
    "AppCtxGlobals",
    "RequestContext",
    "ContextsAppFacet",
    "app_ctx",
    "current_app",
    "g",
    "request",
    "request_ctx",
    "session",
    "after_this_request",
    "call_teardown_functions",
    "copy_current_request_context",
    "has_app_context",
    "has_request_context",
    "stream_with_context",
    "appcontext_popped",
    "appcontext_pushed",
    "appcontext_tearing_down",
    "request_tearing_down",
    *_LAZY,
]


def __getattr__(name: str) -> t.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    import sys

    # Not ``globals()``: in this module that name is the ``.globals`` module.
    return sorted({*vars(sys.modules[__name__]), *_LAZY})
