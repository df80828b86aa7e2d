"""Server-side sessions through ``SessionMiddleware``, against every store.

The app below is a plain werkzeug program; each test drives it with werkzeug's
test client or with many threads calling it at once, and checks what a user
relies on: what the cookie holds, what the store holds, and that concurrent
requests of one session keep each other's changes.
"""

from __future__ import annotations

import concurrent.futures
import json
import time
import typing as t
import uuid
from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
from markupsafe import Markup
from werkzeug.test import Client
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from kolben.sessions import get_session
from kolben.sessions import MemoryStore
from kolben.sessions import ServerSideSessionInterface
from kolben.sessions import SessionMiddleware
from kolben.sessions import SessionTooLargeError
from kolben.sessions.server import FORMAT_MARKER

SECRET = "server secret"


@Request.application  # type: ignore[arg-type]
def view(request: Request) -> Response:
    if request.path == "/untouched":
        return Response("ok")
    session = get_session(request.environ)
    parts = request.path.strip("/").split("/")
    action = parts[0]
    if action == "set":
        session[parts[1]] = parts[2]
        if request.args.get("slow"):
            time.sleep(float(request.args["slow"]))
    elif action == "del":
        session.pop(parts[1], None)
        if request.args.get("slow"):
            time.sleep(float(request.args["slow"]))
    elif action == "clear":
        session.clear()
    elif action == "regenerate":
        session.regenerate()  # type: ignore[attr-defined]
    elif action == "temporary":
        session.permanent = False
        session["t"] = "1"
    elif action == "read":
        return Response(repr(sorted(session.items())))
    elif action == "sid":
        return Response(str(session.sid))  # type: ignore[attr-defined]
    return Response("ok")


def make_app(store: t.Any, **config: t.Any) -> SessionMiddleware:
    app = SessionMiddleware(view, SECRET, store=store)
    app.config.update(config)
    return app


def sid_of(app: SessionMiddleware, cookie: str) -> str:
    interface = app.session_interface
    assert isinstance(interface, ServerSideSessionInterface)
    signer = interface.get_signer(app)
    assert signer is not None
    return signer.unsign(cookie).decode()


def cookie_of(client: Client) -> str | None:
    cookie = client.get_cookie("session")
    return None if cookie is None else cookie.value


def test_data_stays_on_the_server(store: t.Any) -> None:
    app = make_app(store)
    client = Client(app)
    client.get("/set/user/ada")
    cookie = cookie_of(client)
    assert cookie is not None and "ada" not in cookie
    sid = sid_of(app, cookie)
    # 32 random bytes, URL-safe base64: 256 bits.
    assert len(sid) == 43
    record = store.load(sid)
    assert record is not None and record.data.startswith(FORMAT_MARKER)
    assert client.get("/read").text == "[('user', 'ada')]"


def records_in(store: t.Any) -> int:
    """How many records the store holds, asked of its backend directly."""
    if isinstance(store, MemoryStore):
        return len(store)
    if store.name == "sqlite":
        import sqlite3

        try:
            db = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
        except sqlite3.OperationalError:
            return 0  # no file: the store never wrote
        try:
            query = "SELECT count(*) FROM kolben_sessions"
            return int(db.execute(query).fetchone()[0])
        except sqlite3.OperationalError:
            return 0  # no table: the store never wrote
        finally:
            db.close()
    return len(store.client.keys(store.key_prefix + "*"))


def test_an_empty_session_writes_nothing(store: t.Any) -> None:
    app = make_app(store)
    client = Client(app)
    for path in ("/read", "/del/missing", "/read"):
        response = client.get(path)
        assert "Set-Cookie" not in response.headers
    assert response.text == "[]"
    assert response.headers["Vary"] == "Cookie"
    # Clearing an empty session only expires the cookie, as Flask does.
    assert "Max-Age=0" in client.get("/clear").headers["Set-Cookie"]
    assert records_in(store) == 0
    client.get("/set/user/ada")
    assert records_in(store) == 1


