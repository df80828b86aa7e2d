"""Template rendering for any WSGI program, without an application object."""

from __future__ import annotations

import collections.abc as cabc
import os
import typing as t

import jinja2

from .environment import default_autoescape
from .signals import before_render_template
from .signals import template_rendered

if t.TYPE_CHECKING:
    from .protocols import ContextProcessor
    from .rendering import TemplateNameOrList

ContextProcessorT = t.TypeVar("ContextProcessorT", bound="ContextProcessor")


class Templates:
    """Render Jinja templates from folders, the way a Flask app does.

    Templates are searched in the folders in the order given. Like in Flask,
    ``.html``, ``.htm``, ``.xml``, ``.xhtml`` and ``.svg`` templates and string
    templates are autoescaped, context processors add values to every render
    (values passed explicitly win), and the ``before_render_template`` and
    ``template_rendered`` signals are sent with this object as sender::

        templates = Templates("templates")
        html = templates.render("page.html", title="Home")

    :param folders: the template folders, searched in order.
    :param loader: a Jinja loader to use instead of the folders.
    :param options: more keyword arguments for :class:`jinja2.Environment`.
    """

    def __init__(
        self,
        *folders: str | os.PathLike[str],
        loader: jinja2.BaseLoader | None = None,
        **options: t.Any,
    ) -> None:
        if loader is None:
            loader = jinja2.FileSystemLoader(list(folders))
        options.setdefault("autoescape", default_autoescape)
        #: The Jinja environment; add filters, tests and globals to it directly.
        self.env = jinja2.Environment(loader=loader, **options)
        #: Functions called without arguments before each render; each returns
        #: a dict of values to add to the context.
        self.context_processors: list[ContextProcessor] = []

    def context_processor(self, f: ContextProcessorT) -> ContextProcessorT:
        """Register ``f`` as a context processor; usable as a decorator."""
        self.context_processors.append(f)
        return f

    def _context(self, context: dict[str, t.Any]) -> dict[str, t.Any]:
        if not self.context_processors:
            return context
        merged: dict[str, t.Any] = {}
        for func in self.context_processors:
            merged.update(func())
        merged.update(context)
        return merged

    def _prepare(
        self, template: jinja2.Template, context: dict[str, t.Any]
    ) -> dict[str, t.Any]:
        context = self._context(context)
        before_render_template.send(self, template=template, context=context)
        return context

    def _render(self, template: jinja2.Template, context: dict[str, t.Any]) -> str:
        context = self._prepare(template, context)
        rv = template.render(context)
        template_rendered.send(self, template=template, context=context)
        return rv

    def _stream(
        self, template: jinja2.Template, context: dict[str, t.Any]
    ) -> cabc.Iterator[str]:
        context = self._prepare(template, context)
        yield from template.generate(context)
        template_rendered.send(self, template=template, context=context)

    def render(
        self, template_name_or_list: TemplateNameOrList, /, **context: t.Any
    ) -> str:
        """Render a template with the given context.

        :param template_name_or_list: the template's name, a loaded template, or
            a list of them; the first that exists is rendered.
        :raises jinja2.TemplateNotFound: when the template does not exist.
        """
        template = self.env.get_or_select_template(template_name_or_list)
        return self._render(template, context)

    def render_string(self, source: str, /, **context: t.Any) -> str:
        """Render a template given as a (always autoescaped) string."""
        return self._render(self.env.from_string(source), context)

    def stream(
        self, template_name_or_list: TemplateNameOrList, /, **context: t.Any
    ) -> cabc.Iterator[str]:
        """Render a template piece by piece, as an iterator of strings.

        The template is looked up at once (so a missing one raises here); it
        renders, and the context processors run, as the iterator is consumed.
        """
        template = self.env.get_or_select_template(template_name_or_list)
        return self._stream(template, context)

    def stream_string(self, source: str, /, **context: t.Any) -> cabc.Iterator[str]:
        """Render a template given as a string piece by piece; see :meth:`stream`."""
        return self._stream(self.env.from_string(source), context)
