"""The Flask app the ASGI tests serve, in this process or in a uvicorn child.

A uvicorn child imports it as ``apps:app``; the tests get it from the
``asgi_apps`` fixture.
"""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import typing as t

import flask


def make_app() -> flask.Flask:
    """An app with sync and async views, hooks and streaming bodies."""
    app = flask.Flask(__name__)
    app.secret_key = "test"
    app.config["MAX_CONTENT_LENGTH"] = 1000

    @app.get("/id/<int:n>")
    async def async_id(n: int) -> dict[str, t.Any]:
        flask.g.n = n
        # Let every other request in flight run before reading back.
        await asyncio.sleep(0.001)
        return {"n": n, "arg": flask.request.args["n"], "g": flask.g.n}

    @app.get("/sync/<int:n>")
    def sync_id(n: int) -> dict[str, t.Any]:
        flask.g.n = n
        return {"n": n, "arg": flask.request.args["n"], "g": flask.g.n}

    @app.get("/sleep")
    async def sleep() -> str:
        await asyncio.sleep(0.1)
        return "slept"

    @app.post("/async-form")
    async def async_form() -> dict[str, t.Any]:
        return {"form": flask.request.form.to_dict(), "files": len(flask.request.files)}

    @app.post("/async-json")
    async def async_json() -> t.Any:
        return flask.request.get_json()

    @app.get("/sync-stream")
    def sync_stream() -> flask.Response:
        @flask.stream_with_context
        def generate() -> cabc.Iterator[str]:
            yield "path="
            yield flask.request.path

        return flask.Response(generate())

    @app.get("/async-stream")
    async def async_stream() -> t.Any:
        async def generate() -> cabc.AsyncIterator[str]:
            for n in range(3):
                await asyncio.sleep(0)
                yield f"part{n};"

        return generate(), {"X-Streamed": "async"}

    # Hooks and handlers on a blueprint only, so the views above stay bare.
    hooked = flask.Blueprint("hooked", __name__, url_prefix="/hooked")

    @hooked.before_request
    def before() -> None:
        flask.g.before = "before"

    @hooked.after_request
    def after(response: flask.Response) -> flask.Response:
        response.headers["X-After"] = flask.request.endpoint or ""
        return response

    @hooked.get("/view")
    async def view() -> str:
        return f"view saw {flask.g.before}"

    @hooked.get("/error")
    async def error() -> str:
        raise KeyError("boom")

    @hooked.errorhandler(KeyError)
    async def key_error(e: KeyError) -> tuple[str, int]:
        return f"handled {e.args[0]}", 409

    app.register_blueprint(hooked)
    return app


app = make_app()