def test_forged_and_guessed_ids_never_reach_the_store() -> None:
    class Counting(MemoryStore):
        looked_up: list[str] = []

        def load(self, sid: str) -> t.Any:
            self.looked_up.append(sid)
            return super().load(sid)

    store = Counting()
    app = make_app(store)
    client = Client(app)
    client.get("/set/user/ada")
    real = sid_of(app, t.cast(str, cookie_of(client)))
    store.looked_up.clear()
    for forged in (real, real + ".forged", "x" * 43, ""):
        client.set_cookie("session", forged)
        assert client.get("/read").text == "[]"
    other = SessionMiddleware(view, "another key", store=store)
    signed_elsewhere = t.cast(
        ServerSideSessionInterface, other.session_interface
    ).get_signer(other)
    assert signed_elsewhere is not None
    client.set_cookie("session", signed_elsewhere.sign(real).decode())
    assert client.get("/read").text == "[]"
    assert store.looked_up == []


def test_fallback_keys_verify_and_the_cookie_is_resigned() -> None:
    store = MemoryStore()
    old = SessionMiddleware(view, "old key", store=store)
    client = Client(old)
    client.get("/set/user/ada")
    old_cookie = cookie_of(client)
    new = SessionMiddleware(
        view, "new key", secret_key_fallbacks=["old key"], store=store
    )
    client = Client(new)
    client.set_cookie("session", t.cast(str, old_cookie))
    assert client.get("/read").text == "[('user', 'ada')]"
    resigned = cookie_of(client)
    assert resigned != old_cookie
    assert sid_of(new, t.cast(str, resigned)) == sid_of(old, t.cast(str, old_cookie))
    # Signed with the current key now: sent back as it is.
    assert "Set-Cookie" not in client.get("/read").headers
    client.get("/set/user/grace")
    assert cookie_of(client) == resigned


def test_a_remembered_verification_ends_with_its_key() -> None:
    # Each request of a session sends the same cookie; its verification is
    # remembered, and must stop counting once the key or salt changes.
    store = MemoryStore()
    app = make_app(store)
    client = Client(app)
    client.get("/set/user/ada")
    signed_with_secret = t.cast(str, cookie_of(client))
    for _ in range(2):
        assert client.get("/read").text == "[('user', 'ada')]"
    app.secret_key = "another key"
    assert client.get("/read").text == "[]"
    app.secret_key = SECRET
    assert client.get("/read").text == "[('user', 'ada')]"
    interface = t.cast(ServerSideSessionInterface, app.session_interface)
    interface.salt = "another salt"
    assert client.get("/read").text == "[]"
    interface.salt = ServerSideSessionInterface.salt
    assert client.get("/read").text == "[('user', 'ada')]"
    # The old key as a fallback: accepted (and the cookie signed anew) until
    # it is taken out of the list, in place.
    app.secret_key = "newer key"
    app.config["SECRET_KEY_FALLBACKS"].append(SECRET)
    assert client.get("/read").text == "[('user', 'ada')]"
    assert cookie_of(client) != signed_with_secret
    app.config["SECRET_KEY_FALLBACKS"].clear()
    client.set_cookie("session", signed_with_secret)
    assert client.get("/read").text == "[]"


def test_a_subclass_signer_verifies_and_signs_alone() -> None:
    import hashlib

    from itsdangerous import Signer

    class OwnSigner(ServerSideSessionInterface):
        def get_signer(self, app: t.Any) -> Signer:
            return Signer(app.secret_key, salt="own", digest_method=hashlib.sha512)

    store = MemoryStore()
    app = SessionMiddleware(view, SECRET, session_interface=OwnSigner(store))
    client = Client(app)
    client.get("/set/user/ada")
    cookie = t.cast(str, cookie_of(client))
    sid = OwnSigner(store).get_signer(app).unsign(cookie).decode()
    assert store.load(sid) is not None
    assert client.get("/read").text == "[('user', 'ada')]"
    client.get("/set/user/grace")
    assert cookie_of(client) == cookie
    # A cookie signed the default way is not this interface's.
    default = ServerSideSessionInterface(store).get_signer(app)
    client.set_cookie("session", default.sign(sid).decode())  # type: ignore[union-attr]
    assert client.get("/read").text == "[]"


