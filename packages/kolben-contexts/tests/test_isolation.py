"""Concurrent requests never see each other's request or g."""

from __future__ import annotations

import asyncio
import threading
import typing as t

from kolben.contexts import g
from kolben.contexts import request


def test_threads_see_only_their_own_request_and_g(
    app: t.Any, environ: t.Callable[..., t.Any]
) -> None:
    count = 32
    barrier = threading.Barrier(count)
    seen: dict[int, tuple[str, int]] = {}
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            with app.request_context(environ(f"/?n={n}")):
                g.n = n
                # Everyone is inside a context at the same time before reading.
                barrier.wait(timeout=10)
                seen[n] = (request.args["n"], g.n)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert seen == {n: (str(n), n) for n in range(count)}


def test_asyncio_tasks_see_only_their_own_request_and_g(
    app: t.Any, environ: t.Callable[..., t.Any]
) -> None:
    async def handle(n: int) -> tuple[str, int]:
        with app.request_context(environ(f"/?n={n}")):
            g.n = n
            # Yield to the other tasks while this context is pushed.
            await asyncio.sleep(0)
            await asyncio.sleep(0.001 * (n % 3))
            return request.args["n"], g.n

    async def main() -> list[tuple[str, int]]:
        return await asyncio.gather(*(handle(n) for n in range(50)))

    assert asyncio.run(main()) == [(str(n), n) for n in range(50)]
