"""The application factory: configuration layers and what it registers."""

from __future__ import annotations

import pathlib

import pytest
from flaskr import create_app

from flask import Flask
from flask import url_for


def test_config_defaults_and_test_config() -> None:
    assert not create_app().testing
    assert create_app({"TESTING": True}).testing


def test_default_database_lives_in_the_instance_folder() -> None:
    app = create_app()
    instance = pathlib.Path(app.instance_path)
    assert pathlib.Path(app.config["DATABASE"]) == instance / "flaskr.sqlite"
    assert instance.is_dir()


def test_environment_configures_a_deployment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASKR_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("FLASKR_DATABASE", "/srv/flaskr/blog.sqlite")
    app = create_app()
    assert app.secret_key == "from-the-environment"
    assert app.config["DATABASE"] == "/srv/flaskr/blog.sqlite"


def test_test_config_ignores_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASKR_SECRET_KEY", "from-the-environment")
    assert create_app({"TESTING": True}).secret_key == "dev"


def test_registers_blueprints_index_and_command(app: Flask) -> None:
    assert set(app.blueprints) == {"auth", "blog"}
    assert "init-db" in app.cli.commands
    with app.test_request_context():
        # "index" and "blog.index" are the same page.
        assert url_for("index") == url_for("blog.index") == "/"
