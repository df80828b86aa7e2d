"""The app's Jinja environment: options, autoescaping, auto-reload, globals."""

from __future__ import annotations

import collections
import json
import typing as t

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kolben.contexts import g
from kolben.contexts import request
from kolben.contexts import session
from kolben.templating import default_autoescape
from kolben.templating import DispatchingJinjaLoader
from kolben.templating import Environment
from kolben.templating import render_template_string

ESCAPED = (".html", ".htm", ".xml", ".xhtml", ".svg")


@given(
    stem=st.text(min_size=0, max_size=12),
    extension=st.sampled_from(ESCAPED),
)
def test_markup_files_are_autoescaped(stem: str, extension: str) -> None:
    assert default_autoescape(stem + extension) is True


@given(name=st.text(max_size=20))
def test_other_files_are_not(name: str) -> None:
    assert default_autoescape(name) is name.endswith(ESCAPED)


def test_string_templates_are_autoescaped(app: t.Any) -> None:
    assert default_autoescape(None) is True
    assert app.select_jinja_autoescape(None) is True
    assert app.select_jinja_autoescape("page.svg") is True
    assert app.select_jinja_autoescape("mail.txt") is False


def test_environment_is_created_lazily_once(app: t.Any) -> None:
    assert "jinja_env" not in app.__dict__
    env = app.jinja_env
    assert isinstance(env, Environment)
    assert env.app is app
    assert app.jinja_env is env
    assert isinstance(env.loader, DispatchingJinjaLoader)
    assert env.loader.app is app


def test_standard_globals(app: t.Any) -> None:
    env = app.jinja_env
    assert env.globals["url_for"] == app.url_for
    assert env.globals["config"] is app.config
    assert env.globals["request"] is request
    assert env.globals["session"] is session
    assert env.globals["g"] is g


def test_config_is_a_global_even_in_imported_templates(
    app: t.Any, app_ctx: t.Any
) -> None:
    app.config["SITE"] = "kolben"
    app.jinja_loader = jinja2.DictLoader(
        {"macros.html": "{% macro site() %}{{ config.SITE }}{% endmacro %}"}
    )
    rv = render_template_string("{% import 'macros.html' as m %}{{ m.site() }}")
    assert rv == "kolben"


def test_jinja_options_are_honoured(make_app: t.Any) -> None:
    class App(make_app().__class__):  # type: ignore[misc]
        jinja_options = {"trim_blocks": True, "autoescape": False}

    app = App(root_path=make_app().root_path)
    assert app.jinja_env.trim_blocks is True
    assert app.jinja_env.autoescape is False


def test_custom_environment_class(make_app: t.Any) -> None:
    class CustomEnvironment(Environment):
        pass

    class App(make_app().__class__):  # type: ignore[misc]
        jinja_environment = CustomEnvironment

    app = App(root_path=make_app().root_path)
    assert isinstance(app.jinja_env, CustomEnvironment)


def test_custom_global_loader(make_app: t.Any) -> None:
    class App(make_app().__class__):  # type: ignore[misc]
        def create_global_jinja_loader(self) -> jinja2.BaseLoader:
            return jinja2.DictLoader({"index.html": "Hello Custom World!"})

    app = App(root_path=make_app().root_path)
    assert app.jinja_env.get_template("index.html").render() == "Hello Custom World!"


def test_environment_accepts_an_explicit_loader(app: t.Any) -> None:
    env = Environment(app, loader=jinja2.DictLoader({"a": "b"}))
    assert env.get_template("a").render() == "b"


def test_extension_hook_sees_the_new_environment(make_app: t.Any) -> None:
    def dumps(obj: t.Any, **kwargs: t.Any) -> str:
        return json.dumps(obj, **kwargs).upper()

    class App(make_app().__class__):  # type: ignore[misc]
        def _extend_jinja_env(self, env: Environment) -> None:
            env.globals["get_flashed_messages"] = list
            env.policies["json.dumps_function"] = dumps

    app = App(root_path=make_app().root_path)
    with app.app_context():
        assert render_template_string("{{ {'b': 1, 'a': 'x'}|tojson }}") == (
            '{"A": "X", "B": 1}'
        )
        assert render_template_string("{{ get_flashed_messages() }}") == "[]"


@pytest.mark.parametrize(
    ("debug", "setting", "expected"),
    [
        (False, None, False),
        (False, False, False),
        (False, True, True),
        (True, None, True),
        (True, False, False),
        (True, True, True),
    ],
)
def test_auto_reload_follows_the_setting_then_debug(
    app: t.Any, debug: bool, setting: bool | None, expected: bool
) -> None:
    app.config["DEBUG"] = debug
    app.config["TEMPLATES_AUTO_RELOAD"] = setting
    assert app.templates_auto_reload is expected
    assert app.jinja_env.auto_reload is expected


def test_missing_setting_counts_as_unset(app: t.Any) -> None:
    del app.config["TEMPLATES_AUTO_RELOAD"]
    app.config["DEBUG"] = True
    assert app.jinja_env.auto_reload is True


def test_changing_debug_later_updates_the_environment(app: t.Any) -> None:
    app.debug = False
    assert app.jinja_env.auto_reload is False
    app.debug = True
    assert app.jinja_env.auto_reload is True
    app.templates_auto_reload = False
    assert app.config["TEMPLATES_AUTO_RELOAD"] is False
    assert app.jinja_env.auto_reload is False
    app.debug = True
    assert app.jinja_env.auto_reload is False


def test_refreshing_before_the_environment_exists_does_not_create_it(
    app: t.Any,
) -> None:
    app.debug = True
    app.templates_auto_reload = True
    assert "jinja_env" not in app.__dict__


def test_templates_see_globals_as_jinja_gives_them(app: t.Any) -> None:
    env = app.jinja_env
    source = "{{ shared }} {{ own }} {{ passed }}"
    template = env.from_string(source, globals={"own": "template", "shared": "t"})
    assert isinstance(template, jinja2.Template)
    env.globals["shared"] = "env"
    env.globals["late"] = "late"
    # The template's own globals win, the passed variables win over both.
    assert template.render(passed="p") == "t template p"
    assert template.render(shared="s", passed="p") == "s template p"
    # The very context plain Jinja builds: names, order, values, global keys.
    ours = template.new_context({"passed": 1})
    theirs = jinja2.Template.new_context(template, {"passed": 1})
    assert list(ours.get_all().items()) == list(theirs.get_all().items())
    assert ours.globals_keys == theirs.globals_keys
    # Globals added, changed or removed after the template was loaded count.
    env.globals["shared"] = "changed"
    del template.globals.maps[0]["shared"]
    assert template.render(passed="p") == "changed template p"
    del env.globals["late"]
    assert "late" not in template.new_context().get_all()
    with pytest.raises(TypeError, match="keywords must be strings"):
        template.new_context({1: "x"})
    with pytest.raises(TypeError, match="keywords must be strings"):
        jinja2.Template.new_context(template, {1: "x"})


def test_globals_that_are_not_plain_dicts_are_left_to_jinja(app: t.Any) -> None:
    env = app.jinja_env
    fallback = collections.defaultdict(lambda: "default", own="own")
    template = env.from_string("{{ own }} {{ missing }}", globals=fallback)
    template.globals = collections.ChainMap(fallback, env.globals)
    assert template.render() == "own "
    assert template.new_context().get_all() == dict(template.globals)
