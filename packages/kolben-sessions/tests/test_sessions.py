"""Sessions and session interfaces, driven with real werkzeug requests and
responses and a minimal app object."""

from __future__ import annotations

import base64
import hashlib
import json
import typing as t
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner
from markupsafe import Markup
from werkzeug.datastructures import Headers
from werkzeug.http import parse_cookie
from werkzeug.http import parse_date
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from kolben.sessions import NullSession
from kolben.sessions import SecureCookieSession
from kolben.sessions import SecureCookieSessionInterface
from kolben.sessions import session_json_serializer
from kolben.sessions import SessionApp
from kolben.sessions import SessionInterface
from kolben.sessions import SessionMixin


class MiniApp:
    """Just what a session interface reads: a key, a config and a lifetime."""

    def __init__(
        self,
        secret_key: str | bytes | None = "test key",
        lifetime: timedelta = timedelta(days=31),
        **config: t.Any,
    ) -> None:
        self.secret_key = secret_key
        self.config: dict[str, t.Any] = config
        self.permanent_session_lifetime = lifetime


def request_with(cookie: str | None = None, name: str = "session") -> Request:
    headers = {} if cookie is None else {"Cookie": f"{name}={cookie}"}
    return Request.from_values(headers=headers)


def set_cookie_header(response: Response, name: str = "session") -> str | None:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    return None


def cookie_of(response: Response, name: str = "session") -> str:
    header = set_cookie_header(response, name)
    assert header is not None, f"no {name} cookie set"
    return parse_cookie(header.split(";", 1)[0])[name]


def saved(interface: SessionInterface, app: MiniApp, session: SessionMixin) -> Response:
    response = Response()
    interface.save_session(app, session, response)
    return response


def write_cookie(app: MiniApp, **data: t.Any) -> str:
    """A valid session cookie for ``app`` holding ``data``."""
    interface = SecureCookieSessionInterface()
    session = interface.session_class()
    session.update(data)
    return cookie_of(saved(interface, app, session))


def signed_payload(app: MiniApp, payload: bytes) -> str:
    """Sign raw bytes as a session cookie payload, bypassing the serializer."""
    signer = TimestampSigner(
        t.cast(str, app.secret_key),
        salt="cookie-session",
        key_derivation="hmac",
        digest_method=hashlib.sha1,
    )
    return signer.sign(payload).decode()


def b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def opened(app: MiniApp, cookie: str | None) -> SecureCookieSession:
    session = SecureCookieSessionInterface().open_session(app, request_with(cookie))
    assert session is not None
    return session


def opened_raw(app: MiniApp, value: str) -> SecureCookieSession | None:
    request = Request.from_values()
    # Set directly so that any text reaches the interface, unparsed.
    request.cookies = {"session": value}  # type: ignore[assignment]
    return SecureCookieSessionInterface().open_session(app, request)


# SecureCookieSession


READS: list[t.Callable[[SecureCookieSession], t.Any]] = [
    lambda s: s["a"],
    lambda s: s.get("a"),
    lambda s: "a" in s,
    lambda s: len(s),
    lambda s: bool(s),
    lambda s: list(s),
    lambda s: s.keys(),
    lambda s: s.values(),
    lambda s: s.items(),
    lambda s: s.copy(),
    lambda s: dict(s),
    lambda s: s.setdefault("a", 2),
    lambda s: s.pop("missing", None),
    lambda s: s.permanent,
]

WRITES: list[t.Callable[[SecureCookieSession], t.Any]] = [
    lambda s: s.__setitem__("b", 2),
    lambda s: s.__delitem__("a"),
    lambda s: s.clear(),
    lambda s: s.pop("a"),
    lambda s: s.popitem(),
    lambda s: s.setdefault("b", 2),
    lambda s: s.update(b=2),
    lambda s: s.__ior__({"b": 2}),
    lambda s: setattr(s, "permanent", True),
]