def test_regenerate_issues_a_new_id_and_deletes_the_old_record(store: t.Any) -> None:
    app = make_app(store)
    client = Client(app)
    client.get("/set/user/ada")
    before = sid_of(app, t.cast(str, cookie_of(client)))
    client.get("/regenerate")
    after = sid_of(app, t.cast(str, cookie_of(client)))
    assert after != before
    assert store.load(before) is None
    assert client.get("/read").text == "[('user', 'ada')]"
    # The old id no longer opens anything.
    stale = Client(app)
    stale.set_cookie("session", app_cookie_for(app, before))
    assert stale.get("/read").text == "[]"


def app_cookie_for(app: SessionMiddleware, sid: str) -> str:
    interface = t.cast(ServerSideSessionInterface, app.session_interface)
    signer = interface.get_signer(app)
    assert signer is not None
    return signer.sign(sid).decode()


def test_clear_deletes_the_record_and_the_cookie(store: t.Any) -> None:
    app = make_app(store)
    client = Client(app)
    client.get("/set/user/ada")
    sid = sid_of(app, t.cast(str, cookie_of(client)))
    response = client.get("/clear")
    assert "Max-Age=0" in response.headers["Set-Cookie"]
    assert store.load(sid) is None
    assert cookie_of(client) is None


def test_clearing_then_filling_a_session_changes_its_id(store: t.Any) -> None:
    @Request.application  # type: ignore[arg-type]
    def login(request: Request) -> Response:
        session = get_session(request.environ)
        session.clear()
        session["user"] = request.args["name"]
        return Response("in")

    app = SessionMiddleware(login, SECRET, store=store)
    client = Client(app)
    client.get("/?name=ada")
    before = sid_of(app, t.cast(str, cookie_of(client)))
    client.get("/?name=bob")
    after = sid_of(app, t.cast(str, cookie_of(client)))
    assert after != before
    assert store.load(before) is None
    assert store.load(after) is not None


def test_a_client_cannot_choose_its_session_id(store: t.Any) -> None:
    app = make_app(store)
    client = Client(app)
    planted = "A" * 43
    client.set_cookie("session", app_cookie_for(app, planted))
    client.get("/set/user/ada")
    assert sid_of(app, t.cast(str, cookie_of(client))) != planted
    assert store.load(planted) is None


def test_a_corrupt_record_is_a_fresh_session(store: t.Any) -> None:
    app = make_app(store)
    client = Client(app)
    client.get("/set/user/ada")
    sid = sid_of(app, t.cast(str, cookie_of(client)))
    record = store.load(sid)
    for junk in (b"not ours", FORMAT_MARKER + b"{broken", FORMAT_MARKER + b"[1]"):
        assert store.save(sid, junk, time.time() + 60, record.version) is not None
        record = store.load(sid)
        assert client.get("/read").text == "[]"


def test_the_record_format_is_stable(store: t.Any) -> None:
    app = make_app(store)
    client = Client(app)
    client.get("/set/user/ada")
    sid = sid_of(app, t.cast(str, cookie_of(client)))
    record = store.load(sid)
    assert record.data == b'ks1:{"user":"ada"}'
    # A record as version 0.1.0 writes it: later releases keep reading it.
    written_by_0_1 = b'ks1:{"pair":{" t":[1,"two"]},"user":"ada"}'
    assert store.save(sid, written_by_0_1, time.time() + 60, record.version)
    assert client.get("/read").text == "[('pair', (1, 'two')), ('user', 'ada')]"


