"""URL adapters: ``create_url_adapter`` returns what werkzeug's
``Map.bind_to_environ`` (with a request) or ``Map.bind`` (without) would,
attribute for attribute, however often a host has been seen before.
"""

from __future__ import annotations

import typing as t
import warnings

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.exceptions import BadHost
from werkzeug.exceptions import SecurityError
from werkzeug.routing import Map
from werkzeug.routing import MapAdapter
from werkzeug.test import Client
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from kolben.routing import Router


def reference_adapter(app: Router, environ: dict[str, t.Any]) -> MapAdapter:
    """Bind the app's map to ``environ`` the way Flask 3.1 documents it:
    the request's host with host matching, the default subdomain without
    subdomain matching, else the subdomain under ``SERVER_NAME``.
    """
    url_map = app.url_map
    server_name = app.config["SERVER_NAME"]
    if url_map.host_matching:
        return url_map.bind_to_environ(environ, server_name=None)
    if not app.subdomain_matching:
        return url_map.bind_to_environ(
            environ, server_name=server_name, subdomain=url_map.default_subdomain or ""
        )
    return url_map.bind_to_environ(environ, server_name=server_name)


def outcome(
    make: t.Callable[..., MapAdapter | None], *args: t.Any, **kwargs: t.Any
) -> tuple[t.Any, list[str]]:
    """The attributes of the adapter ``make(*args, **kwargs)`` returns (or the
    exception it raises) and the warnings it gives.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            adapter = make(*args, **kwargs)
        except Exception as e:
            result: t.Any = (type(e), str(e))
        else:
            assert type(adapter) is MapAdapter
            result = vars(adapter)
    return result, [str(w.message) for w in caught]


def latin1(text: str) -> str:
    """``text`` as a WSGI server puts it in the environ: UTF-8 bytes as latin-1."""
    return text.encode().decode("latin1")


hosts = st.one_of(
    st.sampled_from(
        [
            "localhost",
            "example.test",
            "Example.TEST",
            "api.example.test",
            "a.b.example.test",
            "example.test:80",
            "example.test:443",
            "example.test:8080",
            "api.example.test:8080",
            "127.0.0.1:5000",
            "[::1]:8080",
            "a..b",
            "x" * 64 + ".test",
            "bad host",
            latin1("bücher.example"),
            "",
        ]
    ),
    st.from_regex(r"[a-zA-Z0-9.-]{1,12}(:[0-9]{1,5})?", fullmatch=True),
)
SERVER_NAMES = (
    None,
    "example.test",
    "Example.Test:80",
    "example.test:443",
    "example.test:8080",
    "localhost",
    "bücher.example",
    "a..b",
)
server_names = st.sampled_from(SERVER_NAMES)
paths = st.sampled_from(["", "/", "/app", "/app/", "/app//", latin1("/äpp"), "/\xff"])


# Mostly requests with a Host header and no upgrade, the ones an adapter is
# built from memory for; the rest go to werkzeug as a whole.
environs = st.fixed_dictionaries(
    {
        "wsgi.url_scheme": st.sampled_from(["http", "https"]),
        "REQUEST_METHOD": st.sampled_from(["GET", "POST"]),
        "SERVER_NAME": st.sampled_from(["localhost", "example.test", "::1"]),
        "SERVER_PORT": st.sampled_from(["80", "443", "5000", ""]),
        "HTTP_HOST": st.one_of(hosts, hosts, hosts, st.none()),
        "SCRIPT_NAME": st.one_of(paths, paths, st.none()),
        "PATH_INFO": st.one_of(paths, paths, st.none()),
        "QUERY_STRING": st.one_of(
            st.sampled_from(["", "a=1", latin1("q=ä"), "q=%C3%A4"]), st.none()
        ),
        "HTTP_CONNECTION": st.one_of(
            st.sampled_from(["Upgrade", "keep-alive, upgrade", "close"]), st.none()
        ),
        "HTTP_UPGRADE": st.one_of(
            st.sampled_from(["websocket", "WebSocket", "h2c"]),
            *[st.none()] * 3,
        ),
    }
).map(lambda env: {k: v for k, v in env.items() if v is not None})

#: Every combination of the settings an adapter depends on.
ALL_SETTINGS = [
    {
        "server_name": server_name,
        "host_matching": host_matching,
        "subdomain_matching": subdomain_matching,
        "default_subdomain": default_subdomain,
    }
    for server_name in SERVER_NAMES
    for host_matching in (False, True)
    for subdomain_matching in (False, True)
    for default_subdomain in ("", "www")
]


def apply(app: Router, setting: dict[str, t.Any]) -> None:
    app.config["SERVER_NAME"] = setting["server_name"]
    app.url_map.host_matching = setting["host_matching"]
    app.subdomain_matching = setting["subdomain_matching"]
    app.url_map.default_subdomain = setting["default_subdomain"]


@settings(max_examples=60, deadline=None)
@given(st.lists(environs, min_size=1, max_size=3), st.permutations(ALL_SETTINGS))
def test_request_adapters_are_werkzeugs(
    requests: list[dict[str, t.Any]], all_settings: list[dict[str, t.Any]]
) -> None:
    # One app for the whole run, so that what it remembers from earlier
    # requests (other hosts, other settings) is put to the test.
    app = Router("adapters")
    app.add_url_rule("/", "index")
    # The same hosts over the other scheme too: default ports depend on it.
    other_scheme = {"http": "https", "https": "http"}
    requests += [
        {**environ, "wsgi.url_scheme": other_scheme[environ["wsgi.url_scheme"]]}
        for environ in requests
    ]
    for setting in all_settings:
        apply(app, setting)
        for environ in requests:
            expected = outcome(reference_adapter, app, dict(environ))
            # The first request from a host and the ones after it.
            for _ in range(2):
                request = Request(dict(environ))
                assert outcome(app.create_url_adapter, request) == expected


@given(
    st.lists(
        st.tuples(
            server_names.filter(lambda name: name is not None),
            st.sampled_from([None, "/", "/app", "/app/"]),
            st.sampled_from(["http", "https"]),
            st.booleans(),
            st.sampled_from(["", "www"]),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_app_context_adapters_are_werkzeugs(
    cases: list[tuple[str, str | None, str, bool, str]],
) -> None:
    app = Router("adapters")
    for server_name, root, scheme, host_matching, default_subdomain in cases:
        app.config.update(
            SERVER_NAME=server_name,
            APPLICATION_ROOT=root,
            PREFERRED_URL_SCHEME=scheme,
        )
        app.url_map.host_matching = host_matching
        app.url_map.default_subdomain = default_subdomain
        expected = outcome(
            app.url_map.bind, server_name, url_scheme=scheme, script_name=root
        )
        for _ in range(2):
            assert outcome(app.create_url_adapter, None) == expected


def environ(base_url: str = "http://localhost", **kwargs: t.Any) -> dict[str, t.Any]:
    return EnvironBuilder(base_url=base_url, **kwargs).get_environ()


def test_adapter_matches_and_builds_like_werkzeugs(app: Router) -> None:
    app.add_url_rule("/users/<int:id>", "user", methods=["GET", "POST"])
    env = environ("https://Example.test:8443/app", path="/users/3", query_string="x=1")
    reference = app.url_map.bind_to_environ(env, subdomain="")
    for _ in range(2):
        adapter = app.create_url_adapter(Request(env))
        assert adapter is not None
        assert adapter.match() == reference.match() == ("user", {"id": 3})
        assert adapter.allowed_methods() == reference.allowed_methods()
        assert (
            adapter.build("user", {"id": 4}, force_external=True)
            == reference.build("user", {"id": 4}, force_external=True)
            == "https://example.test:8443/app/users/4"
        )


def test_websocket_upgrade_switches_the_scheme(app: Router) -> None:
    assert app.create_url_adapter(Request(environ())) is not None
    headers = {"Connection": "keep-alive, Upgrade", "Upgrade": "websocket"}
    for base_url, scheme in (("http://localhost", "ws"), ("https://localhost", "wss")):
        adapter = app.create_url_adapter(Request(environ(base_url, headers=headers)))
        assert adapter is not None
        assert (adapter.url_scheme, adapter.websocket) == (scheme, True)


def test_trusted_hosts_apply_to_hosts_seen_before(app: Router) -> None:
    env = environ("http://known.test")
    assert app.create_url_adapter(Request(env)) is not None
    app.config["TRUSTED_HOSTS"] = ["other.test"]
    with pytest.raises(SecurityError):
        app.create_url_adapter(Request(env))


def test_a_bad_host_fails_every_request(app: Router) -> None:
    app.get("/")(lambda: "")
    client = Client(app)
    # A valid Host header that IDNA refuses: an empty label.
    headers = {"Host": "a..b"}
    for _ in range(2):
        with pytest.raises(BadHost):
            app.create_url_adapter(Request(environ(headers=headers)))
        assert client.get("/", headers=headers).status_code == 400


def test_a_host_outside_server_name_warns_every_request(make_app: t.Any) -> None:
    app = make_app(subdomain_matching=True, config={"SERVER_NAME": "dev.test"})
    for _ in range(2):
        with pytest.warns(UserWarning, match="doesn't match configured server name"):
            adapter = app.create_url_adapter(Request(environ("http://other.test")))
        assert adapter is not None
        assert adapter.subdomain == "<invalid>"


def test_server_name_changes_apply_at_once(make_app: t.Any) -> None:
    app = make_app(subdomain_matching=True, config={"SERVER_NAME": "dev.test"})
    env = environ("http://api.dev.test")
    assert app.create_url_adapter(Request(env)).subdomain == "api"  # type: ignore[union-attr]
    app.config["SERVER_NAME"] = "api.dev.test"
    assert app.create_url_adapter(Request(env)).subdomain == ""  # type: ignore[union-attr]
    assert app.create_url_adapter(None).server_name == "api.dev.test"  # type: ignore[union-attr]


def test_a_map_class_binding_itself_is_asked(make_app: t.Any) -> None:
    calls: list[str] = []

    class RecordingMap(Map):
        def bind_to_environ(self, *args: t.Any, **kwargs: t.Any) -> MapAdapter:
            calls.append("bind_to_environ")
            return super().bind_to_environ(*args, **kwargs)

        def bind(self, *args: t.Any, **kwargs: t.Any) -> MapAdapter:
            calls.append("bind")
            return super().bind(*args, **kwargs)

    class RecordingRouter(Router):
        url_map_class = RecordingMap

    app = RecordingRouter("adapters", config={"SERVER_NAME": "example.test"})
    for _ in range(2):
        app.create_url_adapter(Request(environ("http://example.test")))
        app.create_url_adapter(None)
    # werkzeug's bind_to_environ calls Map.bind directly, not the override.
    assert calls == ["bind_to_environ", "bind"] * 2


def test_remembered_hosts_are_bounded(app: Router) -> None:
    for i in range(1000):
        app.create_url_adapter(Request(environ(f"http://h{i}.test")))
    remembered = vars(app)["_bound_hosts"]
    assert 0 < len(remembered) <= 256