def test_a_new_session_is_untouched() -> None:
    session = SecureCookieSession({"a": 1})
    assert not session.accessed
    assert not session.modified
    assert not session.new
    assert isinstance(session, SessionMixin)
    assert isinstance(session, dict)


@pytest.mark.parametrize("read", READS)
def test_reads_mark_accessed_only(
    read: t.Callable[[SecureCookieSession], t.Any],
) -> None:
    session = SecureCookieSession({"a": 1})
    read(session)
    assert session.accessed
    assert not session.modified
    assert dict.copy(session) == {"a": 1}


@pytest.mark.parametrize("write", WRITES)
def test_writes_mark_modified_and_accessed(
    write: t.Callable[[SecureCookieSession], t.Any],
) -> None:
    session = SecureCookieSession({"a": 1})
    write(session)
    assert session.modified
    assert session.accessed


def test_changes_inside_stored_values_are_not_detected() -> None:
    session = SecureCookieSession({"cart": []})
    session["cart"].append("apple")
    assert not session.modified
    session.modified = True
    assert session.modified


def test_permanent_is_stored_in_the_session() -> None:
    session = SecureCookieSession()
    assert session.permanent is False
    session.permanent = 1  # type: ignore[assignment]
    assert session["_permanent"] is True
    assert session.permanent is True


def test_repr_names_the_class() -> None:
    assert repr(SecureCookieSession({"a": 1})) == "<SecureCookieSession {'a': 1}>"


# NullSession


def test_null_session_reads_but_refuses_writes() -> None:
    session = NullSession()
    assert session.get("missing") is None
    assert "x" not in session
    assert len(session) == 0

    for write in WRITES:
        with pytest.raises(
            RuntimeError, match="session is unavailable because no secret key"
        ):
            write(session)


def test_no_secret_key_means_null_session() -> None:
    app = MiniApp(secret_key=None)
    interface = SecureCookieSessionInterface()
    assert interface.get_signing_serializer(app) is None
    assert interface.open_session(app, request_with("anything")) is None
    null = interface.make_null_session(app)
    assert isinstance(null, NullSession)
    assert interface.is_null_session(null)
    assert not interface.is_null_session(SecureCookieSession())


# SessionInterface


def test_the_mini_app_satisfies_the_protocol() -> None:
    assert isinstance(MiniApp(), SessionApp)


def test_cookie_settings_default_to_flasks() -> None:
    app = MiniApp()
    interface = SessionInterface()
    assert interface.get_cookie_name(app) == "session"
    assert interface.get_cookie_domain(app) is None
    assert interface.get_cookie_path(app) == "/"
    assert interface.get_cookie_httponly(app) is True
    assert interface.get_cookie_secure(app) is False
    assert interface.get_cookie_samesite(app) is None
    assert interface.get_cookie_partitioned(app) is False
    assert interface.pickle_based is False


def test_cookie_settings_come_from_config() -> None:
    app = MiniApp(
        SESSION_COOKIE_NAME="sid",
        SESSION_COOKIE_DOMAIN=".example.com",
        SESSION_COOKIE_PATH="/app",
        SESSION_COOKIE_HTTPONLY=False,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PARTITIONED=True,
    )
    interface = SessionInterface()
    assert interface.get_cookie_name(app) == "sid"
    assert interface.get_cookie_domain(app) == ".example.com"
    assert interface.get_cookie_path(app) == "/app"
    assert interface.get_cookie_httponly(app) is False
    assert interface.get_cookie_secure(app) is True
    assert interface.get_cookie_samesite(app) == "Lax"
    assert interface.get_cookie_partitioned(app) is True


def test_cookie_path_falls_back_to_application_root() -> None:
    app = MiniApp(SESSION_COOKIE_PATH=None, APPLICATION_ROOT="/root")
    assert SessionInterface().get_cookie_path(app) == "/root"


