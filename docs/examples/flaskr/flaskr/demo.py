"""Serve Flaskr on the development server, creating its database if needed.

This is what ``hatch run demo`` runs in the repository, and what
``python -m flaskr`` runs anywhere ``flaskr`` is importable::

    python -m flaskr                 # http://127.0.0.1:5000/
    python -m flaskr --port 8000 --host 0.0.0.0 --debug
    python -m flaskr --asgi          # the same app on uvicorn, through app.asgi_app
"""

from __future__ import annotations

import argparse
import collections.abc as cabc
import os
import socket
import sys

from werkzeug.serving import is_running_from_reloader

from flask import Flask

from .db import init_db
from .factory import create_app


def ensure_database(app: Flask) -> bool:
    """Create ``app``'s database if its file does not exist yet.

    An existing database is left alone, so posts survive restarts.

    :return: whether a new database was created.
    """
    if os.path.exists(app.config["DATABASE"]):
        return False
    with app.app_context():
        init_db()
    return True


def port_problem(host: str, port: int) -> str | None:
    """Return why the server could not listen on ``host:port``, or ``None``.

    Checked before anything is printed, so that a busy port is reported as
    such instead of after a "running at" line.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As the development server does, so a recently closed port is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return f"cannot listen on {host}:{port}: {error.strerror or error}"
    return None


def main(argv: cabc.Sequence[str] | None = None) -> int:
    """Parse ``argv``, prepare the database and serve until interrupted.

    :param argv: command-line arguments, ``sys.argv[1:]`` when ``None``.
    :return: the process exit status.
    """
    parser = argparse.ArgumentParser(
        prog="flaskr", description="Serve the Flaskr tutorial blog."
    )
    parser.add_argument("--host", default="127.0.0.1", help="default: %(default)s")
    parser.add_argument("--port", type=int, default=5000, help="default: %(default)s")
    parser.add_argument(
        "--debug", action="store_true", help="debugger and reloader (never in public)"
    )
    parser.add_argument(
        "--asgi",
        action="store_true",
        help="serve app.asgi_app on uvicorn (an ASGI server) instead",
    )
    args = parser.parse_args(argv)
    if args.asgi and args.debug:
        parser.error("--debug is the development server's; it has no --asgi mode")

    # With --debug the reloader runs this again in a child process, which
    # inherits the listening socket: check and announce only in the first.
    first = not is_running_from_reloader()
    if first:
        problem = port_problem(args.host, args.port)
        if problem is not None:
            print(f"flaskr: {problem}; choose another with --port.", file=sys.stderr)
            return 1
    app = create_app()
    if ensure_database(app):
        print(f"Created the database at {app.config['DATABASE']}", flush=True)
    if first:
        print(f"Flaskr is running at http://{args.host}:{args.port}/", flush=True)
    if args.asgi:
        try:
            import uvicorn
        except ImportError:
            print("flaskr: --asgi needs uvicorn (pip install uvicorn)", file=sys.stderr)
            return 1
        uvicorn.run(app.asgi_app, host=args.host, port=args.port, log_level="info")
        return 0
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0
