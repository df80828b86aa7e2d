"""render_template and friends: context, escaping, streams, macros, signals."""

from __future__ import annotations

import typing as t

import pytest
from jinja2 import TemplateNotFound
from jinja2 import TemplatesNotFound
from markupsafe import Markup

from kolben.contexts import _cv_app
from kolben.contexts import _cv_request
from kolben.contexts import g
from kolben.templating import before_render_template
from kolben.templating import get_template_attribute
from kolben.templating import render_template
from kolben.templating import render_template_string
from kolben.templating import stream_template
from kolben.templating import stream_template_string
from kolben.templating import template_rendered

TEXT = "<p>Hello World!"


def test_context_processor_values_reach_the_template(
    app: t.Any, req_ctx: t.Any
) -> None:
    app.context_processor(lambda: {"injected_value": 42})
    assert render_template("context_template.html", value=23) == "<p>23|42"


def test_passed_values_win_over_globals_and_processors(
    app: t.Any, req_ctx: t.Any
) -> None:
    app.context_processor(lambda: {"value": "processor", "config": "processor"})
    assert render_template_string("{{ config }}", config=42) == "42"
    assert render_template_string("{{ value }}", value="passed") == "passed"


def test_rendering_needs_only_an_app_context(app: t.Any, app_ctx: t.Any) -> None:
    app.config["WORLD_NAME"] = "Special World"
    app.context_processor(lambda: {"foo": 42})
    rv = render_template_string("Hello {{ config.WORLD_NAME }} {{ foo }}")
    assert rv == "Hello Special World 42"


def test_standard_context(app: t.Any) -> None:
    with app.test_request_context("foo=42"):
        g.foo = 23
        rv = render_template_string(
            "{{ request.args.foo }} {{ g.foo }} {{ config.DEBUG }} {{ session.user }}"
            " {{ url_for('index') }}",
        )
    assert rv.split() == ["42", "23", "False", "None", "/index"]


def test_custom_g_class_in_templates(app: t.Any) -> None:
    class Globals:
        def __init__(self) -> None:
            self.spam = "eggs"

    app.app_ctx_globals_class = Globals
    with app.app_context():
        assert render_template_string("{{ g.spam }}") == "eggs"


def test_html_templates_are_escaped(app: t.Any, req_ctx: t.Any) -> None:
    rv = render_template("escaping_template.html", text=TEXT, html=Markup(TEXT))
    assert rv.splitlines() == [
        "&lt;p&gt;Hello World!",
        "<p>Hello World!",
        "<p>Hello World!",
        "<p>Hello World!",
        "&lt;p&gt;Hello World!",
        "<p>Hello World!",
    ]


def test_text_templates_are_not_escaped(app: t.Any, req_ctx: t.Any) -> None:
    rv = render_template("non_escaping_template.txt", text=TEXT, html=Markup(TEXT))
    assert rv.splitlines() == [
        "<p>Hello World!",
        "<p>Hello World!",
        "<p>Hello World!",
        "<p>Hello World!",
        "&lt;p&gt;Hello World!",
        "<p>Hello World!",
        "<p>Hello World!",
        "<p>Hello World!",
    ]


def test_string_templates_are_escaped(app: t.Any, req_ctx: t.Any) -> None:
    assert render_template_string("{{ foo }}", foo="<test>") == "&lt;test&gt;"
    assert render_template("mail.txt", foo="<test>") == "<test> Mail"


def test_nested_template_names(app: t.Any, app_ctx: t.Any) -> None:
    assert render_template("nested/nested.txt") == "I'm nested"


def test_macros(app: t.Any, req_ctx: t.Any) -> None:
    macro = get_template_attribute("_macro.html", "hello")
    assert macro("World") == "Hello World!"


def test_list_of_names_renders_the_first_that_exists(
    app: t.Any, req_ctx: t.Any
) -> None:
    app.context_processor(lambda: {"whiskey": "Jameson"})
    rv = render_template(
        ["no_template.xml", "simple_template.html", "context_template.html"],
        value=23,
    )
    assert rv == "<h1>Jameson</h1>"


def test_missing_templates_raise(app: t.Any, app_ctx: t.Any) -> None:
    with pytest.raises(TemplateNotFound) as exc:
        render_template("missing.html")
    assert exc.value.name == "missing.html"
    with pytest.raises(TemplatesNotFound):
        render_template(["missing.html", "other.html"])


def test_rendering_outside_an_app_context_says_so(app: t.Any) -> None:
    with pytest.raises(RuntimeError, match="application context"):
        render_template_string("x")


def test_stream_renders_in_pieces(app: t.Any, app_ctx: t.Any) -> None:
    stream = stream_template_string(
        "{{ config }}{% for i in items %}{{ i }}{% endfor %}", config=42, items=[1, 2]
    )
    assert "".join(stream) == "4212"
    assert "".join(stream_template("simple_template.html", whiskey=1)) == "<h1>1</h1>"


def test_stream_keeps_the_request_context(app: t.Any) -> None:
    with app.test_request_context("name=World"):
        stream = stream_template_string("Hello {{ request.args.name }}!")
    # The view's block is over; the stream pushes its request again...
    assert _cv_request.get(None) is None
    assert "".join(stream) == "Hello World!"
    # ...until it is exhausted.
    assert _cv_request.get(None) is None
    assert _cv_app.get(None) is None


def test_stream_outside_a_request_needs_no_request(app: t.Any, app_ctx: t.Any) -> None:
    stream = stream_template("simple_template.html", whiskey="?")
    assert _cv_request.get(None) is None
    assert "".join(stream) == "<h1>?</h1>"


def test_signals_are_sent_by_the_app(app: t.Any, req_ctx: t.Any) -> None:
    recorded: list[tuple[str, t.Any, dict[str, t.Any]]] = []

    def before(sender: t.Any, template: t.Any, context: dict[str, t.Any]) -> None:
        context["whiskey"] = 43
        recorded.append(("before", template, context))

    # Async receivers run through the app's ensure_sync.
    async def after(sender: t.Any, template: t.Any, context: dict[str, t.Any]) -> None:
        recorded.append(("after", template, context))

    with before_render_template.connected_to(before, app):
        with template_rendered.connected_to(after, app):
            rv = render_template("simple_template.html", whiskey=42)
    assert rv == "<h1>43</h1>"
    assert [(kind, tpl.name) for kind, tpl, _ in recorded] == [
        ("before", "simple_template.html"),
        ("after", "simple_template.html"),
    ]
    assert recorded[1][2]["whiskey"] == 43
    assert after in app.synced


def test_stream_sends_rendered_when_exhausted(app: t.Any, app_ctx: t.Any) -> None:
    rendered: list[str] = []

    def record(sender: t.Any, template: t.Any, context: t.Any) -> None:
        rendered.append(template.name)

    with template_rendered.connected_to(record, app):
        stream = stream_template("simple_template.html", whiskey=1)
        assert rendered == []
        assert "".join(stream) == "<h1>1</h1>"
    assert rendered == ["simple_template.html"]


def test_signals_for_other_apps_are_not_received(app: t.Any, make_app: t.Any) -> None:
    other = make_app(import_name="other")
    rendered: list[t.Any] = []
    with template_rendered.connected_to(lambda *a, **kw: rendered.append(a), other):
        with app.app_context():
            render_template_string("x")
    assert rendered == []