def test_expiration_only_for_permanent_sessions() -> None:
    app = MiniApp(lifetime=timedelta(hours=2))
    interface = SessionInterface()
    session = SecureCookieSession()
    assert interface.get_expiration_time(app, session) is None

    session.permanent = True
    expires = interface.get_expiration_time(app, session)
    assert expires is not None
    expected = datetime.now(timezone.utc) + timedelta(hours=2)
    assert abs(expires - expected) < timedelta(seconds=5)


@pytest.mark.parametrize(
    ("modified", "permanent", "refresh", "expected"),
    [
        (True, False, False, True),
        (False, True, True, True),
        (False, True, False, False),
        (False, False, True, False),
    ],
)
def test_should_set_cookie(
    modified: bool, permanent: bool, refresh: bool, expected: bool
) -> None:
    app = MiniApp(SESSION_REFRESH_EACH_REQUEST=refresh)
    session = SecureCookieSession({"_permanent": permanent})
    session.modified = modified
    assert SessionInterface().should_set_cookie(app, session) is expected


def test_should_open_to_refresh_needs_a_cookie_and_the_setting() -> None:
    interface = SessionInterface()
    assert interface.should_open_to_refresh(MiniApp(), request_with("x"))
    assert not interface.should_open_to_refresh(MiniApp(), request_with(None))
    assert not interface.should_open_to_refresh(
        MiniApp(SESSION_REFRESH_EACH_REQUEST=False), request_with("x")
    )
    assert not interface.should_open_to_refresh(
        MiniApp(), request_with("x", name="other")
    )


def test_should_open_to_refresh_reads_headers_a_request_replaced() -> None:
    # A request whose headers are not werkzeug's view of its environ is asked
    # through its own headers, not its environ.
    interface = SessionInterface()
    request = request_with("x")
    request.headers = Headers()  # type: ignore[misc]
    assert not interface.should_open_to_refresh(MiniApp(), request)


def test_base_interface_leaves_storage_to_subclasses() -> None:
    interface = SessionInterface()
    with pytest.raises(NotImplementedError):
        interface.open_session(MiniApp(), request_with())
    with pytest.raises(NotImplementedError):
        interface.save_session(MiniApp(), SecureCookieSession(), Response())


# SecureCookieSessionInterface: the format


def test_format_is_flasks() -> None:
    interface = SecureCookieSessionInterface()
    assert interface.salt == "cookie-session"
    assert interface.key_derivation == "hmac"
    assert interface.digest_method().name == "sha1"
    assert interface.serializer is session_json_serializer
    assert interface.session_class is SecureCookieSession
    assert interface.null_session_class is NullSession


GOLDEN_KEY = "golden key"
#: Written by Flask 3.1.3 with GOLDEN_KEY at FROZEN_TIME, for GOLDEN_DATA.
GOLDEN_COOKIE = (
    ".eJx9jcEKwjAMhl8l5Fyw1glSprCTIAgedhMZkZatsE7ZWnYYe3ez9m4uge__kn_BLvge9YLgUWNp_"
    "aVz5Y4XrgKdmVIUUD_3Qr0YjTQn9Ga7epzOmxaoba1J2Lh80DScD58ABCF-e4sre9FlKXIm_46i7W-c7"
    "MgqGUKBc2eHXMGojlaAVHCjAZRUBciDloWWR7jea-76AVAWOb0.ZVPxAA.eCTpkecb_epEpb_xIcD11D"
    "eqOWk"
)
GOLDEN_DATA = {
    "user": "ada",
    "ids": (1, 2),
    "raw": b"\x00\xff",
    "when": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
    "uid": UUID(int=42),
    "html": Markup("<em>hi</em>"),
    "tagged": {" t": "not a tuple"},
}


def test_reads_a_cookie_written_by_flask(frozen_time: int) -> None:
    session = opened(MiniApp(GOLDEN_KEY), GOLDEN_COOKIE)
    assert session == GOLDEN_DATA
    assert type(session["ids"]) is tuple
    assert type(session["html"]) is Markup


