"""Pushing, popping, nesting and tearing down contexts."""

from __future__ import annotations

import typing as t

import pytest
from werkzeug.local import LocalProxy

from kolben.contexts import app_ctx
from kolben.contexts import AppCtxGlobals
from kolben.contexts import current_app
from kolben.contexts import g
from kolben.contexts import has_app_context
from kolben.contexts import has_request_context
from kolben.contexts import request
from kolben.contexts import request_ctx
from kolben.contexts import RequestContext
from kolben.contexts import session


def test_app_context_makes_current_app_and_g_available(app: t.Any) -> None:
    assert not has_app_context()
    with app.app_context() as ctx:
        assert has_app_context()
        assert not has_request_context()
        assert current_app is not app  # a proxy ...
        assert current_app.name == "mini"  # ... to the app
        assert current_app._get_current_object() is app  # type: ignore[attr-defined]
        assert app_ctx._get_current_object() is ctx  # type: ignore[attr-defined]
        g.value = 42
        assert ctx.g.value == 42
    assert not has_app_context()


def test_each_app_context_has_its_own_g(app: t.Any) -> None:
    with app.app_context():
        g.value = "outer"
        with app.app_context():
            assert "value" not in g
            g.value = "inner"
        assert g.value == "outer"


def test_default_g_is_made_on_first_read_and_kept(app: t.Any) -> None:
    with app.app_context() as ctx:
        assert "g" not in vars(ctx)  # nothing made for a context that never uses g
        first = ctx.g
        assert isinstance(first, AppCtxGlobals)
        assert ctx.g is first is g._get_current_object()  # type: ignore[attr-defined]
        replacement = AppCtxGlobals()
        ctx.g = replacement
        assert g._get_current_object() is replacement  # type: ignore[attr-defined]


def test_a_custom_g_class_is_made_with_the_context(app: t.Any) -> None:
    made: list[object] = []

    class Counted(AppCtxGlobals):
        def __init__(self) -> None:
            made.append(self)

    app.app_ctx_globals_class = Counted
    ctx = app.app_context()
    assert len(made) == 1  # as in Flask: its constructor may have effects
    with ctx:
        assert g._get_current_object() is made[0]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("proxy", "missing"),
    [
        (lambda: current_app.name, "application"),
        (lambda: g.value, "application"),
        (lambda: app_ctx.app, "application"),
        (lambda: request.args, "request"),
        (lambda: session["x"], "request"),
        (lambda: session.get("x"), "request"),
        (lambda: session.keys(), "request"),
        (lambda: session.__setitem__("x", 1), "request"),
        (lambda: "x" in session, "request"),
        (lambda: request_ctx.request, "request"),
    ],
)
def test_proxies_outside_their_context_say_what_is_missing(
    proxy: t.Callable[[], t.Any], missing: str
) -> None:
    with pytest.raises(RuntimeError, match=f"Working outside of {missing} context"):
        proxy()


