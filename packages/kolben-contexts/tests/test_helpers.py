"""after_this_request, copy_current_request_context, stream_with_context."""

from __future__ import annotations

import threading
import typing as t

import pytest

from kolben.contexts import after_this_request
from kolben.contexts import copy_current_request_context
from kolben.contexts import has_request_context
from kolben.contexts import request
from kolben.contexts import request_ctx
from kolben.contexts import session
from kolben.contexts import stream_with_context


def test_after_this_request_queues_on_the_current_request(
    app: t.Any, environ: t.Callable[..., t.Any]
) -> None:
    def add_header(response: t.Any) -> t.Any:
        return response

    with app.request_context(environ()):
        assert after_this_request(add_header) is add_header
        assert request_ctx._after_request_functions == [add_header]


@pytest.mark.parametrize(
    ("helper", "argument"),
    [
        (after_this_request, lambda response: response),
        (copy_current_request_context, lambda: None),
        (stream_with_context, iter(["x"])),
    ],
)
def test_request_helpers_outside_a_request_say_so(
    helper: t.Any, argument: t.Any
) -> None:
    with pytest.raises(
        RuntimeError, match=f"'{helper.__name__}' can only be used when"
    ):
        helper(argument)


def test_copied_context_works_in_another_thread(
    app: t.Any, environ: t.Callable[..., t.Any]
) -> None:
    results: list[t.Any] = []
    with app.request_context(environ("/?user=ada")):
        session["seen"] = True

        @copy_current_request_context
        def work(suffix: str) -> str:
            results.append((request.args["user"], session["seen"]))
            return request.args["user"] + suffix

        assert work.__name__ == "work"
    thread = threading.Thread(target=lambda: results.append(work("!")))
    thread.start()
    thread.join()
    assert results == [("ada", True), "ada!"]


def test_stream_keeps_the_request_alive(
    app: t.Any, environ: t.Callable[..., t.Any]
) -> None:
    def generate() -> t.Iterator[str]:
        yield "Hello "
        yield request.args["name"]
        yield "!"

    with app.request_context(environ("/?name=World")):
        stream = stream_with_context(generate())
    # The view's block has ended; the stream pushes the context again.
    assert not has_request_context()
    assert "".join(stream) == "Hello World!"
    assert not has_request_context()


def test_stream_decorator_form(app: t.Any, environ: t.Callable[..., t.Any]) -> None:
    @stream_with_context
    def generate(greeting: str) -> t.Iterator[str]:
        yield greeting
        yield request.args["name"]

    assert generate.__name__ == "generate"
    with app.request_context(environ("/?name=World")):
        stream = generate("Hi ")
    assert list(stream) == ["Hi ", "World"]


def test_closing_a_stream_closes_the_inner_generator_and_tears_down_once(
    app: t.Any, environ: t.Callable[..., t.Any]
) -> None:
    closed: list[str] = []
    app.teardown_request_funcs.append(lambda exc: closed.append("teardown"))

    def generate() -> t.Iterator[str]:
        try:
            yield "a"
            yield "b"
        finally:
            closed.append("generator")

    with app.request_context(environ()):
        stream = stream_with_context(generate())
    assert closed == ["teardown"]
    assert next(stream) == "a"
    assert has_request_context()
    stream.close()  # type: ignore[attr-defined]
    # The request's teardown ran when it ended; the stream does not repeat it.
    assert closed == ["teardown", "generator"]
    assert not has_request_context()


def test_stream_started_in_another_context_pops_cleanly(
    app: t.Any, environ: t.Callable[..., t.Any]
) -> None:
    # An async view runs in a copy of the contextvars Context; the stream it
    # returns is consumed, and the request popped, in the original one.
    import contextvars

    def generate() -> t.Iterator[str]:
        yield request.args["name"]

    with app.request_context(environ("/?name=async")):
        stream = contextvars.copy_context().run(stream_with_context, generate())
    assert list(stream) == ["async"]
    assert not has_request_context()


def test_copy_made_before_the_session_opened_shares_it(
    app: t.Any, environ: t.Callable[..., t.Any]
) -> None:
    # Regression: with lazy sessions the copy used to open a session of its
    # own, and what it wrote never reached the original (nor the response).
    with app.request_context(environ("/?user=ann")) as ctx:
        assert not ctx.session_is_open

        @copy_current_request_context
        def work() -> None:
            session["from_thread"] = "yes"

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        assert session["from_thread"] == "yes"
        assert ctx.session is session._get_current_object()
    assert app.session_interface.opened == 1


def test_every_teardown_function_runs_and_the_first_failure_is_raised(
    app: t.Any, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    def failing(name: str) -> t.Callable[[BaseException | None], None]:
        def teardown(exc: BaseException | None) -> None:
            ran.append(name)
            raise LookupError(name)

        return teardown

    app.teardown_appcontext(lambda exc: ran.append("first"))
    app.teardown_appcontext(failing("second"))
    app.teardown_appcontext(failing("third"))
    app.teardown_appcontext(lambda exc: ran.append("fourth"))
    ctx = app.app_context()
    ctx.push()
    with pytest.raises(LookupError, match="third"):
        ctx.pop()
    # Last registered first; the failures stopped nothing.
    assert ran == ["fourth", "third", "second", "first"]
    logged = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert [str(e) for e in logged] == ["third", "second"]
