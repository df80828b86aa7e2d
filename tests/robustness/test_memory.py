"""Memory: 100,000 in-process requests through the realistic app.

The resident set size after a warm-up is compared with the one after the
run; only clear growth fails (a leak of even a few hundred bytes per request
would pass the bound many times over), and the figure is reported.
"""

from __future__ import annotations

import gc
import json
import pathlib

import pytest
from conftest import call
from conftest import environ
from conftest import Figures

import flask

REQUESTS = 100_000
WARM_UP = 5_000
#: Growth that fails the test: 20 MiB, about 200 bytes per request.
LIMIT = 20 * 1024 * 1024


def rss() -> int:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


@pytest.mark.skipif(
    not pathlib.Path("/proc/self/status").exists(), reason="needs Linux /proc"
)
def test_memory_stays_flat_over_many_requests(
    app: flask.Flask, figures: Figures
) -> None:
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["user"] = "ann"
    cookie = client.get_cookie("session")
    assert cookie is not None
    headers = {"Cookie": f"session={cookie.value}", "X-Request-Id": "m"}
    body = json.dumps({"a": [1, 2, {"b": "c"}]}).encode()
    requests = [
        lambda: environ("/"),
        lambda: environ("/session", headers=headers),
        lambda: environ("/item/42"),
        lambda: environ("/static/app.css"),
        lambda: environ("/files/css/site.css"),
        lambda: environ("/missing"),
        lambda: environ("/echo/plain/m", headers=headers),
        lambda: environ("/echo/stream/m", headers=headers),
        lambda: environ("/echo/async/m", headers=headers),
        lambda: environ(
            "/api/v1/echo",
            method="POST",
            body=body,
            headers={"Content-Type": "application/json"},
        ),
    ]

    def run(count: int) -> None:
        for i in range(count):
            answer = call(app, requests[i % len(requests)]())
            assert answer.status < 500

    run(WARM_UP)
    gc.collect()
    before = rss()
    run(REQUESTS)
    gc.collect()
    growth = rss() - before
    figures["memory requests"] += REQUESTS
    figures["memory RSS growth (KiB)"] += growth // 1024
    assert growth < LIMIT, f"RSS grew by {growth / 2**20:.1f} MiB"
