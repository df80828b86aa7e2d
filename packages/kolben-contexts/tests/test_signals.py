"""Signals sent by contexts."""

from __future__ import annotations

import typing as t

from kolben.contexts import appcontext_popped
from kolben.contexts import appcontext_pushed
from kolben.contexts import appcontext_tearing_down
from kolben.contexts import request_tearing_down


def test_app_context_signals_in_order(app: t.Any) -> None:
    events: list[tuple[str, t.Any]] = []

    def record(name: str) -> t.Callable[..., None]:
        def receiver(sender: t.Any, **kwargs: t.Any) -> None:
            events.append((name, sender, *kwargs.values()))  # type: ignore[arg-type]

        return receiver

    pushed, tearing, popped = record("pushed"), record("tearing"), record("popped")
    with (
        appcontext_pushed.connected_to(pushed, app),
        appcontext_tearing_down.connected_to(tearing, app),
        appcontext_popped.connected_to(popped, app),
    ):
        with app.app_context():
            assert events == [("pushed", app)]
    assert events == [("pushed", app), ("tearing", app, None), ("popped", app)]


def test_request_tearing_down_carries_the_exception(
    app: t.Any, environ: t.Callable[..., t.Any]
) -> None:
    seen: list[BaseException | None] = []

    def receiver(sender: t.Any, exc: BaseException | None) -> None:
        seen.append(exc)

    error = RuntimeError("failed")
    with request_tearing_down.connected_to(receiver, app):
        try:
            with app.request_context(environ()):
                raise error
        except RuntimeError:
            pass
    assert seen == [error]


def test_signals_for_another_app_are_not_received(app: t.Any, make_app: t.Any) -> None:
    other = make_app("other")
    received: list[t.Any] = []
    with appcontext_pushed.connected_to(lambda sender: received.append(sender), other):
        with app.app_context():
            pass
    assert received == []
