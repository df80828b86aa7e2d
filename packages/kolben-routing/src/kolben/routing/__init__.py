"""The registration scaffold, blueprints, class-based views and URL building on
werkzeug's routing map.

``kolben.routing`` is the routing layer of Flask as its own package: the
decorators apps and blueprints share, blueprints, ``View``/``MethodView``,
``url_for``, cached per-request hook lookups, and a standalone :class:`Router`
for plain WSGI programs.
"""

from __future__ import annotations

import importlib
import typing as t

from .app import RoutingApp as RoutingApp
from .hooks import blueprint_chain as blueprint_chain
from .hooks import HookQueries as HookQueries
from .hooks import RequestHooks as RequestHooks
from .hooks import split_blueprint_path as split_blueprint_path
from .lazy import LazyImport as LazyImport
from .scaffold import get_root_path as get_root_path
from .scaffold import Scaffold as Scaffold
from .scaffold import setupmethod as setupmethod
from .urls import url_for as url_for

if t.TYPE_CHECKING:
    from .blueprints import Blueprint as Blueprint
    from .blueprints import BlueprintSetupState as BlueprintSetupState
    from .blueprints import DeferredSetupFunction as DeferredSetupFunction
    from .protocols import RoutingOwner as RoutingOwner
    from .protocols import StaticFilesBlueprint as StaticFilesBlueprint
    from .protocols import URLBuilder as URLBuilder
    from .router import Router as Router
    from .views import http_method_funcs as http_method_funcs
    from .views import MethodView as MethodView
    from .views import View as View

#: The module of each name imported on first access: what an application
#: class does not need when it is defined. The standalone :class:`Router`
#: imports werkzeug's routing package at once, which an app defers to its
#: construction; blueprints, views and the protocols are not needed to define
#: an app.
_LAZY = {
    "Blueprint": "blueprints",
    "BlueprintSetupState": "blueprints",
    "DeferredSetupFunction": "blueprints",
    "RoutingOwner": "protocols",
    "StaticFilesBlueprint": "protocols",
    "URLBuilder": "protocols",
    "Router": "router",
    "http_method_funcs": "views",
    "MethodView": "views",
    "View": "views",
}


#: What ``from kolben.routing import *`` binds: the public names, those
#: imported on first access included.
__all__ = [
    "RoutingApp",
    "blueprint_chain",
    "HookQueries",
    "RequestHooks",
    "split_blueprint_path",
    "get_root_path",
    "Scaffold",
    "setupmethod",
    "url_for",
    "LazyImport",
    *_LAZY,
]


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
