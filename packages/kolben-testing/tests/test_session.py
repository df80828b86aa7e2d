"""session_transaction reads and changes the session the client's cookies carry."""

from __future__ import annotations

import typing as t

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from kolben.contexts import request
from kolben.contexts import session
from kolben.testing import FlaskClient


@pytest.fixture
def session_app(app: t.Any) -> t.Any:
    @app.route("/get")
    def get() -> str:
        return repr(session.get("foo"))

    @app.route("/set/<value>")
    def set_value(value: str) -> str:
        session["foo"] = value
        return "set"

    return app


def test_transaction_changes_what_the_app_sees(session_app: t.Any) -> None:
    client = session_app.test_client()
    with client.session_transaction() as sess:
        assert len(sess) == 0
        sess["foo"] = [42]
        assert len(sess) == 1
    assert client.get("/get").text == "[42]"
    with client.session_transaction() as sess:
        assert sess["foo"] == [42]


def test_transaction_sees_what_the_app_stored(session_app: t.Any) -> None:
    client = session_app.test_client()
    client.get("/set/bar")
    with client.session_transaction() as sess:
        assert sess["foo"] == "bar"


def test_transaction_inside_with_block(session_app: t.Any) -> None:
    client = session_app.test_client()
    with client:
        with client.session_transaction() as sess:
            sess["foo"] = 1
        assert client.get("/get").text == "1"
        assert request.path == "/get"
        with client.session_transaction() as sess:
            assert sess["foo"] == 1
        # The transaction did not disturb the kept request context.
        assert request.path == "/get"


def test_transaction_keeps_the_active_request(
    app: t.Any, client: t.Any, req_ctx: t.Any
) -> None:
    client.get("/")
    current = request._get_current_object()  # type: ignore[attr-defined]
    with client.session_transaction():
        assert request._get_current_object() is current  # type: ignore[attr-defined]


def test_request_context_is_pushed_to_open_and_save(app: t.Any, client: t.Any) -> None:
    with client.session_transaction() as sess:
        sess["x"] = 1
        assert app.session_interface.calls == [("open", True)]
    assert app.session_interface.calls == [("open", True), ("save", True)]


def test_transaction_arguments_build_the_request(session_app: t.Any) -> None:
    client = session_app.test_client()
    with client.session_transaction("/", base_url="http://other.test/") as sess:
        sess["foo"] = "other"
    # The cookie belongs to the host the transaction's request was for.
    assert client.get_cookie("session", domain="other.test") is not None
    assert client.get_cookie("session") is None
    assert client.get("/get").text == "None"
    assert client.get("/get", base_url="http://other.test/").text == "'other'"


def test_error_in_block_does_not_save(session_app: t.Any) -> None:
    client = session_app.test_client()
    with pytest.raises(KeyError), client.session_transaction() as sess:
        sess["foo"] = "lost"
        raise KeyError("boom")
    assert client.get("/get").text == "None"


def test_null_session_is_not_saved(
    session_app: t.Any, null_session_class: type[t.Any]
) -> None:
    interface = session_app.session_interface
    interface.open_session = lambda app, request: null_session_class()
    client = session_app.test_client()
    with client.session_transaction() as sess:
        sess["foo"] = "ignored"
    assert [name for name, _ in interface.calls] == []
    assert client.get_cookie("session") is None


def test_needs_cookies(app: t.Any) -> None:
    client = app.test_client(use_cookies=False)
    with pytest.raises(TypeError, match="Cookies are disabled."):
        with client.session_transaction():
            pass  # pragma: no cover


def test_backend_that_opens_no_session(app: t.Any) -> None:
    app.session_interface.refuse = True
    with app.test_client() as client:
        with pytest.raises(
            RuntimeError, match="Session backend did not open a session"
        ):
            with client.session_transaction():
                pass  # pragma: no cover


# --- a plain WSGI app with a session middleware ------------------------------


def test_plain_wsgi_app_with_session_middleware(
    wsgi_app: t.Any, session_middleware: t.Any
) -> None:
    client = FlaskClient(session_middleware(wsgi_app))
    with client.session_transaction() as sess:
        assert dict(sess) == {}
        sess["visits"] = 41
    assert client.get("/visits").text == "42"
    with client.session_transaction() as sess:
        assert sess["visits"] == 42
    # There is no request context to push for a plain app.
    calls = client.application.session_interface.calls
    assert calls and all(not pushed for _, pushed in calls)


def test_plain_wsgi_app_whose_middleware_opens_no_session(
    wsgi_app: t.Any, session_middleware: t.Any
) -> None:
    client = FlaskClient(session_middleware(wsgi_app, refuse=True))
    with pytest.raises(RuntimeError, match="Session backend did not open a session"):
        with client.session_transaction():
            pass  # pragma: no cover


@settings(max_examples=30)
@given(
    st.dictionaries(
        st.text(min_size=1),
        st.none() | st.booleans() | st.integers() | st.text() | st.lists(st.text()),
        max_size=5,
    )
)
def test_any_session_round_trips_through_the_cookie_jar(
    wsgi_app: t.Any, session_middleware: t.Any, data: dict[str, t.Any]
) -> None:
    client = FlaskClient(session_middleware(wsgi_app))
    with client.session_transaction() as sess:
        sess.update(data)
        sess.modified = True
    with client.session_transaction() as sess:
        assert dict(sess) == data