def test_writes_the_cookie_flask_writes(frozen_time: int) -> None:
    assert write_cookie(MiniApp(GOLDEN_KEY), **GOLDEN_DATA) == GOLDEN_COOKIE


def test_round_trips_tagged_data() -> None:
    app = MiniApp()
    data = {"n": 1, "t": (1, "x"), "b": b"\xff", "nested": [{"u": UUID(int=1)}]}
    session = opened(app, write_cookie(app, **data))
    assert session == data
    assert not session.accessed
    assert not session.modified


# SecureCookieSessionInterface: saving


def test_untouched_session_from_cookie_saves_nothing() -> None:
    app = MiniApp()
    interface = SecureCookieSessionInterface()
    session = opened(app, write_cookie(app, a=1))
    response = saved(interface, app, session)
    assert "Set-Cookie" not in response.headers
    assert "Vary" not in response.headers
    assert not session.accessed


def test_reading_adds_vary_cookie() -> None:
    app = MiniApp()
    session = opened(app, write_cookie(app, a=1))
    assert session["a"] == 1
    response = saved(SecureCookieSessionInterface(), app, session)
    assert response.headers["Vary"] == "Cookie"
    assert "Set-Cookie" not in response.headers
    assert session.accessed


def test_vary_is_merged_with_existing_values() -> None:
    app = MiniApp()
    session = SecureCookieSession()
    session["a"] = 1
    response = Response()
    response.vary.update(("Accept-Encoding", "Cookie"))
    SecureCookieSessionInterface().save_session(app, session, response)
    assert response.headers.getlist("Vary") == ["Accept-Encoding, Cookie"]


def test_writing_sets_the_cookie() -> None:
    app = MiniApp()
    session = SecureCookieSession()
    session["a"] = 1
    response = saved(SecureCookieSessionInterface(), app, session)
    header = set_cookie_header(response)
    assert header is not None
    assert "HttpOnly" in header
    assert "Path=/" in header
    assert "Expires" not in header
    assert response.headers["Vary"] == "Cookie"
    assert opened(app, cookie_of(response)) == {"a": 1}


def test_cookie_attributes_follow_config() -> None:
    app = MiniApp(
        SESSION_COOKIE_NAME="sid",
        SESSION_COOKIE_DOMAIN=".example.com",
        SESSION_COOKIE_PATH="/app",
        SESSION_COOKIE_HTTPONLY=False,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_PARTITIONED=True,
    )
    session = SecureCookieSession()
    session["a"] = 1
    header = set_cookie_header(
        saved(SecureCookieSessionInterface(), app, session), "sid"
    )
    assert header is not None
    lowered = header.lower()
    assert "domain=example.com" in lowered or "domain=.example.com" in lowered
    assert "path=/app" in lowered
    assert "secure" in lowered
    assert "httponly" not in lowered
    assert "samesite=strict" in lowered
    assert "partitioned" in lowered


def test_invalid_samesite_is_an_error() -> None:
    session = SecureCookieSession()
    session["a"] = 1
    with pytest.raises(ValueError):
        saved(
            SecureCookieSessionInterface(),
            MiniApp(SESSION_COOKIE_SAMESITE="bad"),
            session,
        )


def test_emptying_the_session_deletes_the_cookie() -> None:
    app = MiniApp(SESSION_COOKIE_DOMAIN=".example.com", SESSION_COOKIE_SECURE=True)
    session = opened(app, write_cookie(app, a=1))
    session.clear()
    response = saved(SecureCookieSessionInterface(), app, session)
    header = set_cookie_header(response)
    assert header is not None
    assert header.startswith("session=;")
    assert "Max-Age=0" in header
    assert "Domain=example.com" in header or "Domain=.example.com" in header
    assert "Secure" in header
    assert response.headers["Vary"] == "Cookie"


def test_an_empty_unmodified_session_saves_nothing() -> None:
    response = saved(SecureCookieSessionInterface(), MiniApp(), SecureCookieSession())
    assert response.headers.get("Set-Cookie") is None
    assert response.headers.get("Vary") is None


