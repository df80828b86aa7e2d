"""URL building and URL adapters: url_for inside and outside requests, server
names, subdomains, hosts and trusted hosts.
"""

from __future__ import annotations

import typing as t
import warnings
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.exceptions import SecurityError
from werkzeug.routing import BaseConverter
from werkzeug.routing import BuildError
from werkzeug.test import Client
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from kolben.contexts import g
from kolben.contexts import request
from kolben.routing import Blueprint
from kolben.routing import MethodView
from kolben.routing import Router
from kolben.routing import url_for


def environ(path: str = "/", **kwargs: t.Any) -> t.Any:
    return EnvironBuilder(path=path, **kwargs).get_environ()


@pytest.fixture
def req_ctx(app: Router) -> t.Iterator[t.Any]:
    with app.request_context(environ()) as ctx:
        yield ctx


def test_url_generation(app: Router, req_ctx: t.Any) -> None:
    app.add_url_rule("/hello/<name>", "hello", methods=["POST"])
    assert url_for("hello", name="test x") == "/hello/test%20x"
    assert (
        url_for("hello", name="test x", _external=True)
        == "http://localhost/hello/test%20x"
    )
    assert url_for("hello", name="a", page=2, q="x y") == "/hello/a?page=2&q=x+y"


def test_anchor(app: Router, req_ctx: t.Any) -> None:
    app.add_url_rule("/", "index")
    assert url_for("index", _anchor="x y") == "/#x%20y"
    assert url_for("index", _anchor="a/b?c=%20") == "/#a/b?c=%20"


def test_scheme(app: Router, req_ctx: t.Any) -> None:
    app.add_url_rule("/", "index")
    assert url_for("index", _external=True, _scheme="https") == "https://localhost/"
    # A scheme alone implies an external URL.
    assert url_for("index", _scheme="https") == "https://localhost/"
    with pytest.raises(ValueError, match="'_external' must be True"):
        url_for("index", _scheme="https", _external=False)
    assert url_for("index", _external=True) == "http://localhost/"


def test_method_picks_the_rule(app: Router, req_ctx: t.Any) -> None:
    class Items(MethodView):
        def get(self, id: int | None = None) -> str:
            return "x"

        def post(self) -> str:
            return "y"

    view = Items.as_view("items")
    app.add_url_rule("/items/", methods=["GET"], view_func=view)
    app.add_url_rule("/items/<int:id>", methods=["GET"], view_func=view)
    app.add_url_rule("/items/create", methods=["POST"], view_func=view)
    assert url_for("items", _method="GET") == "/items/"
    assert url_for("items", id=42, _method="GET") == "/items/42"
    assert url_for("items", _method="POST") == "/items/create"


def test_self_is_an_ordinary_value(app: Router, req_ctx: t.Any) -> None:
    app.add_url_rule("/<self>", "index")
    assert url_for("index", self="2") == "/2"
    assert app.url_for("index", self="3") == "/3"


def test_custom_converter(app: Router, client: Client) -> None:
    class ListConverter(BaseConverter):
        def to_python(self, value: str) -> list[str]:
            return value.split(",")

        def to_url(self, value: t.Any) -> str:
            return ",".join(super(ListConverter, self).to_url(x) for x in value)

    app.url_map.converters["list"] = ListConverter
    app.route("/<list:args>")(lambda args: "|".join(args))
    assert client.get("/1,2,3").text == "1|2|3"
    with app.request_context(environ()):
        assert url_for("<lambda>", args=[4, 5, 6]) == "/4,5,6"


def test_relative_endpoints(app: Router, client: Client) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/bp")
    bp.route("/")(lambda: url_for(".page"))
    bp.add_url_rule("/page", "page", lambda: url_for("index"))
    app.add_url_rule("/", "index", lambda: url_for(".index"))
    app.add_url_rule("/page", "page", lambda: "")
    app.register_blueprint(bp)
    assert client.get("/bp/").text == "/bp/page"
    assert client.get("/bp/page").text == "/"
    # Outside a blueprint a leading dot is dropped.
    assert client.get("/").text == "/"


def test_dotted_names_from_the_app(app: Router, client: Client) -> None:
    test = Blueprint("test", __name__)
    app.add_url_rule("/", "app_index", lambda: url_for("test.index"))
    test.add_url_rule("/test/", "index", lambda: url_for("app_index"))
    app.register_blueprint(test)
    assert client.get("/").text == "/test/"
    assert client.get("/test/").text == "/"


