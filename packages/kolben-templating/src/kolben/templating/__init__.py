"""Jinja integration for applications and blueprints: environment, loaders,
rendering and signals.

``kolben.templating`` is the template machinery behind Flask's
``render_template`` family, usable by any application class that mixes in its
facets, and, through :class:`Templates`, by any WSGI program.

Importing the package loads what an application class needs when it is
defined; Jinja itself (the environment and the loader), :class:`Templates`,
the rendering functions, the protocols and the debugging helper are imported
on first access, so an application that renders no template never loads
Jinja.
"""

from __future__ import annotations

import importlib
import typing as t

from ._autoescape import default_autoescape as default_autoescape
from .facets import default_context_processor as default_context_processor
from .facets import TemplatingAppFacet as TemplatingAppFacet
from .facets import TemplatingBlueprintFacet as TemplatingBlueprintFacet
from .facets import TemplatingScaffoldFacet as TemplatingScaffoldFacet
from .signals import before_render_template as before_render_template
from .signals import template_rendered as template_rendered

if t.TYPE_CHECKING:
    from .debug import (
        explain_template_loading_attempts as explain_template_loading_attempts,
    )
    from .environment import Environment as Environment
    from .loaders import DispatchingJinjaLoader as DispatchingJinjaLoader
    from .protocols import SetupState as SetupState
    from .protocols import TemplateSource as TemplateSource
    from .protocols import TemplatingApp as TemplatingApp
    from .protocols import TemplatingBlueprint as TemplatingBlueprint
    from .protocols import TemplatingScaffold as TemplatingScaffold
    from .rendering import get_template_attribute as get_template_attribute
    from .rendering import render_template as render_template
    from .rendering import render_template_string as render_template_string
    from .rendering import stream_template as stream_template
    from .rendering import stream_template_string as stream_template_string
    from .templates import Templates as Templates

#: The module of each name imported on first access: what an application class
#: does not need when it is defined (Jinja's classes among them).
_LAZY = {
    "DispatchingJinjaLoader": "loaders",
    "Environment": "environment",
    "explain_template_loading_attempts": "debug",
    "SetupState": "protocols",
    "TemplateSource": "protocols",
    "TemplatingApp": "protocols",
    "TemplatingBlueprint": "protocols",
    "TemplatingScaffold": "protocols",
    "get_template_attribute": "rendering",
    "render_template": "rendering",
    "render_template_string": "rendering",
    "stream_template": "rendering",
    "stream_template_string": "rendering",
    "Templates": "templates",
}


#: What ``from kolben.templating import *`` binds: the public names, those
#: imported on first access included.
__all__ = [
    "default_autoescape",
    "default_context_processor",
    "TemplatingAppFacet",
    "TemplatingBlueprintFacet",
    "TemplatingScaffoldFacet",
    "before_render_template",
    "template_rendered",
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
