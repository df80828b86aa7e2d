"""The JSON API: one :class:`~flask.views.MethodView` per resource."""

from __future__ import annotations

import collections.abc as cabc
import typing as t

from flask import abort
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask.views import MethodView

from .store import Todo
from .store import TodoStore


def to_json(todo: Todo) -> dict[str, t.Any]:
    """Return the JSON form of ``todo``, with the URL of the item itself.

    Clients follow ``url`` instead of building item URLs themselves.
    """
    return {
        "id": todo.id,
        "title": todo.title,
        "done": todo.done,
        "url": url_for("api.todo", todo_id=todo.id),
    }


def _json_object() -> dict[str, t.Any]:
    """Return the request's JSON body, which must be an object."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "Send a JSON object with the Content-Type application/json.")
    return data


def _validated(data: cabc.Mapping[str, t.Any], *, partial: bool) -> dict[str, t.Any]:
    """Check the fields of a to-do sent by a client and return the clean values.

    :param data: the decoded JSON object.
    :param partial: fields may be left out (``PATCH``); otherwise ``title``
        is required (``POST``).
    :raises werkzeug.exceptions.BadRequest: with a message saying what is wrong.
    """
    unknown = sorted(set(data) - {"title", "done"})
    if unknown:
        abort(400, f"Unknown field {unknown[0]!r}.")

    clean: dict[str, t.Any] = {}
    if "title" in data or not partial:
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            abort(400, "Title is required.")
        clean["title"] = title.strip()
    if "done" in data:
        if not isinstance(data["done"], bool):
            abort(400, "'done' must be true or false.")
        clean["done"] = data["done"]
    return clean


class TodoListAPI(MethodView):
    """``/api/todos``: list every item, or add one."""

    # One instance serves every request: it holds nothing but the store.
    init_every_request = False

    def __init__(self, store: TodoStore) -> None:
        #: Where the items live.
        self.store = store

    def get(self) -> ResponseReturnValue:
        """Return every item, oldest first, as a JSON list."""
        return [to_json(todo) for todo in self.store.list()]

    def post(self) -> ResponseReturnValue:
        """Add the item described by the JSON body; answer ``201`` with it."""
        fields = _validated(_json_object(), partial=False)
        todo = self.store.add(fields["title"], fields.get("done", False))
        body = to_json(todo)
        return body, 201, {"Location": body["url"]}


class TodoItemAPI(MethodView):
    """``/api/todos/<id>``: read, change or delete one item."""

    init_every_request = False

    def __init__(self, store: TodoStore) -> None:
        #: Where the items live.
        self.store = store

    def _get_or_404(self, todo_id: int) -> Todo:
        todo = self.store.get(todo_id)
        if todo is None:
            abort(404, f"To-do {todo_id} does not exist.")
        return todo

    def get(self, todo_id: int) -> ResponseReturnValue:
        """Return the item."""
        return to_json(self._get_or_404(todo_id))

    def patch(self, todo_id: int) -> ResponseReturnValue:
        """Change the fields given in the JSON body; return the whole item."""
        self._get_or_404(todo_id)
        fields = _validated(_json_object(), partial=True)
        todo = self.store.update(todo_id, fields)
        if todo is None:  # deleted meanwhile by another request
            abort(404, f"To-do {todo_id} does not exist.")
        return to_json(todo)

    def delete(self, todo_id: int) -> ResponseReturnValue:
        """Delete the item; answer ``204`` with no body."""
        if not self.store.remove(todo_id):
            abort(404, f"To-do {todo_id} does not exist.")
        return "", 204
