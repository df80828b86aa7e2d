"""Jinja integration for applications and blueprints: environment, loaders,
rendering and signals.

``kolben.templating`` is the template machinery behind Flask's
``render_template`` family, usable by any application class that mixes in its
facets, and, through :class:`Templates`, by any WSGI program.
"""

from __future__ import annotations

from .debug import (
    explain_template_loading_attempts as explain_template_loading_attempts,
)
from .environment import default_autoescape as default_autoescape
from .environment import Environment as Environment
from .facets import default_context_processor as default_context_processor
from .facets import TemplatingAppFacet as TemplatingAppFacet
from .facets import TemplatingBlueprintFacet as TemplatingBlueprintFacet
from .facets import TemplatingScaffoldFacet as TemplatingScaffoldFacet
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
from .signals import before_render_template as before_render_template
from .signals import template_rendered as template_rendered
from .templates import Templates as Templates
