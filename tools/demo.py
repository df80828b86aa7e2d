"""Serve the Flaskr tutorial application with our ``flask``: the main job.

It runs ``python -m flaskr`` from ``docs/examples/flaskr``: the database is
created in the instance folder on first run, then the app is served on the
development server at http://127.0.0.1:5000/ (the URL is printed). Before
starting it checks that ``flask`` is ours (under ``packages/flask``), not an
upstream Flask that happens to be installed.

Run it through hatch::

    hatch run demo                          # http://127.0.0.1:5000/
    hatch run demo --host 0.0.0.0 --port 8000
    hatch run demo --debug
    hatch run demo --asgi                   # on uvicorn, through app.asgi_app

Stop it with Ctrl+C.
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import subprocess
import sys

from _workspace import ROOT

#: The example application the demo serves.
EXAMPLE = ROOT / "docs" / "examples" / "flaskr"


#: The ``--help`` text: plain words, where the module docstring is reST.
DESCRIPTION = (
    "Serve the Flaskr tutorial application with this repository's flask, on"
    " the development server. The database is created on first run. Stop it"
    " with Ctrl+C."
)


def main(argv: list[str] | None = None) -> int:
    """Serve the demo until interrupted; return the server's exit status."""
    parser = argparse.ArgumentParser(prog="hatch run demo", description=DESCRIPTION)
    parser.add_argument("--host", default="127.0.0.1", help="default: %(default)s")
    parser.add_argument("--port", type=int, default=5000, help="default: %(default)s")
    parser.add_argument(
        "--asgi",
        action="store_true",
        help="serve it on uvicorn, an ASGI server, through app.asgi_app",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="debug mode: the interactive debugger and the reloader (never in public)",
    )
    args, extra = parser.parse_known_args(argv)
    if args.debug:
        extra.append("--debug")
    if args.asgi:
        extra.append("--asgi")

    spec = importlib.util.find_spec("flask")
    origin = pathlib.Path(spec.origin).resolve() if spec and spec.origin else None
    if origin is None or not origin.is_relative_to(ROOT / "packages" / "flask"):
        print(
            f"demo: `flask` resolves to {origin}, not to packages/flask."
            " Run it with `hatch run demo`.",
            file=sys.stderr,
        )
        return 1

    command = [sys.executable, "-m", "flaskr", "--host", args.host]
    command += ["--port", str(args.port), *extra]
    try:
        return subprocess.run(command, cwd=EXAMPLE, check=False).returncode
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