def test_tagged_values_round_trip(store: t.Any) -> None:
    values = {
        "html": Markup("<b>x</b>"),
        "when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "raw": b"\x00\xff",
        "pair": (1, "two"),
    }

    @Request.application  # type: ignore[arg-type]
    def typed(request: Request) -> Response:
        session = get_session(request.environ)
        if request.path == "/write":
            session.update(values)
            return Response("ok")
        assert {k: session[k] for k in values} == values
        assert type(session["html"]) is Markup and type(session["pair"]) is tuple
        return Response("same")

    client = Client(SessionMiddleware(typed, SECRET, store=store))
    client.get("/write")
    assert client.get("/check").text == "same"


def test_the_size_limit_is_a_clear_error() -> None:
    app = make_app(MemoryStore(), SESSION_MAX_SIZE=100)
    with pytest.raises(SessionTooLargeError, match="SESSION_MAX_SIZE"):
        Client(app).get("/set/big/" + "x" * 200)


def test_the_cookie_header_is_werkzeugs_on_every_response() -> None:
    # The header is remembered between responses of one session: it stays
    # byte for byte what werkzeug's set_cookie writes for the same values.
    app = make_app(
        MemoryStore(),
        SESSION_COOKIE_DOMAIN="example.org",
        SESSION_COOKIE_PATH="/app",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PARTITIONED=True,
    )
    # The cookie is for another host, so it is sent by hand.
    client = Client(app, use_cookies=False)
    cookie = None
    for n in range(3):
        headers = {"Cookie": f"session={cookie}"} if cookie else {}
        response = client.get(f"/set/n/{n}", headers=headers)
        (header,) = response.headers.getlist("Set-Cookie")
        sent, cookie = cookie, header.split(";")[0].split("=", 1)[1]
        assert sent in (None, cookie)
        expires = header.split("Expires=")[1].split(";")[0]
        expected = Response()
        expected.set_cookie(
            "session",
            cookie,
            expires=expires,
            path="/app",
            domain="example.org",
            secure=True,
            httponly=True,
            samesite="Lax",
            partitioned=True,
        )
        assert header == expected.headers["Set-Cookie"]
        assert response.headers["Vary"] == "Cookie"
    assert client.get("/read", headers={"Cookie": f"session={cookie}"}).text == (
        "[('n', '2')]"
    )
    # A setting changed while the app runs shows in the next response.
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    response = client.get("/set/n/9", headers={"Cookie": f"session={cookie}"})
    assert "SameSite=Strict" in response.headers["Set-Cookie"]
    assert response.headers["Set-Cookie"].startswith(f"session={cookie};")


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"APPLICATION_ROOT": "/root"},
        {"APPLICATION_ROOT": "/root", "SESSION_COOKIE_PATH": ""},
        {
            "SESSION_COOKIE_NAME": "sid",
            "SESSION_COOKIE_PATH": "/app",
            "SESSION_COOKIE_DOMAIN": "example.org",
            "SESSION_COOKIE_SECURE": 1,
            "SESSION_COOKIE_HTTPONLY": 0,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_PARTITIONED": "yes",
        },
    ],
)
def test_the_cookie_settings_are_the_getters(config: dict[str, t.Any]) -> None:
    # The stock getters are read from the config in one place: the same
    # values, types included, as calling each getter.
    app = make_app(MemoryStore(), **config)
    interface = app.session_interface
    assert isinstance(interface, ServerSideSessionInterface)
    expected = (
        interface.get_cookie_name(app),
        (
            interface.get_cookie_path(app),
            interface.get_cookie_domain(app),
            interface.get_cookie_secure(app),
            interface.get_cookie_httponly(app),
            interface.get_cookie_samesite(app),
            interface.get_cookie_partitioned(app),
        ),
    )
    settings = interface._cookie_settings(app)
    assert settings == expected
    assert [type(v) for v in settings[1]] == [type(v) for v in expected[1]]