def test_url_defaults_and_preprocessors(app: Router, client: Client) -> None:
    @app.url_defaults
    def add_language_code(endpoint: str, values: dict[str, t.Any]) -> None:
        if g.lang_code is not None and app.url_map.is_endpoint_expecting(
            endpoint, "lang_code"
        ):
            values.setdefault("lang_code", g.lang_code)

    @app.url_value_preprocessor
    def pull_lang_code(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        assert values is not None
        g.lang_code = values.pop("lang_code", None)

    app.route("/<lang_code>/")(lambda: url_for("about"))
    app.add_url_rule("/<lang_code>/about", "about", lambda: url_for("other"))
    app.add_url_rule("/foo", "other", lambda: url_for("about", lang_code="en"))
    assert client.get("/de/").text == "/de/about"
    assert client.get("/de/about").text == "/foo"
    assert client.get("/foo").text == "/en/about"


def test_inject_blueprint_url_defaults(app: Router) -> None:
    bp = Blueprint("foo", __name__)

    @bp.url_defaults
    def bp_defaults(endpoint: str, values: dict[str, t.Any]) -> None:
        values["page"] = "login"

    bp.add_url_rule("/<page>", "view")
    app.register_blueprint(bp)
    values: dict[str, t.Any] = {}
    app.inject_url_defaults("foo.view", values)
    assert values == {"page": "login"}
    # Only the endpoint's blueprints apply, not the current request's.
    other: dict[str, t.Any] = {}
    app.inject_url_defaults("view", other)
    assert other == {}
    with app.request_context(environ("/somepage")):
        assert url_for("foo.view") == "/login"


def test_url_defaults_added_later_apply(app: Router) -> None:
    app.add_url_rule("/<page>", "view")
    bp = Blueprint("bp", __name__)
    bp.add_url_rule("/bp/<page>", "view")
    app.register_blueprint(bp)
    with app.request_context(environ()):
        assert url_for("view", page="a") == "/a"
        assert url_for("bp.view", page="a") == "/bp/a"
        # Registered through the decorator, and by changing the dict directly.
        app.url_defaults(lambda endpoint, values: values.update(page="app"))
        assert url_for("view", page="a") == "/app"
        app.url_default_functions.setdefault("bp", []).append(
            lambda endpoint, values: values.update(page="bp")
        )
        assert url_for("bp.view") == "/bp/bp"
        assert url_for("view") == "/app"
        app.url_default_functions.clear()
        assert url_for("bp.view", page="a") == "/bp/a"


def test_url_defaults_replaced_on_the_app_are_called(app: Router) -> None:
    app.add_url_rule("/<page>", "view")
    with app.request_context(environ()):
        assert url_for("view", page="a") == "/a"
        app.inject_url_defaults = lambda endpoint, values: values.update(page="b")  # type: ignore[method-assign]
        assert url_for("view", page="a") == "/b"


def test_overridden_url_building_is_called(make_app: t.Any) -> None:
    calls: list[t.Any] = []

    class CustomRouter(Router):
        def url_for(self, /, endpoint: str, **values: t.Any) -> str:  # type: ignore[override]
            calls.append((endpoint, values))
            return super().url_for(endpoint, **values)

        def inject_url_defaults(self, endpoint: str, values: dict[str, t.Any]) -> None:
            values.setdefault("page", "custom")

    app = CustomRouter("custom")
    app.add_url_rule("/<page>", "view")
    with app.request_context(environ()):
        assert url_for("view", q=1) == "/custom?q=1"
    assert calls == [
        (
            "view",
            {
                "_external": None,
                "_anchor": None,
                "_scheme": None,
                "_method": None,
                "q": 1,
            },
        )
    ]


def test_build_error(app: Router) -> None:
    with app.request_context(environ()):
        with pytest.raises(BuildError):
            url_for("spam")
    with app.request_context(environ()):
        try:
            url_for("spam")
        except BuildError as err:
            error = err
    # Outside its except block, the given error is raised.
    try:
        raise RuntimeError("not the build error")
    except RuntimeError:
        with pytest.raises(BuildError) as exc_info:
            app.handle_url_build_error(error, "spam", {})
        assert exc_info.value is error


def test_build_error_handlers(app: Router) -> None:
    calls: list[tuple[str, dict[str, t.Any]]] = []

    def declines(error: BuildError, endpoint: str, values: dict[str, t.Any]) -> None:
        calls.append((endpoint, dict(values)))

    def handles(error: BuildError, endpoint: str, values: dict[str, t.Any]) -> str:
        return "/handled/"

    app.url_build_error_handlers.append(declines)
    app.url_build_error_handlers.append(handles)
    with app.request_context(environ()):
        assert url_for("spam", x=1) == "/handled/"
    assert calls == [
        (
            "spam",
            {
                "x": 1,
                "_anchor": None,
                "_method": None,
                "_scheme": None,
                "_external": False,
            },
        )
    ]


def test_build_error_handler_may_reraise(app: Router) -> None:
    def reraise(error: BuildError, endpoint: str, values: dict[str, t.Any]) -> str:
        raise error

    app.url_build_error_handlers.append(reraise)
    with app.request_context(environ()):
        with pytest.raises(BuildError):
            url_for("not.existing")


def test_app_context_needs_server_name(app: Router) -> None:
    app.add_url_rule("/", "index")
    with app.app_context():
        with pytest.raises(RuntimeError, match="'SERVER_NAME' configured"):
            url_for("index")
    with pytest.raises(RuntimeError, match="'SERVER_NAME' configured"):
        app.url_for("index")


def test_outside_any_context() -> None:
    with pytest.raises(RuntimeError, match="application context"):
        url_for("index")


def test_app_context_with_server_name(app: Router) -> None:
    app.config.update(
        SERVER_NAME="example.test:8080",
        APPLICATION_ROOT="/root",
        PREFERRED_URL_SCHEME="https",
    )
    app.add_url_rule("/", "index")
    with app.app_context():
        assert url_for("index") == "https://example.test:8080/root/"
        assert url_for("index", _external=False) == "/root/"
        assert url_for("index", _scheme="http") == "http://example.test:8080/root/"
    # Called directly, the app binds an adapter itself.
    assert app.url_for("index") == "https://example.test:8080/root/"


def test_request_script_root(app: Router) -> None:
    app.add_url_rule("/", "index")
    with app.request_context(environ("/", base_url="http://localhost/app")):
        assert url_for("index") == "/app/"
        assert url_for("index", _external=True) == "http://localhost/app/"


def test_subdomains_in_urls(make_app: t.Any) -> None:
    app = make_app(
        subdomain_matching=True, config={"SERVER_NAME": "localhost.localdomain:5000"}
    )
    app.add_url_rule("/", "index")
    app.add_url_rule("/", "sub", subdomain="foo")
    app.add_url_rule("/u", "user", subdomain="<user>")
    with app.request_context(
        environ("/", base_url="http://localhost.localdomain:5000")
    ):
        assert url_for("index", _external=True) == "http://localhost.localdomain:5000/"
        assert url_for("sub") == "http://foo.localhost.localdomain:5000/"
    with app.app_context():
        assert url_for("user", user="xxx") == "http://xxx.localhost.localdomain:5000/u"


def test_subdomain_matching(make_app: t.Any) -> None:
    app = make_app(subdomain_matching=True, config={"SERVER_NAME": "dev.local:5000"})
    app.route("/")(lambda: "default")
    app.add_url_rule("/", "sub", lambda: "subdomain", subdomain="foo")
    app.add_url_rule("/u", "user", lambda user: f"index for {user}", subdomain="<user>")
    client = Client(app)
    assert client.get("/", "http://dev.local:5000").text == "default"
    assert client.get("/", "https://dev.local:5000").text == "default"
    assert client.get("/", "http://foo.dev.local:5000").text == "subdomain"
    assert client.get("/u", "http://bob.dev.local:5000").text == "index for bob"
    app.config["SERVER_NAME"] = "dev.local"
    assert client.get("/", "https://dev.local").text == "default"
    app.config["SERVER_NAME"] = "dev.local:443"
    assert client.get("/", "https://dev.local").text == "default"


def test_unknown_host_warns_and_matches_nothing(make_app: t.Any) -> None:
    app = make_app(subdomain_matching=True, config={"SERVER_NAME": "dev.local:3000"})
    app.route("/")(lambda: "x")
    client = Client(app)
    with pytest.warns(UserWarning, match="Current server name '127.0.0.1:3000'") as w:
        assert client.get("/", "http://127.0.0.1:3000/").status_code == 404
    # Attributed to the module defining the app's class, for per-app filters.
    assert w[0].filename.endswith("router.py")
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", "Current server name", UserWarning, "kolben.routing.router"
        )
        assert client.get("/", "http://other.test:3000/").status_code == 404