def test_permanent_session_cookie_expires_after_the_lifetime() -> None:
    app = MiniApp(lifetime=timedelta(days=3))
    session = SecureCookieSession()
    session["a"] = 1
    session.permanent = True
    header = set_cookie_header(saved(SecureCookieSessionInterface(), app, session))
    assert header is not None
    expires = parse_date(header.split("Expires=", 1)[1].split(";", 1)[0])
    assert expires is not None
    assert abs(expires - (datetime.now(timezone.utc) + timedelta(days=3))) < timedelta(
        seconds=5
    )


@pytest.mark.parametrize("refresh", [True, False])
def test_permanent_sessions_are_refreshed_when_configured(refresh: bool) -> None:
    app = MiniApp(SESSION_REFRESH_EACH_REQUEST=refresh)
    session = opened(app, write_cookie(app, a=1, _permanent=True))
    response = saved(SecureCookieSessionInterface(), app, session)
    assert (set_cookie_header(response) is not None) is refresh
    assert ("Vary" in response.headers) is refresh
    # Deciding whether to refresh is not the application reading the session.
    assert not session.accessed


def test_a_subclass_can_choose_the_cookie_name() -> None:
    class Named(SecureCookieSessionInterface):
        def get_cookie_name(self, app: SessionApp) -> str:
            return "custom"

    app = MiniApp()
    interface = Named()
    session = SecureCookieSession()
    session["a"] = 1
    response = saved(interface, app, session)
    cookie = cookie_of(response, "custom")
    reopened = interface.open_session(app, request_with(cookie, name="custom"))
    assert reopened == {"a": 1}


def test_a_subclass_can_change_the_digest() -> None:
    class Sha256(SecureCookieSessionInterface):
        digest_method = staticmethod(hashlib.sha256)

    app = MiniApp()
    session = SecureCookieSession()
    session["a"] = 1
    cookie = cookie_of(saved(Sha256(), app, session))
    assert Sha256().open_session(app, request_with(cookie)) == {"a": 1}
    assert opened(app, cookie) == {}


def test_saving_after_the_key_was_removed_is_an_error() -> None:
    app = MiniApp()
    session = opened(app, None)
    session["a"] = 1
    app.secret_key = None
    with pytest.raises(RuntimeError, match="secret key was removed"):
        saved(SecureCookieSessionInterface(), app, session)


# Key rotation


def test_fallback_keys_are_accepted_and_cookies_re_signed() -> None:
    old = MiniApp("old key")
    cookie = write_cookie(old, a=1)

    assert opened(MiniApp("new key"), cookie) == {}

    rotated = MiniApp("new key", SECRET_KEY_FALLBACKS=["older key", "old key"])
    session = opened(rotated, cookie)
    assert session == {"a": 1}

    session["b"] = 2
    new_cookie = cookie_of(saved(SecureCookieSessionInterface(), rotated, session))
    assert opened(MiniApp("new key"), new_cookie) == {"a": 1, "b": 2}
    assert opened(MiniApp("old key"), new_cookie) == {}


def test_flasks_rotation_sequence() -> None:
    app = MiniApp("0 key", SECRET_KEY_FALLBACKS=["-1 key", "-2 key"])
    cookie = write_cookie(app, a=1)
    assert opened(app, cookie) == {"a": 1}
    app.secret_key = "? key"
    assert opened(app, cookie) == {}
    app.secret_key = "+1 key"
    app.config["SECRET_KEY_FALLBACKS"] = ["0 key", "-1 key"]
    assert opened(app, cookie) == {"a": 1}


# The serializer cache