def test_overridden_cookie_getters_are_honoured() -> None:
    class Interface(ServerSideSessionInterface):
        def get_cookie_name(self, app: t.Any) -> str:
            return "custom"

        def get_cookie_path(self, app: t.Any) -> str:
            return "/custom"

    app = make_app(MemoryStore())
    app.session_interface = Interface(MemoryStore())
    client = Client(app)
    header = client.get("/set/a/1").headers["Set-Cookie"]
    assert header.startswith("custom=")
    assert "Path=/custom" in header
    cookie = client.get_cookie("custom", path="/custom")
    assert cookie is not None
    response = client.get("/clear", headers={"Cookie": f"custom={cookie.value}"})
    assert response.headers["Set-Cookie"].startswith("custom=;")
    assert "Path=/custom" in response.headers["Set-Cookie"]


class CountingJSON:
    """A JSON provider that counts its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        self.calls.append("dumps")
        return json.dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        self.calls.append("loads")
        return json.loads(s, **kwargs)


def test_the_apps_json_reads_and_writes_each_request() -> None:
    # The serializer a record was read with writes it back; a provider set
    # between requests is used from the next one on.
    app = make_app(MemoryStore())
    client = Client(app)
    client.get("/set/a/1")
    provider = CountingJSON()
    app.session_json = provider  # type: ignore[attr-defined]
    client.get("/set/b/2")
    assert provider.calls == ["loads", "dumps"]
    del app.session_json  # type: ignore[attr-defined]
    assert client.get("/read").text == "[('a', '1'), ('b', '2')]"
    assert provider.calls == ["loads", "dumps"]


def test_overridden_encode_and_decode_are_called() -> None:
    calls: list[str] = []

    class Interface(ServerSideSessionInterface):
        def encode(self, app: t.Any, data: dict[str, t.Any]) -> bytes:
            calls.append("encode")
            return super().encode(app, {**data, "by": "encode"})

        def decode(self, app: t.Any, payload: bytes) -> dict[str, t.Any] | None:
            calls.append("decode")
            data = super().decode(app, payload)
            return None if data is None else {**data, "seen": "decode"}

    app = make_app(MemoryStore())
    app.session_interface = Interface(MemoryStore())
    client = Client(app)
    client.get("/set/a/1")
    assert calls == ["encode"]
    assert client.get("/read").text == (
        "[('a', '1'), ('by', 'encode'), ('seen', 'decode')]"
    )
    client.get("/set/b/2")
    assert calls == ["encode", "decode", "decode", "encode"]


def test_a_too_large_cookie_warns_on_every_response(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from werkzeug.sansio.response import Response as SansIOResponse

    app = make_app(MemoryStore())
    client = Client(app)
    monkeypatch.setattr(SansIOResponse, "max_cookie_size", 40)
    for n in range(2):
        with pytest.warns(UserWarning, match="cookie is too large"):
            response = client.get(f"/set/n/{n}")
        assert response.headers["Set-Cookie"].startswith("session=")


def test_records_expire_with_the_session_lifetime(store: t.Any) -> None:
    app = make_app(store, SESSION_NON_PERMANENT_LIFETIME=timedelta(hours=2))
    app.permanent_session_lifetime = timedelta(days=3)
    client = Client(app)
    client.get("/set/user/ada")
    record = store.load(sid_of(app, t.cast(str, cookie_of(client))))
    assert abs(record.expires - (time.time() + 3 * 86400)) < 5
    client.get("/temporary")
    record = store.load(sid_of(app, t.cast(str, cookie_of(client))))
    assert abs(record.expires - (time.time() + 7200)) < 5
    assert "Expires" not in client.get("/set/a/b").headers["Set-Cookie"]


def test_an_expired_record_is_gone(store: t.Any) -> None:
    app = make_app(store)
    client = Client(app)
    client.get("/set/user/ada")
    sid = sid_of(app, t.cast(str, cookie_of(client)))
    store.touch(sid, time.time() - 1)
    assert client.get("/read").text == "[]"


def test_unchanged_sessions_only_touch_once_per_fraction(store: t.Any) -> None:
    app = make_app(store, SESSION_REFRESH_FRACTION=0.5)
    app.permanent_session_lifetime = timedelta(seconds=1000)
    client = Client(app)
    client.get("/set/user/ada")
    sid = sid_of(app, t.cast(str, cookie_of(client)))
    first = store.load(sid)
    response = client.get("/read")
    assert "Set-Cookie" not in response.headers
    assert store.load(sid).expires == pytest.approx(first.expires, abs=1)
    # More than half the lifetime has passed: extend, without a rewrite.
    store.touch(sid, time.time() + 400)
    response = client.get("/read")
    assert "Set-Cookie" in response.headers
    refreshed = store.load(sid)
    assert refreshed.expires == pytest.approx(time.time() + 1000, abs=5)
    assert refreshed.version == first.version
    assert refreshed.data == first.data


class CountingStore(MemoryStore):
    """A memory store that counts its loads and touches."""

    def __init__(self) -> None:
        super().__init__()
        self.loads = 0
        self.touches = 0

    def load(self, sid: str) -> t.Any:
        self.loads += 1
        return super().load(sid)

    def touch(self, sid: str, expires: float) -> None:
        self.touches += 1
        super().touch(sid, expires)


def test_requests_that_never_use_the_session_skip_the_store() -> None:
    store = CountingStore()
    client = Client(make_app(store))
    client.get("/set/user/ada")
    loads = store.loads
    for _ in range(5):
        response = client.get("/untouched")
        assert "Set-Cookie" not in response.headers
    assert store.loads == loads
    # Until a refresh is due: with a fraction of 0, on every request.
    client = Client(make_app(store, SESSION_REFRESH_FRACTION=0))
    client.get("/set/user/grace")
    loads = store.loads
    for _ in range(3):
        assert "Set-Cookie" in client.get("/untouched").headers
    assert (store.loads - loads, store.touches) == (3, 3)
    # A forged cookie names no session to refresh.
    client.set_cookie("session", "forged.value")
    client.get("/untouched")
    assert store.loads == loads + 3


def test_a_fallback_signed_cookie_is_resigned_by_an_untouched_request() -> None:
    store = MemoryStore()
    old = Client(make_app(store))
    old.get("/set/user/ada")
    new = Client(
        SessionMiddleware(view, "new key", secret_key_fallbacks=[SECRET], store=store)
    )
    new.set_cookie("session", t.cast(str, cookie_of(old)))
    response = new.get("/untouched")
    assert "Set-Cookie" in response.headers
    assert cookie_of(new) != cookie_of(old)
    assert new.get("/read").text == "[('user', 'ada')]"


def test_sqlite_waits_for_a_briefly_held_lock(tmp_path: t.Any) -> None:
    import sqlite3
    import threading

    from kolben.sessions import SQLiteStore

    store = SQLiteStore(tmp_path / "s.sqlite3", timeout=10)
    client = Client(make_app(store))
    client.get("/set/a/1")
    db = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    # WAL, so the blocker's write lock does not stop readers; an index on the
    # expiry column, so purges do not scan the table.
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    indexes = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index'"
        " AND tbl_name = 'kolben_sessions'"
    ).fetchall()
    assert any(sql and "(expires)" in sql for (sql,) in indexes)
    db.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, db.execute, ["COMMIT"])
    release.start()
    try:
        # The save waits for the lock (busy_timeout) rather than failing.
        assert client.get("/set/b/2").status_code == 200
    finally:
        release.join()
        db.close()
    assert client.get("/read").text == "[('a', '1'), ('b', '2')]"
    store.close()


def test_purge_deletes_expired_records(tmp_path: t.Any) -> None:
    from kolben.sessions import SQLiteStore

    store = SQLiteStore(tmp_path / "s.sqlite3", purge_interval=0)
    now = time.time()
    store.save("a" * 43, FORMAT_MARKER + b"{}", now - 1, 0)
    store.save("b" * 43, FORMAT_MARKER + b"{}", now + 60, 0)
    assert store.count() == 2
    assert store.purge_expired() == 1
    assert store.count() == 1
    store.close()


def test_saves_purge_opportunistically(tmp_path: t.Any) -> None:
    from kolben.sessions import SQLiteStore

    store = SQLiteStore(tmp_path / "s.sqlite3", purge_interval=0.01)
    store.save("a" * 43, FORMAT_MARKER + b"{}", time.time() - 1, 0)
    time.sleep(0.02)
    store.save("b" * 43, FORMAT_MARKER + b"{}", time.time() + 60, 0)
    assert store.count() == 1
    store.close()


# Concurrency: many requests of one session at once.


def hit(app: SessionMiddleware, path: str, cookie: str | None) -> str:
    client = Client(app, use_cookies=False)
    headers = {"Cookie": f"session={cookie}"} if cookie else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response.text


def test_concurrent_writers_keep_every_key(store: t.Any) -> None:
    app = make_app(store)
    client = Client(app)
    client.get("/set/start/1")
    cookie = cookie_of(client)
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        list(
            pool.map(
                lambda i: hit(app, f"/set/k{i}/{i}?slow=0.002", cookie), range(100)
            )
        )
    text = client.get("/read").text
    for i in range(100):
        assert f"('k{i}', '{i}')" in text
    assert "('start', '1')" in text


def test_a_deleted_key_is_not_resurrected(store: t.Any) -> None:
    app = make_app(store)
    client = Client(app)
    client.get("/set/doomed/1")
    cookie = cookie_of(client)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        jobs = [pool.submit(hit, app, "/del/doomed?slow=0.05", cookie)]
        jobs += [
            pool.submit(hit, app, f"/set/other{i}/x?slow=0.05", cookie)
            for i in range(6)
        ]
        for job in jobs:
            job.result()
    text = client.get("/read").text
    assert "doomed" not in text
    assert all(f"other{i}" in text for i in range(6))


def test_many_sessions_stay_apart(store: t.Any) -> None:
    app = make_app(store)
    cookies = []
    for n in range(50):
        client = Client(app)
        client.get(f"/set/owner/s{n}")
        cookies.append(cookie_of(client))

    def request(i: int) -> None:
        n = i % 50
        hit(app, f"/set/k{i}/s{n}", cookies[n])

    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        list(pool.map(request, range(1000)))
    for n, cookie in enumerate(cookies):
        text = hit(app, "/read", cookie)
        pairs = eval(text)  # the view's repr of sorted items
        assert dict(pairs)["owner"] == f"s{n}"
        assert {v for _, v in pairs} == {f"s{n}"}
        assert len(pairs) == 1 + 20


WORKER = """
import sys
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response
from kolben.sessions import SessionMiddleware, SQLiteStore, get_session