def test_without_subdomain_matching_any_host_matches(make_app: t.Any) -> None:
    app = make_app(config={"SERVER_NAME": "localhost.localdomain:3000"})
    app.route("/")(lambda: ("", 204))
    client = Client(app)
    assert client.get("/", "http://127.0.0.1:3000/").status_code == 204
    assert client.get("/", "http://www.localhost.localdomain:3000/").status_code == 204


@pytest.mark.parametrize(
    ("subdomain_matching", "host_matching", "expect_base", "expect_abc", "expect_xyz"),
    [
        (False, False, "default", "default", "default"),
        (True, False, "default", "abc", "<invalid>"),
        (False, True, "default", "abc", "default"),
    ],
)
def test_server_name_matching(
    subdomain_matching: bool,
    host_matching: bool,
    expect_base: str,
    expect_abc: str,
    expect_xyz: str,
) -> None:
    app = Router(
        "x",
        subdomain_matching=subdomain_matching,
        host_matching=host_matching,
        config={"SERVER_NAME": "example.test"},
    )

    @app.route("/", defaults={"name": "default"}, host="<name>")
    @app.route("/", subdomain="<name>", host="<name>.example.test")
    def index(name: str) -> str:
        return name

    client = Client(app)
    assert client.get(base_url="http://example.test").text == expect_base
    assert client.get(base_url="http://abc.example.test").text == expect_abc
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert client.get(base_url="http://xyz.other.test").text == expect_xyz
    assert bool(caught) == subdomain_matching


