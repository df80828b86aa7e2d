"""Hypothesis fuzzing of the realistic app through its WSGI interface.

For anything a client alone can send (cookies, URLs, bodies, headers) the app
must answer, with no exception escaping the WSGI call and never with a 500;
a session cookie that is not validly signed with the current or a fallback
key, or that has expired, must give an empty session.
"""

from __future__ import annotations

import json
import time
import typing as t

import pytest
import robust_app
from conftest import call
from conftest import environ
from conftest import Figures
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from itsdangerous import TimestampSigner
from itsdangerous import URLSafeTimedSerializer

import flask

# werkzeug leaves the temporary files of a multipart body it stops parsing
# half-way to the garbage collector (with upstream Flask too). The collector
# may run during any later test, so the resulting resource warnings are
# ignored for the whole module: they are not errors a client sees.
pytestmark = pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning"
)

ROUTES = [
    "/",
    "/session",
    "/login",
    "/messages",
    "/upload",
    "/item/7",
    "/when/0b5e2a4c-9f5d-4c7a-8d55-6a3bde4a3f11/1.5",
    "/url",
    "/files/app.css",
    "/static/app.css",
    "/api/v1/echo",
    "/api/v1/user/ann",
    "/echo/plain/x",
    "/echo/async/x",
    "/echo/stream/x",
    "/echo/copied/x",
]
METHODS = st.sampled_from(["GET", "POST", "HEAD", "PUT", "OPTIONS", "DELETE"])
SMALL_TEXT = st.text(max_size=40)
# Header values as a WSGI server passes them: latin-1 strings.
HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80
)


def serializer(key: str, signer: type[TimestampSigner] = TimestampSigner) -> t.Any:
    interface = flask.sessions.SecureCookieSessionInterface()
    return URLSafeTimedSerializer(
        key,
        salt=interface.salt,
        serializer=interface.serializer,
        signer=signer,
        signer_kwargs={
            "key_derivation": interface.key_derivation,
            "digest_method": interface.digest_method,
        },
    )


class LongAgoSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 400 * 24 * 3600


SESSION_DATA = st.dictionaries(
    st.text(max_size=8),
    st.one_of(st.integers(), st.text(max_size=20), st.booleans()),
    min_size=1,
    max_size=4,
)


@st.composite
def bad_cookies(draw: st.DrawFn) -> str:
    data = draw(SESSION_DATA)
    good = serializer(robust_app.SECRET_KEY).dumps(data)
    kind = draw(
        st.sampled_from(
            ["tampered", "truncated", "huge", "wrong key", "expired", "junk"]
        )
    )
    if kind == "tampered":
        at = draw(st.integers(0, len(good) - 1))
        char = draw(st.sampled_from("AZaz09-_.!"))
        cookie = good[:at] + char + good[at + 1 :]
        if cookie == good:
            cookie = good + "A"
        return cookie
    if kind == "truncated":
        return good[: draw(st.integers(0, len(good) - 1))]
    if kind == "huge":
        return good + "A" * draw(st.integers(4000, 20_000))
    if kind == "wrong key":
        return serializer("somebody else's key").dumps(data)  # type: ignore[no-any-return]
    if kind == "expired":
        return serializer(robust_app.SECRET_KEY, LongAgoSigner).dumps(data)  # type: ignore[no-any-return]
    return draw(HEADER_TEXT.filter(lambda v: ";" not in v and "," not in v))


@settings(max_examples=300)
@given(cookie=bad_cookies())
def test_a_bad_session_cookie_gives_an_empty_session(
    app: flask.Flask, figures: Figures, cookie: str
) -> None:
    rv = call(app, environ("/session", headers={"Cookie": f"session={cookie}"}))
    assert rv.status == 200
    assert json.loads(rv.body) == {"session": {}}
    figures["cookies examples"] += 1