def test_request_context_pushes_and_pops_an_app_context(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    with app.request_context(environ("/user/ada?x=1")) as ctx:
        assert has_app_context() and has_request_context()
        assert current_app.name == "mini"
        assert request.args["x"] == "1"
        assert request_ctx._get_current_object() is ctx  # type: ignore[attr-defined]
    assert not has_app_context()


def test_request_context_reuses_an_active_app_context_of_its_app(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    with app.app_context() as outer:
        g.marker = "kept"
        with app.request_context(environ()):
            assert app_ctx._get_current_object() is outer  # type: ignore[attr-defined]
            assert g.marker == "kept"
        assert has_app_context()


def test_request_context_for_another_app_pushes_that_apps_context(
    environ: t.Callable[..., t.Any], make_app: t.Any
) -> None:
    first, second = make_app("first"), make_app("second")
    with first.app_context():
        with second.request_context(environ()):
            assert current_app.name == "second"
        assert current_app.name == "first"


def test_request_is_matched_on_push(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    with app.request_context(environ("/user/ada")):
        assert request.url_rule.endpoint == "user"  # type: ignore[attr-defined]
        assert request.view_args == {"name": "ada"}  # type: ignore[attr-defined]
        assert request.routing_exception is None  # type: ignore[attr-defined]
    with app.request_context(environ("/nowhere")):
        assert request.routing_exception.code == 404  # type: ignore[attr-defined]


def test_the_session_proxy_is_werkzeugs_outside_a_request() -> None:
    assert isinstance(session, LocalProxy)
    assert repr(session) == "<LocalProxy unbound>"
    assert not session


def test_the_session_proxy_forwards_to_the_open_session(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    with app.request_context(environ("/?user=ada")) as ctx:
        assert session.get("user") == "ada"
        assert session.get("missing", 1) == 1
        session["n"] = 2
        assert session["n"] == 2
        assert "n" in session
        assert "missing" not in session
        assert session.setdefault("m", 3) == 3
        assert ctx.session == {"user": "ada", "n": 2, "m": 3}
        assert session.get == ctx.session.get
        with pytest.raises(KeyError):
            session["missing"]
        with pytest.raises(AttributeError):
            session.no_such_method  # noqa: B018
    assert app.session_interface.opened == 1


def test_session_opens_lazily_once(environ: t.Callable[..., t.Any], app: t.Any) -> None:
    sessions = app.session_interface
    with app.request_context(environ("/?user=ada")) as ctx:
        assert sessions.opened == 0
        assert not ctx.session_is_open
        assert session["user"] == "ada"
        assert session["user"] == "ada"
        assert sessions.opened == 1
        assert ctx.session_is_open


def test_flask_private_session_name_reads_the_same_session(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    with app.request_context(environ("/?user=ada")) as ctx:
        assert ctx._session is ctx.session
        assert ctx._session["user"] == "ada"


def test_session_falls_back_to_a_null_session(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    app.session_interface.refuse = True
    with app.request_context(environ()):
        assert session["null"] is True


def test_session_can_be_given_or_replaced(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    ctx = RequestContext(app, environ(), session={"given": 1})
    with ctx:
        assert session["given"] == 1
        ctx.session = {"replaced": 2}
        assert session["replaced"] == 2
    assert app.session_interface.opened == 0


def test_copy_shares_request_and_session(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    with app.request_context(environ("/?user=ada")) as ctx:
        session["extra"] = True
        copy = ctx.copy()
    assert copy.request is ctx.request
    with copy:
        assert session["extra"] is True
        assert request.args["user"] == "ada"


def test_teardown_runs_once_at_the_outermost_pop(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    calls: list[tuple[str, BaseException | None]] = []
    app.teardown_request_funcs.append(lambda exc: calls.append(("request", exc)))
    app.teardown_appcontext(lambda exc: calls.append(("app", exc)))
    ctx = app.request_context(environ())
    with ctx:
        with ctx:
            pass
        assert calls == []
        assert has_request_context()
    assert calls == [("request", None), ("app", None)]
    assert ctx.request.environ["werkzeug.request"] is None


def test_teardown_receives_the_exception_that_ended_the_block(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    seen: list[BaseException | None] = []
    app.teardown_request_funcs.append(seen.append)
    app.teardown_appcontext(seen.append)
    error = ValueError("boom")
    with pytest.raises(ValueError), app.request_context(environ()):
        raise error
    assert seen == [error, error]


def test_explicit_pop_uses_the_exception_being_handled(app: t.Any) -> None:
    seen: list[BaseException | None] = []
    app.teardown_appcontext(seen.append)
    ctx = app.app_context()
    ctx.push()
    try:
        raise KeyError("handled")
    except KeyError:
        ctx.pop()
    assert isinstance(seen[0], KeyError)


def test_app_teardown_runs_last_registered_first(app: t.Any) -> None:
    order: list[int] = []
    app.teardown_appcontext(lambda exc: order.append(1))
    app.teardown_appcontext(lambda exc: order.append(2))
    with app.app_context():
        pass
    assert order == [2, 1]


def test_failing_teardown_still_pops_every_context(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    def broken(exc: BaseException | None) -> None:
        raise ZeroDivisionError

    app.teardown_request_funcs.append(broken)
    with pytest.raises(ZeroDivisionError), app.request_context(environ()):
        pass
    assert not has_request_context()
    assert not has_app_context()


def test_popping_the_wrong_context_is_an_error(app: t.Any) -> None:
    first = app.app_context()
    second = app.app_context()
    first.push()
    second.push()
    with pytest.raises(AssertionError, match="Popped the wrong application context"):
        first.pop()
    # Resetting first's token restored the state from before both pushes.
    assert not has_app_context()
    second._tokens.clear()


def test_reprs_name_the_app_and_request(
    environ: t.Callable[..., t.Any], app: t.Any
) -> None:
    with app.request_context(environ("/user/ada")) as ctx:
        assert (
            repr(ctx) == "<RequestContext 'http://localhost/user/ada' [GET] of 'mini'>"
        )
        assert repr(app_ctx._get_current_object()) == "<AppContext of 'mini'>"  # type: ignore[attr-defined]
        assert repr(g._get_current_object()) == "<flask.g of 'mini'>"  # type: ignore[attr-defined]
