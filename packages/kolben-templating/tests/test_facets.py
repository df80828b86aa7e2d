"""Template filters, tests and globals; context processors; the default context."""

from __future__ import annotations

import threading
import typing as t

import pytest
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from kolben.contexts import g
from kolben.templating import default_context_processor
from kolben.templating import Environment
from kolben.templating import render_template
from kolben.templating import render_template_string
from kolben.templating import template_rendered


def reverse(s: str) -> str:
    return s[::-1]


def boolean(value: t.Any) -> bool:
    return isinstance(value, bool)


@pytest.mark.parametrize("name", [None, "super_reverse"])
def test_template_filter_decorator(app: t.Any, name: str | None) -> None:
    registered = app.template_filter(name)(reverse)
    assert registered is reverse
    key = name or "reverse"
    assert app.jinja_env.filters[key] is reverse
    assert app.jinja_env.filters[key]("abcd") == "dcba"


@pytest.mark.parametrize("name", [None, "super_reverse"])
def test_add_template_filter(app: t.Any, name: str | None) -> None:
    app.add_template_filter(reverse, name)
    assert app.jinja_env.filters[name or "reverse"] is reverse


def test_filter_in_a_template(app: t.Any, app_ctx: t.Any) -> None:
    app.add_template_filter(reverse, "super_reverse")
    assert render_template("template_filter.html", value="abcd") == "dcba"


@pytest.mark.parametrize("name", [None, "boolean"])
def test_template_test_decorator(app: t.Any, name: str | None) -> None:
    def is_boolean(value: t.Any) -> bool:
        return isinstance(value, bool)

    assert app.template_test(name)(is_boolean) is is_boolean
    assert app.jinja_env.tests[name or "is_boolean"] is is_boolean


def test_add_template_test_in_a_template(app: t.Any, app_ctx: t.Any) -> None:
    app.add_template_test(boolean)
    assert app.jinja_env.tests["boolean"] is boolean
    assert render_template("template_test.html", value=False) == "Success!"
    assert render_template("template_test.html", value=0) == ""


def test_template_global(app: t.Any, app_ctx: t.Any) -> None:
    @app.template_global()
    def get_stuff() -> int:
        return 42

    app.add_template_global(reverse, "rev")
    assert app.jinja_env.globals["get_stuff"] is get_stuff
    assert render_template_string("{{ get_stuff() }} {{ rev('ab') }}") == "42 ba"


def test_registration_does_not_create_the_environment(app: t.Any) -> None:
    app.add_template_filter(reverse)
    app.add_template_test(boolean)
    app.add_template_global(reverse, "rev")
    assert "jinja_env" not in app.__dict__
    # The environment is built from the settings at first use, then gets them.
    app.config["TEMPLATES_AUTO_RELOAD"] = True
    env = app.jinja_env
    assert env.auto_reload is True
    assert env.filters["reverse"] is reverse
    assert env.tests["boolean"] is boolean
    assert env.globals["rev"] is reverse
    # Once it exists, registrations go straight in.
    app.add_template_filter(boolean, "later")
    assert env.filters["later"] is boolean


def test_later_registration_of_a_name_wins(app: t.Any) -> None:
    app.add_template_filter(reverse, "f")
    app.add_template_filter(boolean, "f")
    assert app.jinja_env.filters["f"] is boolean


def test_registration_checks_the_setup_guard(app: t.Any) -> None:
    calls: list[str] = []
    app._check_setup_finished = calls.append
    app.template_filter()(reverse)
    app.add_template_test(boolean)
    app.template_global("g2")(reverse)
    assert calls == [
        "template_filter",
        "add_template_filter",
        "add_template_test",
        "template_global",
        "add_template_global",
    ]

    def refuse(name: str) -> None:
        raise AssertionError(f"too late for {name}")

    app._check_setup_finished = refuse
    with pytest.raises(AssertionError, match="add_template_filter"):
        app.add_template_filter(reverse)


@pytest.mark.parametrize(
    ("method", "table", "name"),
    [
        ("filter", "filters", None),
        ("filter", "filters", "strrev"),
        ("test", "tests", None),
        ("test", "tests", "is_it"),
        ("global", "globals", None),
        ("global", "globals", "answer"),
    ],
)
def test_blueprint_registers_on_the_app_when_registered(
    app: t.Any, make_blueprint: t.Any, method: str, table: str, name: str | None
) -> None:
    bp = make_blueprint("bp")

    def func(value: t.Any = None) -> t.Any:
        return value

    getattr(bp, f"app_template_{method}")(name)(func)

    def other(value: t.Any = None) -> t.Any:
        return value

    getattr(bp, f"add_app_template_{method}")(other, "other")
    assert (name or "func") not in getattr(app.jinja_env, table)
    app.register_blueprint(bp)
    assert getattr(app.jinja_env, table)[name or "func"] is func
    assert getattr(app.jinja_env, table)["other"] is other
    assert bp.guarded == [
        f"app_template_{method}",
        f"add_app_template_{method}",
        f"add_app_template_{method}",
    ]


def test_blueprint_filter_in_a_template(app: t.Any, make_blueprint: t.Any) -> None:
    bp = make_blueprint("bp")
    bp.app_template_filter("super_reverse")(reverse)
    app.register_blueprint(bp)
    with app.app_context():
        assert render_template("template_filter.html", value="abcd") == "dcba"


