"""The application factory."""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import HTTPException

from flask import Blueprint
from flask import Flask
from flask import json
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue

from .store import TodoStore
from .views import TodoItemAPI
from .views import TodoListAPI

#: Where the API is mounted; every error under it is answered in JSON.
API_PREFIX = "/api"


def create_api(store: TodoStore) -> Blueprint:
    """Return the ``api`` blueprint, its views bound to ``store``.

    :param store: where the views keep the items.
    """
    bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
    bp.add_url_rule("/todos", view_func=TodoListAPI.as_view("todos", store))
    bp.add_url_rule(
        "/todos/<int:todo_id>", view_func=TodoItemAPI.as_view("todo", store)
    )
    return bp


def _is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(f"{API_PREFIX}/")


def create_app(test_config: t.Mapping[str, t.Any] | None = None) -> Flask:
    """Create the to-do application: the JSON API and the page that uses it.

    :param test_config: settings to apply over the defaults.
    """
    app = Flask("jsonapi")
    if test_config is not None:
        app.config.from_mapping(test_config)

    store = TodoStore()
    # Reachable from tests and from ``flask shell`` as app.extensions["todos"].
    app.extensions["todos"] = store
    app.register_blueprint(create_api(store))

    @app.get("/")
    def index() -> ResponseReturnValue:
        """The page; its script loads and changes the list through the API."""
        return render_template("index.html")

    @app.errorhandler(HTTPException)
    def api_error_as_json(e: HTTPException) -> ResponseReturnValue:
        """Answer API errors as ``{"error": message}``; leave pages' errors alone.

        Registered on the app rather than the blueprint so that routing errors
        (an unknown item URL, a method the view does not have) are covered too.
        """
        if not _is_api_request():
            return e
        response = e.get_response()
        response.data = json.dumps({"error": e.description})
        response.content_type = "application/json"
        return response

    return app
