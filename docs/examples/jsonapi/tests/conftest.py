"""JSON API example fixtures: a fresh app (with an empty list) and its client."""

from __future__ import annotations

import pytest
from jsonapi import create_app
from jsonapi.store import TodoStore

from flask import Flask
from flask.testing import FlaskClient


@pytest.fixture
def app() -> Flask:
    """The to-do app in testing mode."""
    return create_app({"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def store(app: Flask) -> TodoStore:
    """The store behind ``app``'s views."""
    store: TodoStore = app.extensions["todos"]
    return store
