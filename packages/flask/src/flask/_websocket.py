"""What a WebSocket route answers when it cannot be served as one.

A WebSocket route (``@app.websocket``) is served by ``kolben.asgi``; the
request pipeline only meets it in two ways, both answered with a clear 4xx
error rather than a call of the ``async`` handler:

- a plain HTTP request to its URL (under WSGI or ASGI): 426 Upgrade Required,
  naming the protocol to switch to;
- a WebSocket handshake that reached a WSGI server, which cannot carry the
  connection: 400, saying the app must be served over ASGI.
"""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import HTTPException

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment


class UpgradeRequired(HTTPException):
    """*426 Upgrade Required*: the URL serves WebSocket connections only.

    The response carries ``Upgrade: websocket`` as RFC 9110 requires.

    .. versionadded:: 3.1.3
    """

    code = 426
    description = (
        "This URL serves WebSocket connections only. Connect to it with a"
        " WebSocket client (ws:// or wss://)."
    )

    def get_headers(
        self,
        environ: WSGIEnvironment | None = None,
        scope: dict[str, t.Any] | None = None,
    ) -> list[tuple[str, str]]:
        return [*super().get_headers(environ, scope), ("Upgrade", "websocket")]


class WebSocketNeedsASGI(BadRequest):
    """*400*: a WebSocket handshake reached the app through WSGI.

    .. versionadded:: 3.1.3
    """

    description = (
        "This WebSocket endpoint needs an ASGI server: the app is served over"
        " WSGI, which cannot carry WebSocket connections. Serve it with, for"
        " example, 'uvicorn module:app.asgi_app'."
    )