@settings(max_examples=50)
@given(data=SESSION_DATA, use_fallback=st.booleans())
def test_cookies_signed_with_a_current_or_fallback_key_are_read(
    app: flask.Flask, data: dict[str, t.Any], use_fallback: bool
) -> None:
    key = robust_app.FALLBACK_KEY if use_fallback else robust_app.SECRET_KEY
    cookie = serializer(key).dumps(data)
    rv = call(app, environ("/session", headers={"Cookie": f"session={cookie}"}))
    assert json.loads(rv.body) == {"session": data}


# A WSGI PATH_INFO is the URL path percent-decoded as latin-1.
RAW_PATH = st.one_of(
    st.tuples(
        st.sampled_from(ROUTES),
        st.text(st.characters(min_codepoint=0, max_codepoint=0xFF), max_size=20),
    ).map("".join),
    st.text(st.characters(min_codepoint=0, max_codepoint=0xFF), max_size=200),
    st.lists(
        st.sampled_from(
            [
                "..",
                ".",
                "%",
                "%2e",
                "%zz",
                "%00",
                "\x00",
                "\\",
                "//",
                "item",
                "7",
                "files",
                "static",
                "api",
                "v1",
                "echo",
                "plain",
                "when",
                "\xff",
                "~",
            ]
        ),
        max_size=12,
    ).map(lambda parts: "/" + "/".join(parts)),
    st.integers(1000, 20_000).map(lambda n: "/files/" + "a" * n),
)


@settings(max_examples=400)
@given(path=RAW_PATH, query=HEADER_TEXT, method=METHODS)
def test_any_url_is_answered_without_a_server_error(
    app: flask.Flask, figures: Figures, path: str, query: str, method: str
) -> None:
    rv = call(app, environ(path, method=method, QUERY_STRING=query))
    assert rv.status < 500, rv.body[:300]
    figures["urls examples"] += 1


def multipart(parts: list[tuple[str, bytes, bool]], boundary: str) -> bytes:
    out = []
    for name, value, is_file in parts:
        disposition = f'form-data; name="{name}"'
        if is_file:
            disposition += f'; filename="{name}.bin"'
        out.append(
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
            + value
            + b"\r\n"
        )
    return b"".join(out) + f"--{boundary}--\r\n".encode()


@st.composite
def hostile_bodies(draw: st.DrawFn) -> tuple[str, bytes, str | None]:
    """(content type, body, Content-Length override) of a form or upload."""
    kind = draw(st.sampled_from(["multipart", "urlencoded", "raw"]))
    if kind == "urlencoded":
        body = draw(st.binary(max_size=2000))
        return "application/x-www-form-urlencoded", body, None
    if kind == "raw":
        ctype = draw(HEADER_TEXT)
        return ctype, draw(st.binary(max_size=2000)), None
    boundary = draw(st.text("abcXYZ0123-'", min_size=1, max_size=70))
    parts = draw(
        st.lists(
            st.tuples(
                st.text("abcx", min_size=1, max_size=5),
                st.binary(max_size=300),
                st.booleans(),
            ),
            max_size=draw(st.sampled_from([3, 80])),
        )
    )
    body = multipart(parts, boundary)
    mangle = draw(st.sampled_from(["none", "truncate", "boundary", "length", "bytes"]))
    ctype = f"multipart/form-data; boundary={boundary}"
    length = None
    if mangle == "truncate" and body:
        body = body[: draw(st.integers(0, len(body) - 1))]
    elif mangle == "boundary":
        ctype = "multipart/form-data; boundary=" + draw(HEADER_TEXT)
    elif mangle == "length":
        length = draw(
            st.sampled_from(
                [
                    "-1",
                    "abc",
                    "0",
                    str(len(body) + 50),
                    str(max(len(body) - 5, 0)),
                    "99999999",
                ]
            )
        )
    elif mangle == "bytes" and body:
        at = draw(st.integers(0, len(body) - 1))
        body = body[:at] + draw(st.binary(min_size=1, max_size=20)) + body[at + 1 :]
    return ctype, body, length