@Request.application
def view(request):
    get_session(request.environ)[request.args["k"]] = 1
    return Response("ok")

path, cookie, worker = sys.argv[1:]
store = SQLiteStore(path)
client = Client(SessionMiddleware(view, "processes", store=store), use_cookies=False)
for i in range(25):
    response = client.get(f"/?k=p{worker}_{i}", headers={"Cookie": f"session={cookie}"})
    assert response.status_code == 200, response.text
store.close()
"""


def test_worker_processes_share_one_sqlite_file(tmp_path: t.Any) -> None:
    import subprocess
    import sys

    from kolben.sessions import SQLiteStore

    path = tmp_path / "shared.sqlite3"
    store = SQLiteStore(path)
    app = SessionMiddleware(view, "processes", store=store)
    client = Client(app)
    client.get("/set/start/1")
    cookie = t.cast(str, cookie_of(client))
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(path), cookie, str(n)])
        for n in range(4)
    ]
    assert [w.wait(60) for w in workers] == [0, 0, 0, 0]
    text = client.get("/read").text
    assert all(f"('p{n}_{i}', 1)" in text for n in range(4) for i in range(25))
    store.close()


def test_ids_can_go_unsigned() -> None:
    store = MemoryStore()
    app = make_app(store, SESSION_USE_SIGNER=False)
    client = Client(app)
    client.get("/set/user/ada")
    cookie = t.cast(str, cookie_of(client))
    assert "." not in cookie and len(cookie) == 43
    assert store.load(cookie) is not None
    assert client.get("/read").text == "[('user', 'ada')]"
