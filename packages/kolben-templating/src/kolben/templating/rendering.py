"""Render and stream templates with the current application's environment."""

from __future__ import annotations

import collections.abc as cabc
import typing as t

from kolben.contexts import current_app
from kolben.contexts import has_request_context
from kolben.contexts import stream_with_context

from .signals import before_render_template
from .signals import template_rendered

if t.TYPE_CHECKING:
    from blinker import NamedSignal
    from jinja2 import Template

    from .protocols import TemplatingApp

#: What ``render_template`` accepts: a name, a template, or a list to try in order.
TemplateNameOrList = t.Union[str, "Template", list[t.Union[str, "Template"]]]


def _current_app() -> TemplatingApp:
    # Unwrap the proxy once: it is used several times per render, and signal
    # receivers connected to the app must see the app itself as sender.
    app: TemplatingApp = current_app._get_current_object()
    return app


def _notify(
    signal: NamedSignal,
    app: TemplatingApp,
    template: Template,
    context: dict[str, t.Any],
) -> None:
    # Checking for receivers first keeps an unobserved signal free.
    if signal.receivers:
        signal.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )


def _prepare(app: TemplatingApp, template: Template, context: dict[str, t.Any]) -> None:
    app.update_template_context(context)
    _notify(before_render_template, app, template, context)


def _render(app: TemplatingApp, template: Template, context: dict[str, t.Any]) -> str:
    _prepare(app, template, context)
    rv = template.render(context)
    _notify(template_rendered, app, template, context)
    return rv


def _stream(
    app: TemplatingApp, template: Template, context: dict[str, t.Any]
) -> cabc.Iterator[str]:
    _prepare(app, template, context)

    def generate() -> cabc.Iterator[str]:
        yield from template.generate(context)
        _notify(template_rendered, app, template, context)

    stream = generate()
    # The response body is produced after the view returned and its request
    # context was popped; keep that context alive for the template.
    if has_request_context():
        stream = stream_with_context(stream)
    return stream


def render_template(template_name_or_list: TemplateNameOrList, **context: t.Any) -> str:
    """Render a template of the current application with the given context.

    The context processors' values are added first; values passed here win.
    ``before_render_template`` is sent before and ``template_rendered`` after
    rendering::

        @app.route("/hello/<name>")
        def hello(name):
            return render_template("hello.html", name=name)

    :param template_name_or_list: the template's name, a loaded template, or a
        list of them; the first that exists is rendered.
    :param context: the variables the template sees.
    :raises jinja2.TemplateNotFound: when the template does not exist
        (:class:`jinja2.TemplatesNotFound` for a list).
    :raises RuntimeError: outside an application context.
    """
    app = _current_app()
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _render(app, template, context)


def render_template_string(source: str, **context: t.Any) -> str:
    """Render a template given as a string, with the current application's
    environment and context processors. String templates are always
    autoescaped.

    :param source: the template's source code.
    :param context: the variables the template sees.
    :raises RuntimeError: outside an application context.
    """
    app = _current_app()
    template = app.jinja_env.from_string(source)
    return _render(app, template, context)


def stream_template(
    template_name_or_list: TemplateNameOrList, **context: t.Any
) -> cabc.Iterator[str]:
    """Render a template piece by piece, as an iterator of strings.

    Return it from a view to send a large page as it is produced. During a
    request the iterator keeps the request context alive, so the template may
    use ``request`` and ``session`` even though it runs after the view
    returned. ``template_rendered`` is sent when the stream is exhausted.

    :param template_name_or_list: the template's name, a loaded template, or a
        list of them; the first that exists is rendered.
    :param context: the variables the template sees.
    :raises RuntimeError: outside an application context.
    """
    app = _current_app()
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _stream(app, template, context)


def stream_template_string(source: str, **context: t.Any) -> cabc.Iterator[str]:
    """Render a template given as a string piece by piece; see
    :func:`stream_template`.

    :param source: the template's source code.
    :param context: the variables the template sees.
    :raises RuntimeError: outside an application context.
    """
    app = _current_app()
    template = app.jinja_env.from_string(source)
    return _stream(app, template, context)


def get_template_attribute(template_name: str, attribute: str) -> t.Any:
    """Return a macro or variable a template exports, to call it from Python.

    With a template ``_cider.html`` holding
    ``{% macro hello(name) %}Hello {{ name }}!{% endmacro %}``::

        hello = get_template_attribute("_cider.html", "hello")
        hello("World")  # 'Hello World!'

    :param template_name: the template's name.
    :param attribute: the name of the macro or variable.
    :raises RuntimeError: outside an application context.
    """
    return getattr(
        _current_app().jinja_env.get_template(template_name).module, attribute
    )