def test_the_signing_serializer_is_built_once_per_key_set() -> None:
    interface = SecureCookieSessionInterface()
    app = MiniApp("one")
    first = interface.get_signing_serializer(app)
    assert isinstance(first, URLSafeTimedSerializer)
    assert interface.get_signing_serializer(app) is first
    assert (
        SecureCookieSessionInterface().get_signing_serializer(MiniApp("one")) is first
    )

    app.secret_key = "two"
    second = interface.get_signing_serializer(app)
    assert second is not first

    app.config["SECRET_KEY_FALLBACKS"] = ["one"]
    assert interface.get_signing_serializer(app) is not second

    class Salted(SecureCookieSessionInterface):
        salt = "other"

    assert Salted().get_signing_serializer(MiniApp("one")) is not first


def test_one_interface_follows_every_change_of_its_key_settings() -> None:
    # One interface serves every request of an app: what it remembers from
    # the last request must not outlive a change of the settings.
    interface = SecureCookieSessionInterface()
    app = MiniApp("one")
    cookie = write_cookie(app, a=1)
    assert interface.open_session(app, request_with(cookie)) == {"a": 1}

    app.secret_key = "two"
    assert interface.open_session(app, request_with(cookie)) == {}

    fallbacks: list[str] = []
    app.config["SECRET_KEY_FALLBACKS"] = fallbacks
    assert interface.open_session(app, request_with(cookie)) == {}
    # Changed in place: the same list now lists the old key.
    fallbacks.append("one")
    assert interface.open_session(app, request_with(cookie)) == {"a": 1}
    fallbacks.clear()
    assert interface.open_session(app, request_with(cookie)) == {}

    interface.salt = "another salt"
    assert interface.open_session(app, request_with(cookie)) == {}


class UpperJSON:
    """A JSON provider that writes every string upper case."""

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        return json.dumps(obj, **kwargs).upper()

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        return json.loads(s, **kwargs)


def test_a_new_json_provider_is_used_from_the_next_request_on() -> None:
    interface = SecureCookieSessionInterface()
    app = MiniApp("one")
    session = interface.session_class()
    session["a"] = "b"
    plain = interface.get_signing_serializer(app)
    assert plain is not None
    assert plain.loads(cookie_of(saved(interface, app, session))) == {"a": "b"}

    app.session_json = UpperJSON()  # type: ignore[attr-defined]
    serializer = interface.get_signing_serializer(app)
    assert serializer is not None
    assert serializer.loads(cookie_of(saved(interface, app, session))) == {"A": "B"}

    del app.session_json  # type: ignore[attr-defined]
    assert interface.get_signing_serializer(app) is plain


def test_unhashable_key_settings_still_work() -> None:
    app = MiniApp("key", SECRET_KEY_FALLBACKS=[bytearray(b"old")])
    assert opened(app, write_cookie(app, a=1)) == {"a": 1}


# Bad input never raises


def test_tampered_cookie_gives_an_empty_session() -> None:
    app = MiniApp()
    cookie = write_cookie(app, user="ada")
    payload, rest = cookie.split(".", 1)
    tampered = (
        payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + rest
    )
    session = opened(app, tampered)
    assert session == {}
    assert not session.modified


@pytest.mark.parametrize("cut", [1, 5, 27, 30])
def test_truncated_cookie_gives_an_empty_session(cut: int) -> None:
    app = MiniApp()
    cookie = write_cookie(app, user="ada")
    assert opened(app, cookie[:-cut]) == {}


def test_expired_cookie_gives_an_empty_session(monkeypatch: pytest.MonkeyPatch) -> None:
    app = MiniApp(lifetime=timedelta(hours=1))
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_000_000)
    cookie = write_cookie(app, user="ada")
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_000_000 + 3599)
    assert opened(app, cookie) == {"user": "ada"}
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_000_000 + 3601)
    assert opened(app, cookie) == {}


