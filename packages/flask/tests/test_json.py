"""The JSON provider and the ``flask.json`` functions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import gc
import typing as t
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

import flask
from flask import json
from flask.json.provider import DefaultJSONProvider
from flask.json.provider import JSONProvider

json_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=10,
)


@dataclasses.dataclass
class Point:
    x: int
    y: int


def test_defaults_without_an_app() -> None:
    value = {
        "date": dt.date(2024, 2, 29),
        "decimal": decimal.Decimal("1.10"),
        "uuid": uuid.UUID(int=1),
        "point": Point(1, 2),
        "html": Markup("<b>hi</b>"),
    }
    assert json.loads(json.dumps(value)) == {
        "date": "Thu, 29 Feb 2024 00:00:00 GMT",
        "decimal": "1.10",
        "uuid": "00000000-0000-0000-0000-000000000001",
        "point": {"x": 1, "y": 2},
        "html": "<b>hi</b>",
    }
    with pytest.raises(TypeError, match="Object of type object is not JSON"):
        json.dumps(object())


@given(json_data)
def test_app_provider_round_trips(value: object) -> None:
    app = flask.Flask(__name__)
    with app.app_context():
        assert json.loads(json.dumps(value)) == value


def test_functions_follow_the_current_apps_provider(app: flask.Flask) -> None:
    class Upper(DefaultJSONProvider):
        def dumps(self, obj: object, **kwargs: object) -> str:
            return super().dumps(obj, **kwargs).upper()

    app.json = Upper(app)
    with app.app_context():
        assert json.dumps("abc") == '"ABC"'
    assert json.dumps("abc") == '"abc"'


def test_response_layout_follows_compact_and_debug(app: flask.Flask) -> None:
    data = {"b": 1, "a": [1, 2]}
    assert app.json.response(data).data == b'{"a":[1,2],"b":1}\n'
    app.debug = True
    assert b"\n  " in app.json.response(data).data
    app.json.compact = True  # type: ignore[attr-defined]
    assert app.json.response(data).data == b'{"a":[1,2],"b":1}\n'


def test_jsonify_forms(app: flask.Flask, req_ctx: flask.ctx.RequestContext) -> None:
    assert flask.jsonify().json is None
    assert flask.jsonify(1).json == 1
    assert flask.jsonify(1, 2).json == [1, 2]
    assert flask.jsonify(a=1).json == {"a": 1}
    assert flask.jsonify(a=1).mimetype == "application/json"
    with pytest.raises(TypeError, match="either args or kwargs"):
        flask.jsonify(1, a=2)


def test_dict_and_list_return_values_are_json(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    app.json.mimetype = "application/vnd.api+json"  # type: ignore[attr-defined]

    @app.get("/dict")
    def as_dict() -> dict[str, int]:
        return {"n": 1}

    @app.get("/list")
    def as_list() -> tuple[list[int], int]:
        return [1, 2], 201

    response = client.get("/dict")
    assert response.json == {"n": 1}
    assert response.mimetype == "application/vnd.api+json"
    response = client.get("/list")
    assert (response.json, response.status_code) == ([1, 2], 201)


def test_provider_does_not_keep_its_app_alive() -> None:
    app = flask.Flask(__name__)
    provider = app.json
    del app
    gc.collect()
    with pytest.raises(ReferenceError):
        provider.response({})


def test_base_provider_needs_dumps_and_loads() -> None:
    provider = JSONProvider(flask.Flask(__name__))
    with pytest.raises(NotImplementedError):
        provider.dumps({})
    with pytest.raises(NotImplementedError):
        provider.loads("{}")


def test_invalid_json_body_explains_itself_only_in_debug(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    app.testing = False

    @app.post("/")
    def index() -> str:
        return str(flask.request.get_json())

    response = client.post("/", data="{", content_type="application/json")
    assert response.status_code == 400
    assert b"Failed to decode JSON" not in response.data
    app.debug = True
    app.config["TRAP_BAD_REQUEST_ERRORS"] = False
    response = client.post("/", data="{", content_type="application/json")
    assert b"Failed to decode JSON" in response.data


def test_modules_flask_binds_are_there_when_read() -> None:
    # Flask's modules bind decimal, uuid and UUID; ours import them on first
    # read, so they are the real ones and listed by dir().
    import flask.json.provider
    import flask.json.tag

    assert flask.json.provider.decimal is decimal
    assert flask.json.provider.uuid is uuid
    assert flask.json.tag.UUID is uuid.UUID
    assert {"decimal", "uuid"} <= set(dir(flask.json.provider))
    assert "UUID" in dir(flask.json.tag)
    with pytest.raises(AttributeError):
        flask.json.provider.missing  # noqa: B018


_json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.decimals(allow_nan=False),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(_json_like, st.booleans(), st.booleans())
def test_output_is_the_standard_librarys(
    value: object, ensure_ascii: bool, sort_keys: bool
) -> None:
    """``dumps`` and JSON responses give exactly what :func:`json.dumps`
    gives for the provider's settings, whatever they are changed to.
    """
    import json as stdlib_json

    app = flask.Flask(__name__)
    app.json.ensure_ascii = ensure_ascii  # type: ignore[attr-defined]
    app.json.sort_keys = sort_keys  # type: ignore[attr-defined]
    options = {
        "default": app.json.default,  # type: ignore[attr-defined]
        "ensure_ascii": ensure_ascii,
        "sort_keys": sort_keys,
    }
    expected = stdlib_json.dumps(value, **options)  # type: ignore[arg-type]
    compact = stdlib_json.dumps(value, separators=(",", ":"), **options)  # type: ignore[arg-type]
    with app.app_context():
        assert json.dumps(value) == expected
        assert app.json.response(value).get_data(as_text=True) == f"{compact}\n"


def test_encoding_errors_are_the_standard_librarys(app: flask.Flask) -> None:
    """A circular structure or an unserializable value fails as with
    :func:`json.dumps`, and a failure leaves nothing behind: the same
    objects encode afterwards.
    """
    shared: dict[str, object] = {"a": 1}
    looped: list[object] = [shared]
    looped.append(looped)
    with pytest.raises(ValueError, match="Circular reference detected"):
        app.json.response(looped)
    looped.pop()
    shared["bad"] = object()
    with pytest.raises(TypeError, match="is not JSON serializable"):
        app.json.response(looped)
    del shared["bad"]
    assert app.json.response(looped).data == b'[{"a":1}]\n'
    assert app.json.dumps([shared, shared]) == '[{"a": 1}, {"a": 1}]'


def test_subclass_dumps_gets_the_response_layout(app: flask.Flask) -> None:
    """A provider with its own ``dumps`` is asked for the response's layout:
    compact separators, or an indent of 2 in debug mode.
    """
    asked: list[dict[str, object]] = []

    class Recording(DefaultJSONProvider):
        def dumps(self, obj: object, **kwargs: t.Any) -> str:
            asked.append(kwargs)
            return super().dumps(obj, **kwargs)

    app.json = Recording(app)
    assert app.json.response({"b": 1, "a": 2}).data == b'{"a":2,"b":1}\n'
    app.debug = True
    assert app.json.response([1]).data == b"[\n  1\n]\n"
    assert asked == [{"separators": (",", ":")}, {"indent": 2}]
