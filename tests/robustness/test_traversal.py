"""Path traversal against static files and ``send_from_directory``.

Whatever spelling of "the parent folder" or "an absolute path" a client
tries, the answer is a 404 (or a redirect that itself leads to a 404), and
never the contents of a file outside the served folder.
"""

from __future__ import annotations

import urllib.parse

from conftest import call
from conftest import environ
from conftest import Figures
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import flask

PARENT = st.sampled_from(
    ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "..%00", "...", "..\\"]
)
SEP = st.sampled_from(["/", "%2f", "%2F", "\\", "%5c", "%252f", "//", "/./"])
TARGET = st.sampled_from(
    ["secret.txt", "static/../secret.txt", "etc/passwd", "proc/self/environ"]
)


@st.composite
def traversal_urls(draw: st.DrawFn) -> str:
    mount = draw(
        st.sampled_from(["/static/", "/files/", "/files/css/", "/static/css/"])
    )
    if draw(st.booleans()):
        # An absolute path, in one of its spellings.
        lead = draw(st.sampled_from(["/", "%2f", "\\", "C:\\", "C:/", "\\\\host\\"]))
        return mount + lead + draw(TARGET)
    depth = draw(st.integers(1, 6))
    parts = [draw(PARENT) + draw(SEP) for _ in range(depth)]
    tail = draw(TARGET)
    if draw(st.booleans()):
        tail += draw(st.sampled_from(["%00.css", "\x00", "%00", "/", "?x=1"]))
    return mount + "".join(parts) + tail


def fetch(app: flask.Flask, url: str) -> tuple[int, bytes, str | None]:
    # The server percent-decodes the path once, as latin-1.
    raw_path, _, query = url.partition("?")
    path = urllib.parse.unquote(raw_path, encoding="latin-1")
    rv = call(app, environ(path, QUERY_STRING=query))
    return rv.status, rv.body, dict(rv.headers).get("Location")


@settings(max_examples=500)
@given(url=traversal_urls())
def test_traversal_never_serves_outside_the_folder(
    app: flask.Flask, figures: Figures, url: str
) -> None:
    status, body, location = fetch(app, url)
    for _ in range(3):
        if status not in (301, 302, 307, 308) or location is None:
            break
        status, body, location = fetch(app, urllib.parse.urlsplit(location).path)
    assert status == 404, (status, body[:200])
    assert b"TOP SECRET" not in body
    assert b"root:" not in body
    figures["traversal examples"] += 1


def test_the_served_files_are_still_served(app: flask.Flask) -> None:
    assert fetch(app, "/static/app.css")[0] == 200
    status, body, _ = fetch(app, "/files/css/site.css")
    assert (status, body) == (200, b"h1 { margin: 0 }")
