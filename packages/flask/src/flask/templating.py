"""Rendering templates, from :mod:`kolben.templating`."""

from __future__ import annotations

import typing as t  # noqa: F401

import jinja2
from jinja2 import BaseLoader as BaseLoader
from jinja2 import Template as Template
from jinja2 import TemplateNotFound as TemplateNotFound

from kolben.contexts import _cv_app as _cv_app
from kolben.contexts import _cv_request as _cv_request
from kolben.contexts import current_app as current_app
from kolben.contexts import request as request
from kolben.contexts import stream_with_context as stream_with_context
from kolben.templating import before_render_template as before_render_template
from kolben.templating import (
    default_context_processor as _default_template_ctx_processor,  # noqa: F401
)
from kolben.templating import DispatchingJinjaLoader as DispatchingJinjaLoader
from kolben.templating import Environment as Environment
from kolben.templating import render_template as render_template
from kolben.templating import render_template_string as render_template_string
from kolben.templating import stream_template as stream_template
from kolben.templating import stream_template_string as stream_template_string
from kolben.templating import template_rendered as template_rendered

#: Jinja's environment class, which :class:`Environment` extends.
BaseEnvironment = jinja2.Environment
