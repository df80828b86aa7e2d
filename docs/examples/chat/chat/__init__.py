"""A chat room over WebSockets: ``uvicorn chat:app.asgi_app``.

One page (``/``) and one WebSocket (``/ws?name=ada``). Every message a client
sends is broadcast, with its author, to every connected client; joins and
departures are announced the same way.
"""

from __future__ import annotations

import typing as t

from flask import Flask
from flask import render_template
from flask import websocket

from .room import Room

#: Longest accepted name and message, in characters. Longer input is refused
#: with an explanation, never cut.
MAX_NAME = 32
MAX_MESSAGE = 1000


def create_app(config: t.Mapping[str, t.Any] | None = None) -> Flask:
    """Create the chat app; ``config`` overrides its settings."""
    app = Flask(__name__)
    app.config.from_mapping(config or {})
    room = app.extensions["chat"] = Room()

    @app.get("/")
    def index() -> str:
        return render_template("index.html", max_message=MAX_MESSAGE)

    @app.websocket("/ws")
    async def chat_socket() -> t.Any:
        name = websocket.args.get("name", "").strip()
        if not 1 <= len(name) <= MAX_NAME:
            # Returned before accepting: the handshake is refused with it.
            return f"A name of 1 to {MAX_NAME} characters is required.", 400
        connection = websocket._get_current_object()  # type: ignore[attr-defined]
        await websocket.accept()
        await room.join(name, connection)
        try:
            while True:
                text = await websocket.receive()
                if not isinstance(text, str) or not text.strip():
                    await websocket.send_json({"error": "Send non-empty text."})
                elif len(text) > MAX_MESSAGE:
                    await websocket.send_json(
                        {
                            "error": f"Messages are at most {MAX_MESSAGE}"
                            f" characters; this one has {len(text)}."
                        }
                    )
                else:
                    await room.broadcast({"from": name, "text": text})
        finally:
            await room.leave(name, connection)

    return app


#: The app ``uvicorn chat:app.asgi_app`` serves.
app = create_app()
