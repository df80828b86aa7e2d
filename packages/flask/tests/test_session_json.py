"""Session data goes through the app's JSON provider, as in Flask.

A provider that knows an app's own types makes them storable in the session,
and its ``sort_keys`` decides the key order of the cookie; with the default
provider the cookie is the one Flask writes, byte for byte.
"""

from __future__ import annotations

import base64
import json
import typing as t
import zlib

import pytest

import flask
from flask.json.provider import DefaultJSONProvider


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents


class MoneyProvider(DefaultJSONProvider):
    sort_keys = False

    @staticmethod
    def default(o: t.Any) -> t.Any:
        if isinstance(o, Money):
            return {"cents": o.cents}
        return DefaultJSONProvider.default(o)


def cookie_payload(value: str) -> t.Any:
    """Decode the JSON inside a signed session cookie."""
    body = value.rsplit(".", 2)[0]
    compressed = body.startswith(".")
    raw = base64.urlsafe_b64decode(body.lstrip(".") + "=" * (-len(body) % 4))
    return json.loads(zlib.decompress(raw) if compressed else raw)


def session_cookie(client: t.Any) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return t.cast(str, cookie.value)


@pytest.fixture
def money_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.json = MoneyProvider(app)
    app.secret_key = "money"

    @app.get("/buy")
    def buy() -> str:
        flask.session["zebra"] = 1
        flask.session["price"] = Money(250)
        return "bought"

    @app.get("/read")
    def read() -> dict[str, t.Any]:
        return dict(flask.session)

    return app


def test_custom_provider_serializes_session_values(money_app: flask.Flask) -> None:
    client = money_app.test_client()
    response = client.get("/buy")
    assert response.status_code == 200
    text = json.dumps(cookie_payload(session_cookie(client)))
    assert text == '{"zebra": 1, "price": {"cents": 250}}'
    assert client.get("/read").json == {"zebra": 1, "price": {"cents": 250}}


def test_provider_loads_is_used_for_reading(money_app: flask.Flask) -> None:
    seen: list[t.Any] = []

    class Reading(MoneyProvider):
        def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
            seen.append(s)
            return super().loads(s, **kwargs)

    money_app.json = Reading(money_app)
    client = money_app.test_client()
    client.get("/buy")
    client.get("/read")
    assert seen, "the provider's loads read the cookie"


def test_default_provider_keeps_the_builtin_encoder() -> None:
    app = flask.Flask(__name__)
    assert app.session_json is None
    app.json.sort_keys = False
    assert app.session_json is app.json