@pytest.mark.parametrize(
    "payload",
    [
        b"abcde",  # not base64: one character too many
        b"." + b64(b"claims to be compressed but is not zlib"),
        b64(b"not json"),
        b64(b"\xff\xfe"),  # not UTF-8
        b64(b"[1, 2]"),  # JSON, but not an object
        b64(b'{"a": {" t": 5}}'),  # a tag whose value does not fit
        b64(b'{"a": {" di": {}}}'),  # an empty protected dict
        b64(b'{"a": {" b": "abcde"}}'),  # bytes that are not base64
        b64(b'{"a": {" u": "zz"}}'),  # not a UUID
    ],
)
def test_signed_but_undecodable_cookie_gives_an_empty_session(payload: bytes) -> None:
    app = MiniApp()
    assert opened_raw(app, signed_payload(app, payload)) == {}


@given(st.text())
def test_any_cookie_text_opens_a_session(value: str) -> None:
    session = opened_raw(MiniApp(), value)
    assert session == {}
    assert type(session) is SecureCookieSession


@given(st.binary())
def test_any_cookie_header_bytes_open_a_session(header: bytes) -> None:
    environ = EnvironBuilder().get_environ()
    environ["HTTP_COOKIE"] = "session=" + header.decode("latin-1")
    session = SecureCookieSessionInterface().open_session(MiniApp(), Request(environ))
    assert session == {}


VALID = write_cookie(MiniApp(), user="ada", ids=(1, 2))
SIGNATURE_START = VALID.rindex(".") + 1


@given(st.integers(min_value=0, max_value=len(VALID) - 1), st.characters())
def test_changing_any_character_of_a_cookie_is_detected(index: int, char: str) -> None:
    changed = VALID[:index] + char + VALID[index + 1 :]
    session = opened_raw(MiniApp(), changed)

    if changed == VALID:
        assert session == {"user": "ada", "ids": (1, 2)}
    elif index < SIGNATURE_START:
        # The payload and timestamp are what is signed.
        assert session == {}
    else:
        # Base64 ignores a final character's spare bits, so a few changes
        # to the signature decode to the same signature; never other data.
        assert session in ({}, {"user": "ada", "ids": (1, 2)})


# Shortcuts in saving


@given(
    st.lists(
        st.sampled_from(
            ["Cookie", "cookie", "Accept", "Accept-Encoding, Cookie", "", "*"]
        ),
        max_size=3,
    )
)
def test_vary_cookie_is_added_as_the_vary_property_adds_it(existing: list[str]) -> None:
    from kolben.sessions.sessions import _vary_on_cookie

    shortcut, generic = Response(), Response()
    for response in (shortcut, generic):
        for value in existing:
            response.headers.add("Vary", value)
    _vary_on_cookie(shortcut)
    generic.vary.add("Cookie")
    assert shortcut.headers.to_wsgi_list() == generic.headers.to_wsgi_list()


def test_a_response_class_with_its_own_vary_is_used() -> None:
    class Recording(Response):
        vary_reads = 0

        @property
        def vary(self) -> t.Any:
            self.vary_reads += 1
            return Response.vary.__get__(self)

    session = opened(MiniApp(), None)
    session["a"] = 1
    response = Recording()
    SecureCookieSessionInterface().save_session(MiniApp(), session, response)
    assert response.vary_reads > 0
    assert response.headers["Vary"] == "Cookie"


def test_a_session_class_computing_its_items_is_saved_through_them() -> None:
    class Shouting(SecureCookieSession):
        def __getitem__(self, key: str) -> t.Any:
            return str(super().__getitem__(key)).upper()

    class Interface(SecureCookieSessionInterface):
        session_class = Shouting

    app = MiniApp()
    session = Shouting()
    session["a"] = "quiet"
    cookie = cookie_of(saved(Interface(), app, session))
    assert opened(app, cookie) == {"a": "QUIET"}


def test_a_custom_null_session_class_is_recognised() -> None:
    class Null(NullSession):
        pass

    class Interface(SecureCookieSessionInterface):
        null_session_class = Null

    interface = Interface()
    assert interface.is_null_session(Null())
    assert not interface.is_null_session(NullSession())
    assert not interface.is_null_session(SecureCookieSession())
    assert SecureCookieSessionInterface().is_null_session(Null())
