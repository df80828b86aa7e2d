"""The dispatching loader: search order, listing, errors, explanations."""

from __future__ import annotations

import logging
import typing as t

import jinja2
import pytest
from jinja2 import TemplateNotFound

from kolben.templating import explain_template_loading_attempts
from kolben.templating import render_template


@pytest.fixture
def explanations(app: t.Any) -> t.Iterator[list[str]]:
    """Turn EXPLAIN_TEMPLATE_LOADING on and collect what the app logs."""
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Collect()
    app.logger.addHandler(handler)
    app.logger.setLevel(logging.INFO)
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    yield records
    app.logger.removeHandler(handler)
    app.logger.setLevel(logging.NOTSET)


def test_templates_of_app_and_blueprints(blueprint_app: t.Any) -> None:
    with blueprint_app.app_context():
        assert render_template("admin/index.html") == "Hello from the Admin"
        assert render_template("./admin/index.html") == "Hello from the Admin"
        assert render_template("frontend/index.html") == "Hello from the Frontend"
        assert render_template("nested/nested.txt") == "I'm nested"


def test_the_app_overrides_blueprints(blueprint_app: t.Any) -> None:
    with blueprint_app.app_context():
        assert render_template("shared.html") == "app version"


def test_blueprints_are_searched_in_registration_order(
    app: t.Any, make_blueprint: t.Any
) -> None:
    first = make_blueprint("first")
    second = make_blueprint("second")
    first.jinja_loader = jinja2.DictLoader({"x.html": "first"})
    second.jinja_loader = jinja2.DictLoader({"x.html": "second", "y.html": "y"})
    app.register_blueprint(first)
    app.register_blueprint(second)
    with app.app_context():
        assert render_template("x.html") == "first"
        assert render_template("y.html") == "y"


def test_jinja_loader_follows_the_template_folder(
    make_app: t.Any, make_blueprint: t.Any, app_root: t.Any
) -> None:
    app = make_app()
    assert isinstance(app.jinja_loader, jinja2.FileSystemLoader)
    assert app.jinja_loader.searchpath == [str(app_root / "templates")]
    assert app.jinja_loader is app.jinja_loader
    assert make_app(template_folder=None).jinja_loader is None
    assert make_blueprint("none").jinja_loader is None


def test_owners_without_templates_are_skipped(
    make_app: t.Any, make_blueprint: t.Any
) -> None:
    app = make_app(template_folder=None)
    app.register_blueprint(make_blueprint("empty"))
    app.register_blueprint(make_blueprint("admin", templates=True))
    assert [owner.name for owner, _ in app.jinja_env.loader._iter_loaders()] == [
        "admin"
    ]
    with app.app_context():
        assert render_template("admin/index.html") == "Hello from the Admin"


def test_list_templates(blueprint_app: t.Any, make_app: t.Any) -> None:
    names = blueprint_app.jinja_env.list_templates()
    assert "admin/index.html" in names
    assert "frontend/index.html" in names
    assert "nested/nested.txt" in names
    assert names == sorted(set(names))
    assert names.count("shared.html") == 1
    assert make_app(template_folder="nowhere").jinja_env.list_templates() == []


def test_missing_template_names_itself(blueprint_app: t.Any) -> None:
    with blueprint_app.app_context():
        with pytest.raises(TemplateNotFound) as exc:
            render_template("missing.html")
    assert exc.value.name == "missing.html"
    assert "missing.html" in str(exc.value)


def test_explanation_of_a_miss_in_a_blueprint_request(
    blueprint_app: t.Any, explanations: list[str], app_root: t.Any
) -> None:
    with blueprint_app.test_request_context(blueprint="frontend"):
        with pytest.raises(TemplateNotFound) as exc:
            render_template("missing_template.html")
    assert "missing_template.html" in str(exc.value)
    [text] = explanations
    lines = text.splitlines()
    assert lines[0] == "Locating template 'missing_template.html':"
    assert "    1: trying loader of application 'mini'" in lines
    assert "    2: trying loader of blueprint 'admin' (mini.admin)" in lines
    assert "    3: trying loader of blueprint 'frontend' (mini.frontend)" in lines
    assert "       class: jinja2.loaders.FileSystemLoader" in lines
    assert f"         - {app_root / 'templates'}" in lines
    assert lines.count("       -> no match") == 3
    assert "Error: the template could not be found." in lines
    assert (
        "  The template was looked up from an endpoint that belongs to the"
        " blueprint 'frontend'."
    ) in lines
    assert "  Maybe you did not place a template in the right folder?" in lines
    assert "  See https://flask.palletsprojects.com/blueprints/#templates" in lines


def test_explanation_of_a_hit(
    blueprint_app: t.Any, explanations: list[str], make_blueprint: t.Any
) -> None:
    with blueprint_app.test_request_context(blueprint="admin"):
        assert render_template("admin/index.html") == "Hello from the Admin"
    [text] = explanations
    found = [line for line in text.splitlines() if "-> found" in line]
    assert len(found) == 1
    assert found[0].endswith("index.html')")
    assert "Error" not in text
    assert "Maybe" not in text


def test_explanation_warns_about_several_matches(
    blueprint_app: t.Any, explanations: list[str]
) -> None:
    with blueprint_app.test_request_context(blueprint="admin"):
        # The app's copy wins, and the explanation says another one exists.
        assert render_template("shared.html") == "app version"
    [text] = explanations
    assert text.count("-> found") == 2
    assert "Warning: multiple loaders returned a match for the template." in text
    assert "belongs to the blueprint 'admin'" in text


def test_explanation_without_request_has_no_blueprint_hint(
    blueprint_app: t.Any, explanations: list[str]
) -> None:
    with blueprint_app.app_context():
        with pytest.raises(TemplateNotFound):
            render_template("missing.html")
    [text] = explanations
    assert "Error: the template could not be found." in text
    assert "blueprint 'frontend'" in text  # the loader line...
    assert "belongs to" not in text  # ...but no hint


def test_explaining_directly(app: t.Any, explanations: list[str]) -> None:
    loader = jinja2.DictLoader({"a.html": "a"})
    source = loader.get_source(app.jinja_env, "a.html")
    explain_template_loading_attempts(app, "a.html", [(loader, app, source)])
    [text] = explanations
    assert text.splitlines() == [
        "Locating template 'a.html':",
        "    1: trying loader of application 'mini'",
        "       class: jinja2.loaders.DictLoader",
        "       -> found ('<string>')",
    ]


def test_explanations_are_off_by_default(
    blueprint_app: t.Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with blueprint_app.app_context():
        render_template("admin/index.html")
    assert caplog.records == []
