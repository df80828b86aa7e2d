"""The Redis store against a real ``redis-server``: how many commands a
request costs, and that the connections it keeps survive what happens to a
server in production (a script cache flushed, connections killed, a client
configured differently).
"""

from __future__ import annotations

import time
import typing as t

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from kolben.sessions import get_session
from kolben.sessions import SessionMiddleware

redis = pytest.importorskip("redis", reason="the redis extra is not installed")


@Request.application  # type: ignore[arg-type]
def view(request: Request) -> Response:
    session = get_session(request.environ)
    if request.path == "/write":
        session["n"] = session.get("n", 0) + 1
    return Response(str(session.get("n")))


def counted(admin: t.Any) -> dict[str, int]:
    """Calls per command since the last ``CONFIG RESETSTAT``, leaving out
    the admin's own ``CONFIG`` and ``INFO``."""
    stats = admin.info("commandstats")
    calls = {name[len("cmdstat_") :]: row["calls"] for name, row in stats.items()}
    return {
        name: n for name, n in calls.items() if not name.startswith(("config", "info"))
    }


def make(server: t.Any, **options: t.Any) -> tuple[t.Any, Client, t.Any]:
    from kolben.sessions import RedisStore

    client_object = redis.Redis.from_url(server.url, **options)
    store = RedisStore(client_object)
    return client_object, Client(SessionMiddleware(view, "k", store=store)), store


def test_a_request_costs_one_get_and_one_evalsha(own_redis_server: t.Any) -> None:
    client_object, client, store = make(own_redis_server)
    admin = redis.Redis.from_url(own_redis_server.url)
    assert client.get("/write").text == "1"
    admin.config_resetstat()
    for n in range(2, 22):
        assert client.get("/write").text == str(n)
    calls = counted(admin)
    # Inside the script, Redis counts the commands it calls as well: a
    # GETRANGE of the version's digits (not a copy of the record) and a SET.
    assert calls == {"get": 20, "evalsha": 20, "getrange": 20, "set": 20}
    # A request that only reads is one GET; an unchanged session is not
    # refreshed before a tenth of its lifetime has passed.
    admin.config_resetstat()
    assert client.get("/read").text == "21"
    calls = counted(admin)
    assert calls == {"get": 1}
    store.close()
    client_object.close()
    admin.close()


def test_the_script_is_loaded_again_after_a_flush(own_redis_server: t.Any) -> None:
    client_object, client, store = make(own_redis_server)
    admin = redis.Redis.from_url(own_redis_server.url)
    assert client.get("/write").text == "1"
    admin.script_flush()
    assert client.get("/write").text == "2"
    assert client.get("/write").text == "3"
    store.close()
    client_object.close()
    admin.close()


def test_connections_killed_by_the_server_are_replaced(
    own_redis_server: t.Any,
) -> None:
    client_object, client, store = make(own_redis_server)
    admin = redis.Redis.from_url(own_redis_server.url)
    assert client.get("/write").text == "1"
    for _ in range(3):
        # Every connection but the admin's, as after a failover or an idle
        # timeout: the next request still succeeds, on a new connection.
        assert admin.client_kill_filter(_type="normal", skipme=True) >= 1
        response = client.get("/write")
        assert response.status_code == 200, response.text
    assert client.get("/read").text == "4"
    store.close()
    client_object.close()
    admin.close()


@pytest.mark.parametrize(
    "options",
    [{"decode_responses": True}, {"single_connection_client": True}, {"protocol": 2}],
    ids=["decode_responses", "single_connection", "resp2"],
)
def test_differently_configured_clients_work(
    redis_server: t.Any, options: dict[str, t.Any]
) -> None:
    client_object, client, store = make(redis_server, **options)
    for n in range(1, 4):
        assert client.get("/write").text == str(n)
    store.close()
    client_object.close()


@pytest.mark.parametrize("size", [0, 5999, 6000, 6001, 300_000])
def test_records_of_every_size_are_stored_byte_for_byte(
    redis_server: t.Any, size: int
) -> None:
    # Past 6000 bytes the value leaves as a buffer of its own rather than
    # copied into the command: either way Redis gets exactly these bytes,
    # protocol characters and all, under the prefixed key.
    from kolben.sessions import RedisStore

    client_object = redis.Redis.from_url(redis_server.url)
    store = RedisStore(client_object, key_prefix="sessiön:")
    data = (b"\r\n$*" + bytes(range(256)) * (size // 256 + 1))[:size]
    sid = "s" * 43
    expires = int(time.time()) + 60
    assert store.save(sid, data, expires, 0) == 1
    assert store.load(sid) == (data, 1, expires)
    assert client_object.exists("sessiön:" + sid) == 1
    assert store.save(sid, data + b"!", expires, 0) is None
    assert store.save(sid, data + b"!", expires, 1) == 2
    assert store.load(sid) == (data + b"!", 2, expires)
    store.delete(sid)
    assert store.load(sid) is None
    store.close()
    client_object.close()


def test_a_missing_redis_server_fails_under_ci_and_skips_locally(
    redis_requirement: t.Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        redis_requirement.__globals__, "REDIS_SERVER", "/nonexistent/redis-server"
    )
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="redis-server is not installed"):
        redis_requirement()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install"):
        redis_requirement()
