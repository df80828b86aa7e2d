"""Serve the demo application with our ``flask`` on the development server.

For now the demo is the hello-world app in ``docs/examples/hello/app.py``,
served exactly as a Flask user would serve it:
``flask --app docs/examples/hello/app.py run``. Before starting it checks
that ``flask`` is ours (under ``packages/flask``), not an upstream Flask that
happens to be installed.

Run it through hatch::

    hatch run demo                          # http://127.0.0.1:5000/
    hatch run demo --host 0.0.0.0 --port 8000
    hatch run demo --debug                  # other options go to `flask run`

Stop it with Ctrl+C.
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import shutil
import subprocess
import sys

from _workspace import ROOT

#: The application the demo serves.
APP = ROOT / "docs" / "examples" / "hello" / "app.py"


def flask_command() -> list[str]:
    """Return the ``flask`` command of this environment."""
    script = pathlib.Path(sys.executable).parent / "flask"
    if script.is_file():
        return [str(script)]
    found = shutil.which("flask")
    return [found] if found else [sys.executable, "-m", "flask"]


def main(argv: list[str] | None = None) -> int:
    """Serve the demo until interrupted; return the server's exit status."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Other arguments are passed to `flask run`.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1")
    parser.add_argument("--port", type=int, default=5000, help="default 5000")
    args, extra = parser.parse_known_args(argv)

    spec = importlib.util.find_spec("flask")
    origin = pathlib.Path(spec.origin).resolve() if spec and spec.origin else None
    if origin is None or not origin.is_relative_to(ROOT / "packages" / "flask"):
        print(
            f"demo: `flask` resolves to {origin}, not to packages/flask."
            " Run it with `hatch run demo`.",
            file=sys.stderr,
        )
        return 1

    flask = flask_command()
    command = [
        *flask,
        "--app",
        str(APP.relative_to(ROOT)),
        "run",
        "--host",
        args.host,
        "--port",
        str(args.port),
        *extra,
    ]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"demo: serving {APP.relative_to(ROOT)} at http://{host}:{args.port}/")
    shown = " ".join(["flask", *command[len(flask) :]])
    print(f"demo: {shown}", flush=True)
    try:
        return subprocess.run(command, cwd=ROOT, check=False).returncode
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