def test_host_matching_builds_with_the_host(static_root: t.Any) -> None:
    app = Router(
        "x",
        host_matching=True,
        static_folder="static",
        static_host="example.com",
        root_path=str(static_root),
    )
    with app.request_context(environ()):
        assert (
            url_for("static", filename="index.html", _external=True)
            == "http://example.com/static/index.html"
        )


def test_trusted_hosts(app: Router, client: Client) -> None:
    app.config["TRUSTED_HOSTS"] = ["example.test", ".other.test"]
    app.get("/")(lambda: "")
    assert client.get(base_url="http://example.test").status_code == 200
    assert client.get(base_url="http://a.other.test").status_code == 200
    assert client.get(base_url="http://bad.test").status_code == 400


def test_trusted_hosts_from_the_request_class(app: Router) -> None:
    req = Request(environ(base_url="http://bad.test"))
    req.trusted_hosts = ["good.test"]
    with pytest.raises(SecurityError):
        app.create_url_adapter(req)
    ok = Request(environ(base_url="http://good.test"))
    ok.trusted_hosts = ["good.test"]
    assert app.create_url_adapter(ok) is not None
    assert ok.host == "good.test"


def test_adapter_without_request(app: Router) -> None:
    assert app.create_url_adapter(None) is None
    app.config["SERVER_NAME"] = "example.test"
    adapter = app.create_url_adapter(None)
    assert adapter is not None
    assert adapter.server_name == "example.test"
    assert adapter.script_name == "/"
    assert adapter.url_scheme == "http"


def test_routing_and_building_inside_the_request(app: Router, client: Client) -> None:
    @app.route("/meh")
    def meh() -> str:
        return f"{request.url} {url_for('meh', _external=True)}"

    assert client.get("/meh").text == "http://localhost/meh http://localhost/meh"


path_values = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="/"),
    min_size=1,
    max_size=20,
)


@given(path_values, st.integers(min_value=0, max_value=10**9))
def test_built_urls_route_back_to_the_endpoint(name: str, number: int) -> None:
    app = Router("roundtrip")
    app.add_url_rule("/users/<name>/<int:number>", "user")
    bp = Blueprint("bp", __name__, url_prefix="/bp")
    bp.add_url_rule("/<path:rest>", "deep")
    app.register_blueprint(bp)
    with app.request_context(environ()) as ctx:
        # A server hands the application the percent-decoded path.
        url = unquote(url_for("user", name=name, number=number))
        endpoint, values = ctx.url_adapter.match(url)
        assert (endpoint, values) == ("user", {"name": name, "number": number})
        url = unquote(url_for("bp.deep", rest=f"{name}/x"))
        assert ctx.url_adapter.match(url) == ("bp.deep", {"rest": f"{name}/x"})


def _outcome(build: t.Callable[..., str], *args: t.Any, **kwargs: t.Any) -> t.Any:
    try:
        return build(*args, **kwargs)
    except Exception as e:  # the same failure counts as the same outcome
        return type(e)


@given(
    values=st.dictionaries(
        st.sampled_from(["id", "name", "page", "q"]),
        st.one_of(st.none(), st.integers(0, 99), st.text(max_size=4)),
        max_size=4,
    ),
    method=st.sampled_from(["GET", "POST"]),
    root=st.sampled_from(["", "/root", "/root/"]),
)
def test_url_for_builds_what_werkzeug_builds(
    values: dict[str, t.Any], method: str, root: str
) -> None:
    app = Router("same")
    app.add_url_rule("/post/<int:id>", "post")
    app.add_url_rule("/user/<name>", "user")
    app.add_url_rule("/page/<int:page>", "paged", defaults={"q": "x"})
    app.add_url_rule("/create/<name>", "create", methods=["POST"])
    app.add_url_rule("/either/<int:id>", "either")
    app.add_url_rule("/either/<name>", "either")
    app.add_url_rule("/added", "added")
    environ_ = environ("/", method=method, base_url=f"http://localhost{root}")
    with app.request_context(environ_) as ctx:
        # A rule added after the adapter was bound is built like the others.
        app.add_url_rule("/late/<int:id>", "late")
        for endpoint in ("post", "user", "paged", "create", "either", "late"):
            expected = _outcome(ctx.url_adapter.build, endpoint, values)
            given_values = dict(values)
            assert _outcome(url_for, endpoint, **given_values) == expected
            assert given_values == values
