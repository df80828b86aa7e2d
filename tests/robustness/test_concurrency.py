"""Concurrency isolation under a threaded werkzeug server and gunicorn gthread.

32 client threads send 10,000 requests to each server. Every request carries
its own id in the URL, in a header and in its signed session cookie, and goes
to a plain, an async, a streamed (``stream_with_context``) or a
copied-context view; each answer must show that one id everywhere (URL,
header, session, ``g``) and set a session cookie holding it. Any other
answer, and any error, fails the test.
"""

from __future__ import annotations

import collections.abc as cabc
import http.client
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import threading
import time
import typing as t
import uuid

import pytest
import robust_app
from conftest import Figures
from werkzeug.serving import make_server
from werkzeug.serving import WSGIRequestHandler

import flask

CLIENTS = 32
REQUESTS = 10_000
KINDS = ("plain", "async", "stream", "copied")
HERE = pathlib.Path(__file__).parent


class KeepAliveHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_request(self, *args: t.Any, **kwargs: t.Any) -> None:
        pass


@pytest.fixture
def werkzeug_server(app: flask.Flask) -> cabc.Iterator[tuple[str, int]]:
    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=KeepAliveHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", server.port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture
def gunicorn_server(
    static_folder: pathlib.Path, tmp_path: pathlib.Path, process_groups: t.Any
) -> cabc.Iterator[tuple[str, int]]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    env = dict(os.environ, ROBUST_STATIC=str(static_folder))
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out, listener:
        listener.set_inheritable(True)
        # Its own process group: the master and its workers are stopped
        # together when the test ends, also if it never answers here.
        process = process_groups.start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                f"--bind=fd://{listener.fileno()}",
                "--worker-class=gthread",
                "--workers=2",
                "--threads=16",
                "--no-control-socket",
                "--error-logfile=-",
                "robust_app:create_app()",
            ],
            # gunicorn's quick shutdown; SIGTERM would wait for idle
            # keep-alive connections to time out.
            quit_signal=signal.SIGINT,
            env=env,
            pass_fds=[listener.fileno()],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield "127.0.0.1", port
        process_groups.stop(process)
    assert "Traceback" not in log.read_text(), log.read_text()


def hammer(address: tuple[str, int]) -> tuple[int, list[str]]:
    """Send the requests from the client threads; return how many were sent
    and a description of each wrong answer.
    """
    serializer = flask.sessions.SecureCookieSessionInterface().get_signing_serializer(
        robust_app.create_app()
    )
    assert serializer is not None
    problems: list[str] = []
    sent = [0] * CLIENTS

    def client(number: int) -> None:
        conn = http.client.HTTPConnection(*address, timeout=30)
        for i in range(number, REQUESTS, CLIENTS):
            rid = f"{number}-{i}-{uuid.uuid4().hex}"
            kind = KINDS[i % len(KINDS)]
            cookie = serializer.dumps({"rid": rid})
            try:
                conn.request(
                    "GET",
                    f"/echo/{kind}/{rid}",
                    headers={"X-Request-Id": rid, "Cookie": f"session={cookie}"},
                )
                response = conn.getresponse()
                body = response.read()
                set_cookie = response.getheader("Set-Cookie", "")
                if response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection(*address, timeout=30)
            except (OSError, http.client.HTTPException) as e:
                problems.append(f"{kind} {rid}: {e!r}")
                conn.close()
                conn = http.client.HTTPConnection(*address, timeout=30)
                continue
            sent[number] += 1
            expected = {"url": rid, "header": rid, "session": rid, "g": rid}
            value = set_cookie.partition("session=")[2].partition(";")[0]
            if response.status != 200 or json.loads(body) != expected:
                problems.append(f"{kind} {rid}: {response.status} {body[:200]!r}")
            elif serializer.loads(value) != {"rid": rid}:
                problems.append(f"{kind} {rid}: cookie {value!r}")
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(sent), problems


@pytest.mark.parametrize("server", ["werkzeug_server", "gunicorn_server"])
def test_concurrent_requests_never_mix(
    request: pytest.FixtureRequest, figures: Figures, server: str
) -> None:
    address = request.getfixturevalue(server)
    sent, problems = hammer(address)
    figures[f"concurrency {server} requests"] += sent
    figures[f"concurrency {server} mismatches or errors"] += len(problems)
    assert problems == []
    assert sent == REQUESTS
