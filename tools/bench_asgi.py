"""End-to-end ASGI figures for ``hatch run bench --e2e``: uvicorn + wrk.

What it proves: requests per second (and p99 latency) of the ``hello`` and
``json`` scenarios served by uvicorn, with 1 and then 2 worker processes, in
one run, for:

- ours: the scenario's Flask app (sync views) as ``app.asgi_app``;
- ours, async views: the same answers from ``async def`` views, awaited on
  the server's loop;
- Quart (async views, in the upstream virtualenv);
- upstream Flask 3.1.3 wrapped in asgiref's ``WsgiToAsgi`` (what Flask's
  documentation recommends) and in ``a2wsgi``'s ``WSGIMiddleware``.

Quart, asgiref, a2wsgi and uvicorn are installed only in the bench's own
upstream virtualenv (:data:`ASGI_EXTRAS`), never in the workspace. wrk runs
64 connections on 2 threads against each server for ``--e2e-seconds``.
"""

from __future__ import annotations

import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import typing as t
import urllib.request

import _processes

TOOLS = pathlib.Path(__file__).resolve().parent

#: What the upstream virtualenv needs for the ASGI targets.
ASGI_EXTRAS = ["uvicorn>=0.30", "asgiref>=3.8", "a2wsgi>=1.10", "quart>=0.20"]

_PRELUDE = f"import sys\nsys.path.insert(0, {str(TOOLS)!r})\n"

#: target -> (which python, module body defining ``app`` for ``{scenario}``)
TARGETS: dict[str, tuple[str, str]] = {
    "ours": (
        "ours",
        "from bench_scenarios import flask_scenarios\n"
        "app = flask_scenarios()[{scenario!r}].app.asgi_app\n",
    ),
    "ours, async views": (
        "ours",
        "from bench_scenarios import JSON_PAYLOAD\n"
        "from flask import Flask\n"
        "flask_app = Flask('bench')\n"
        "flask_app.secret_key = 'bench secret'\n"
        "@flask_app.route('/', methods=['GET', 'POST'])\n"
        "async def view():\n"
        "    return {answer}\n"
        "app = flask_app.asgi_app\n",
    ),
    "Quart": (
        "upstream",
        "from bench_scenarios import JSON_PAYLOAD\n"
        "from quart import Quart\n"
        "app = Quart('bench')\n"
        "app.secret_key = 'bench secret'\n"
        "@app.route('/', methods=['GET', 'POST'])\n"
        "async def view():\n"
        "    return {answer}\n",
    ),
    "Flask + WsgiToAsgi": (
        "upstream",
        "from asgiref.wsgi import WsgiToAsgi\n"
        "from bench_scenarios import flask_scenarios\n"
        "app = WsgiToAsgi(flask_scenarios()[{scenario!r}].app)\n",
    ),
    "Flask + a2wsgi": (
        "upstream",
        "from a2wsgi import WSGIMiddleware\n"
        "from bench_scenarios import flask_scenarios\n"
        "app = WSGIMiddleware(flask_scenarios()[{scenario!r}].app)\n",
    ),
}

#: What an async view returns in each scenario (the sync apps' answers).
ANSWERS = {"hello": "'Hello, World!'", "json": "JSON_PAYLOAD"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    # The port opens before the workers can answer; warm them all.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the ASGI server for {url} exited with {server.returncode}")
        try:
            for _ in range(20):
                urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"the ASGI server at {url} did not answer in 60 s")


def measure(
    python: str, code: str, workers: int, seconds: int, wrk: str
) -> dict[str, float]:
    """Serve ``code``'s ``app`` under uvicorn and load it with wrk."""
    folder = tempfile.mkdtemp(prefix="kolben-asgi-bench-")
    pathlib.Path(folder, "bench_asgi_app.py").write_text(_PRELUDE + code)
    port = _free_port()
    # Its own process group: --workers starts worker processes.
    server = _processes.start(
        [
            python,
            "-m",
            "uvicorn",
            "--app-dir",
            folder,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
            "bench_asgi_app:app",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, server)
        out = subprocess.run(
            [wrk, "-t2", "-c64", f"-d{seconds}s", "--latency", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        _processes.stop(server, grace=30)
        shutil.rmtree(folder, ignore_errors=True)
    # Reported, not fatal: asgiref's WsgiToAsgi answers some requests with
    # errors under this load, and that is part of its figure.
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = int(errors.group(1)) if errors else 0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    return {"rps": rps, "p99_ms": latency, "errors": failed}


def run(pythons: dict[str, str], seconds: int) -> dict[str, t.Any]:
    """Every target, scenario and worker count; ``pythons`` maps ours/upstream."""
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("--e2e needs wrk (apt-get install -y wrk)")
    results: dict[str, t.Any] = {}
    for scenario, answer in ANSWERS.items():
        for workers in (1, 2):
            row = results[f"{scenario}, {workers} worker{'s' * (workers > 1)}"] = {}
            for target, (which, code) in TARGETS.items():
                body = textwrap.dedent(code).format(scenario=scenario, answer=answer)
                row[target] = measure(pythons[which], body, workers, seconds, wrk)
    return results


def table(results: dict[str, t.Any]) -> str:
    """The Markdown table: req/s (p99 ms, error answers) per target, and
    ours' ratios.
    """
    targets = list(TARGETS)
    lines = [
        "| ASGI, uvicorn + wrk | "
        + " | ".join(targets)
        + " | ours/Quart | ours/WsgiToAsgi | async ours/Quart |",
        "|---|" + "---:|" * (len(targets) + 3),
    ]
    for name, row in results.items():
        cells = [
            f"{row[target]['rps']:,.0f} ({row[target]['p99_ms']:.1f} ms"
            + (f", {row[target]['errors']} errors" if row[target]["errors"] else "")
            + ")"
            for target in targets
        ]
        ours = row["ours"]["rps"]
        ratios = [
            ours / row["Quart"]["rps"],
            ours / row["Flask + WsgiToAsgi"]["rps"],
            row["ours, async views"]["rps"] / row["Quart"]["rps"],
        ]
        lines.append(
            f"| {name} | "
            + " | ".join(cells)
            + " | "
            + " | ".join(f"{r:.2f}" for r in ratios)
            + " |"
        )
    return "\n".join(lines)