@settings(max_examples=400)
@given(
    body=hostile_bodies(), path=st.sampled_from(["/upload", "/login", "/api/v1/echo"])
)
def test_any_form_or_upload_body_is_answered_without_a_server_error(
    app: flask.Flask,
    figures: Figures,
    body: tuple[str, bytes, str | None],
    path: str,
) -> None:
    ctype, data, length = body
    rv = call(
        app,
        environ(
            path,
            method="POST",
            body=data,
            headers={"Content-Type": ctype},
            content_length=length,
        ),
    )
    assert rv.status < 500, rv.body[:300]
    figures["bodies examples"] += 1


JSON_BODIES = st.one_of(
    st.binary(max_size=500),
    st.integers(1, 200_000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 200_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        ),
        max_leaves=20,
    ).map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"\xff\xfe{", b'"\xc3\x28"', b"\xed\xa0\x80", b"NaN", b"{"]),
)


@settings(max_examples=300)
@given(
    body=JSON_BODIES,
    ctype=st.sampled_from(
        [
            "application/json",
            "application/json; charset=latin-1",
            "application/vnd.api+json",
            "text/plain",
            "",
        ]
    ),
)
def test_any_json_body_is_answered_without_a_server_error(
    app: flask.Flask, figures: Figures, body: bytes, ctype: str
) -> None:
    rv = call(
        app,
        environ(
            "/api/v1/echo", method="POST", body=body, headers={"Content-Type": ctype}
        ),
    )
    assert rv.status < 500, rv.body[:300]
    figures["json examples"] += 1


HEADER_NAMES = st.sampled_from(
    [
        "Host",
        "X-Forwarded-For",
        "X-Forwarded-Proto",
        "X-Forwarded-Host",
        "X-Forwarded-Port",
        "X-Forwarded-Prefix",
        "Range",
        "If-Range",
        "If-Modified-Since",
        "If-Unmodified-Since",
        "If-None-Match",
        "If-Match",
        "Accept",
        "Accept-Encoding",
        "Cookie",
        "Content-Type",
    ]
)
HEADER_VALUES = st.one_of(
    HEADER_TEXT,
    st.sampled_from(
        [
            "bytes=0-",
            "bytes=-1",
            "bytes=5-1",
            "bytes=0-0,1-1,2-2",
            "bytes=x",
            "example.com:8080",
            "[::1]",
            "[y",
            "a b",
            ":",
            "example.com:99999",
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "*",
            '"abc"',
            'W/"x"',
            "https",
        ]
    ),
)


@settings(max_examples=400)
@given(
    headers=st.dictionaries(HEADER_NAMES, HEADER_VALUES, max_size=5),
    path=st.sampled_from(
        ["/", "/url", "/static/app.css", "/files/css/site.css", "/api/v1/user/ann"]
    ),
)
def test_any_headers_are_answered_without_a_server_error(
    app: flask.Flask,
    figures: Figures,
    headers: dict[str, str],
    path: str,
) -> None:
    rv = call(app, environ(path, headers=headers))
    assert rv.status < 500, rv.body[:300]
    figures["headers examples"] += 1


SUBDOMAIN_APP = robust_app.create_subdomain_app()


# werkzeug warns about every host outside SERVER_NAME (and then answers 404).
@pytest.mark.filterwarnings("ignore:Current server name:UserWarning")
@settings(max_examples=200)
@given(host=HEADER_VALUES, path=st.sampled_from(["/", "/missing"]))
def test_any_host_on_a_subdomain_app_is_answered_without_a_server_error(
    figures: Figures, host: str, path: str
) -> None:
    rv = call(SUBDOMAIN_APP, environ(path, headers={"Host": host}))
    assert rv.status < 500, rv.body[:300]
    figures["hosts examples"] += 1


def test_tenant_subdomain_still_routes() -> None:
    rv = call(SUBDOMAIN_APP, environ("/", headers={"Host": "acme.example.test"}))
    assert json.loads(rv.body) == {"tenant": "acme", "url": "/"}
