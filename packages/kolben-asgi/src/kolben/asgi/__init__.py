"""Serve a WSGI-style app (such as a Flask app) natively on an ASGI server.

Request bodies stream into werkzeug requests, sync code runs in a bounded
thread pool with its context variables, async code is awaited on the server's
own loop, responses stream back, lifespan events run registered handlers, and
WebSocket routes are served with the :data:`websocket` proxy.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from .adapter import ASGIAdapter as ASGIAdapter
from .adapter import build_environ as build_environ
from .loop import server_loop as server_loop
from .loop import sync_on_loop as sync_on_loop
from .protocols import ServedApp as ServedApp
from .protocols import WebSocketApp as WebSocketApp
from .websocket import WebSocket as WebSocket
from .websocket import websocket as websocket
from .websocket import WebSocketDisconnect as WebSocketDisconnect