def test_default_context_processor_is_installed_once(app: t.Any) -> None:
    assert app.template_context_processors[None] == [default_context_processor]
    app._init_templating()
    assert app.template_context_processors[None] == [default_context_processor]


def test_default_context_outside_and_inside_contexts(app: t.Any) -> None:
    assert default_context_processor() == {}
    with app.app_context() as ctx:
        assert default_context_processor() == {"g": ctx.g}
    with app.test_request_context("user=ann") as ctx:
        context = default_context_processor()
        assert context["g"] is g._get_current_object()  # type: ignore[attr-defined]
        assert context["request"] is ctx.request
        # As in Flask: templates get the session from the environment's globals.
        assert set(context) == {"g", "request"}


def test_rendering_does_not_open_the_session(app: t.Any) -> None:
    with app.test_request_context() as ctx:
        render_template_string("{{ request.args }}")
        assert not ctx.session_is_open
        assert render_template_string("{{ session.user }}") == "None"
        assert ctx.session_is_open
        assert "session" not in default_context_processor()
    assert app.session_interface.opened == 1


def test_blueprint_processors_run_only_for_their_requests(app: t.Any) -> None:
    app.context_processor(lambda: {"notanswer": 43})
    app.context_processor(lambda: {"answer": 42}, blueprint="answer_bp")
    source = "{{ notanswer }}|{{ answer }}"
    with app.test_request_context():
        assert render_template_string(source) == "43|"
    with app.test_request_context(blueprint="other"):
        assert render_template_string(source) == "43|"
    with app.test_request_context(blueprint="answer_bp"):
        assert render_template_string(source) == "43|42"
    with app.app_context():
        assert render_template_string(source) == "43|"


def test_nested_blueprints_run_outermost_first(app: t.Any) -> None:
    app.context_processor(lambda: {"key": "app", "app": 1})
    app.context_processor(lambda: {"key": "parent", "parent": 1}, blueprint="parent")
    app.context_processor(lambda: {"key": "child"}, blueprint="parent.child")
    with app.test_request_context(blueprint="parent.child"):
        assert render_template_string("{{ key }} {{ app }} {{ parent }}") == (
            "child 1 1"
        )
    with app.test_request_context(blueprint="parent"):
        assert render_template_string("{{ key }}") == "parent"


def test_async_context_processors_run_through_ensure_sync(
    app: t.Any, app_ctx: t.Any
) -> None:
    async def processor() -> dict[str, t.Any]:
        return {"value": "async"}

    app.context_processor(processor)
    assert render_template_string("{{ value }}") == "async"


def test_direct_changes_to_the_processors_take_effect(
    app: t.Any, app_ctx: t.Any
) -> None:
    assert render_template_string("{{ x }}") == ""
    app.template_context_processors[None].append(lambda: {"x": 1})
    assert render_template_string("{{ x }}") == "1"
    app.template_context_processors[None].clear()
    assert render_template_string("{{ x }}") == ""
    # g stays available as a global without the default processor.
    app_ctx.g.name = "n"
    assert render_template_string("{{ g.name }}") == "n"


keys = st.text(alphabet="abcdefgh", min_size=1, max_size=3)


# make_app builds a fresh app per example.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    processed=st.lists(st.dictionaries(keys, st.integers()), max_size=4),
    passed=st.dictionaries(keys, st.integers()),
)
def test_passed_values_always_win(
    make_app: t.Any,
    processed: list[dict[str, int]],
    passed: dict[str, int],
) -> None:
    app = make_app()
    for values in processed:
        app.context_processor(lambda values=values: values)
    expected: dict[str, t.Any] = {}
    for values in processed:
        expected.update(values)
    expected.update(passed)
    context = dict(passed)
    app.update_template_context(context)
    assert context == expected


def test_concurrent_first_use_builds_one_complete_environment(app: t.Any) -> None:
    app.add_template_filter(reverse)
    count = 16
    barrier = threading.Barrier(count)
    seen: list[t.Any] = []

    def first_use() -> None:
        barrier.wait(timeout=10)
        seen.append(app.jinja_env)

    threads = [threading.Thread(target=first_use) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == count
    assert all(env is seen[0] for env in seen)
    assert seen[0].filters["reverse"] is reverse


def test_a_recreated_environment_keeps_registrations(app: t.Any) -> None:
    app.add_template_filter(reverse)
    first = app.jinja_env
    app.add_template_test(boolean)
    del app.jinja_env
    second = app.jinja_env
    assert second is not first
    assert second.filters["reverse"] is reverse
    assert second.tests["boolean"] is boolean


def test_the_environment_can_be_replaced(app: t.Any) -> None:
    env = Environment(app)
    app.jinja_env = env
    assert app.jinja_env is env


def test_template_rendered_context_has_no_session_key(app: t.Any) -> None:
    seen: list[set[str]] = []

    def receiver(sender: t.Any, template: t.Any, context: t.Any, **kw: t.Any) -> None:
        seen.append(set(context))

    with template_rendered.connected_to(receiver, app):
        with app.test_request_context():
            render_template_string("{{ session.user }}")
    assert seen == [{"g", "request"}]
