"""Blueprints: deferred registration, prefixes, subdomains, URL defaults,
renaming, nesting, app-wide hooks, record/record_once and the naming errors.
"""

from __future__ import annotations

import pathlib
import typing as t

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.exceptions import Forbidden
from werkzeug.test import Client
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response

from kolben.contexts import g
from kolben.contexts import request
from kolben.routing import Blueprint
from kolben.routing import BlueprintSetupState
from kolben.routing import Router
from kolben.routing import url_for


def endpoint() -> str:
    return t.cast(str, request.url_rule.endpoint)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("prefix", "rule", "url"),
    [
        ("", "/", "/"),
        ("/", "", "/"),
        ("/", "/", "/"),
        ("/foo", "", "/foo"),
        ("/foo/", "", "/foo/"),
        ("", "/bar", "/bar"),
        ("/foo/", "/bar", "/foo/bar"),
        ("/foo/", "bar", "/foo/bar"),
        ("/foo", "/bar", "/foo/bar"),
        ("/foo/", "//bar", "/foo/bar"),
        ("/foo//", "/bar", "/foo/bar"),
    ],
)
def test_prefix_and_rule_join(
    app: Router, client: Client, prefix: str, rule: str, url: str
) -> None:
    bp = Blueprint("test", __name__, url_prefix=prefix)
    bp.route(rule)(lambda: ("", 204))
    app.register_blueprint(bp)
    assert client.get(url).status_code == 204


segments = st.from_regex(r"[a-z]{1,6}", fullmatch=True)
slashes = st.sampled_from(["", "/", "//"])


@given(segments, segments, slashes, slashes)
def test_prefix_joins_with_exactly_one_slash(
    prefix: str, path: str, trail: str, rule_lead: str
) -> None:
    app = Router("prefixes")
    bp = Blueprint("bp", __name__, url_prefix=f"/{prefix}{trail}")
    bp.add_url_rule(f"{rule_lead}{path}", "view", lambda: "")
    app.register_blueprint(bp)
    (rule,) = app.url_map.iter_rules()
    assert rule.rule == f"/{prefix}/{path}"


def test_registration_options_override_blueprint_settings(
    app: Router, client: Client
) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/own", url_defaults={"x": 1})
    bp.route("/v")(lambda x: str(x))
    app.register_blueprint(bp, url_prefix="/given", url_defaults={"x": 2})
    assert client.get("/given/v").text == "2"
    assert client.get("/own/v").status_code == 404


def test_url_defaults_per_registration(app: Router, client: Client) -> None:
    bp = Blueprint("test", __name__)

    @bp.route("/foo", defaults={"baz": 42})
    def foo(bar: int, baz: int) -> str:
        return f"{bar}/{baz:d}"

    @bp.route("/bar")
    def bar(bar: int) -> str:
        return str(bar)

    app.register_blueprint(bp, url_prefix="/1", url_defaults={"bar": 23})
    app.register_blueprint(bp, name="test2", url_prefix="/2", url_defaults={"bar": 19})
    assert client.get("/1/foo").text == "23/42"
    assert client.get("/2/foo").text == "19/42"
    assert client.get("/1/bar").text == "23"
    assert client.get("/2/bar").text == "19"


def test_empty_url_defaults(app: Router, client: Client) -> None:
    bp = Blueprint("bp", __name__)

    @bp.route("/", defaults={"page": 1})
    @bp.route("/page/<int:page>")
    def something(page: int) -> str:
        return str(page)

    app.register_blueprint(bp)
    assert client.get("/").text == "1"
    assert client.get("/page/2").text == "2"


def test_endpoints_get_the_blueprint_name(app: Router, client: Client) -> None:
    bp = Blueprint("bp", __name__)
    bp.route("/foo")(lambda: endpoint())
    bp.route("/bar", endpoint="bar")(lambda: endpoint())
    bp.route("/bar/123", endpoint="123")(lambda: endpoint())

    @bp.route("/bar/foo")
    def bar_foo() -> str:
        return endpoint()

    app.register_blueprint(bp, url_prefix="/py")
    app.route("/")(lambda: endpoint())
    assert client.get("/").text == "<lambda>"
    assert client.get("/py/foo").text == "bp.<lambda>"
    assert client.get("/py/bar").text == "bp.bar"
    assert client.get("/py/bar/123").text == "bp.123"
    assert client.get("/py/bar/foo").text == "bp.bar_foo"


def test_dotted_endpoints_are_refused() -> None:
    bp = Blueprint("bp", __name__)
    with pytest.raises(ValueError, match="'endpoint' may not contain a dot"):
        bp.route("/", endpoint="a.b")(lambda: "")
    with pytest.raises(ValueError, match="'endpoint' may not contain a dot"):
        bp.add_url_rule("/", endpoint="a.b")

    def view() -> str:
        return ""

    view.__name__ = "a.b"
    with pytest.raises(ValueError, match="'view_func' name may not contain a dot"):
        bp.add_url_rule("/", view_func=view)


@pytest.mark.parametrize("name", ["", "app.ui"])
def test_invalid_names(name: str) -> None:
    with pytest.raises(ValueError, match="'name' may not"):
        Blueprint(name, __name__)


def test_endpoint_decorator_keeps_the_name(app: Router, client: Client) -> None:
    from werkzeug.routing import Rule

    app.url_map.add(Rule("/foo", endpoint="bar"))
    bp = Blueprint("bp", __name__)

    @bp.endpoint("bar")
    def foobar() -> str:
        return endpoint()

    app.register_blueprint(bp, url_prefix="/bp_prefix")
    assert client.get("/foo").text == "bar"
    assert client.get("/bp_prefix/bar").status_code == 404


def test_blueprint_error_handlers(app: Router, client: Client) -> None:
    frontend = Blueprint("frontend", __name__)
    backend = Blueprint("backend", __name__)
    sideend = Blueprint("sideend", __name__)

    def forbid() -> str:
        raise Forbidden()

    frontend.errorhandler(403)(lambda e: ("frontend says no", 403))
    frontend.route("/frontend-no")(forbid)
    backend.errorhandler(403)(lambda e: ("backend says no", 403))
    backend.route("/backend-no")(forbid)
    sideend.route("/what-is-a-sideend")(forbid)
    for bp in (frontend, backend, sideend):
        app.register_blueprint(bp)
    app.errorhandler(403)(lambda e: ("application itself says no", 403))

    assert client.get("/frontend-no").text == "frontend says no"
    assert client.get("/backend-no").text == "backend says no"
    assert client.get("/what-is-a-sideend").text == "application itself says no"


def test_blueprint_user_error_handlers(app: Router, client: Client) -> None:
    class DecoratorError(Exception):
        pass

    class FunctionError(Exception):
        pass

    blue = Blueprint("blue", __name__)
    blue.errorhandler(DecoratorError)(lambda e: "boom")
    blue.register_error_handler(FunctionError, lambda e: "bam")

    @blue.route("/decorator")
    def deco() -> str:
        raise DecoratorError()

    @blue.route("/function")
    def func() -> str:
        raise FunctionError()

    app.register_blueprint(blue)
    assert client.get("/decorator").text == "boom"
    assert client.get("/function").text == "bam"


def test_app_wide_variants(app: Router, client: Client) -> None:
    bp = Blueprint("bp", __name__)
    events: list[str] = []

    @bp.before_app_request
    def before() -> None:
        events.append("before")

    @bp.after_app_request
    def after(response: Response) -> Response:
        response.data += b"|after"
        events.append("after")
        return response

    @bp.teardown_app_request
    def teardown(exc: BaseException | None) -> None:
        events.append("teardown")

    @bp.app_errorhandler(403)
    def forbidden(e: Exception) -> tuple[str, int]:
        return "you shall not pass", 403

    @bp.app_url_defaults
    def add_lang(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang", g.lang)

    @bp.app_url_value_preprocessor
    def pull_lang(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        assert values is not None
        g.lang = values.pop("lang")

    @bp.app_context_processor
    def context() -> dict[str, int]:
        return {"answer": 42}

    app.register_blueprint(bp)

    @app.route("/<lang>/")
    def index() -> str:
        return url_for("about")

    @app.route("/<lang>/about")
    def about() -> str:
        raise Forbidden()

    assert events == []
    assert client.get("/de/").text == "/de/about|after"
    assert events == ["before", "after", "teardown"]
    assert client.get("/de/about").text == "you shall not pass|after"
    assert app.before_request_funcs == {None: [before]}
    assert app.after_request_funcs == {None: [after]}
    assert app.teardown_request_funcs == {None: [teardown]}
    assert app.url_default_functions == {None: [add_lang]}
    assert app.url_value_preprocessors == {None: [pull_lang]}
    assert app.template_context_processors == {None: [context]}
    assert app.template_context_processors_for(()) == (context,)


def test_blueprint_hooks_apply_to_its_requests_only(
    app: Router, client: Client
) -> None:
    bp = Blueprint("bp", __name__)
    events: list[str] = []
    bp.before_request(lambda: events.append("before"))
    bp.teardown_request(lambda exc: events.append("teardown"))

    @bp.after_request
    def after(response: Response) -> Response:
        events.append("after")
        return response

    bp.route("/bp")(lambda: "bp")
    app.route("/")(lambda: "app")
    app.register_blueprint(bp)

    client.get("/")
    assert events == []
    client.get("/bp")
    assert events == ["before", "after", "teardown"]


def test_blueprint_url_processors(app: Router, client: Client) -> None:
    bp = Blueprint("frontend", __name__, url_prefix="/<lang_code>")

    @bp.url_defaults
    def add_language_code(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang_code", g.lang_code)

    @bp.url_value_preprocessor
    def pull_lang_code(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        assert values is not None
        g.lang_code = values.pop("lang_code")

    @bp.route("/")
    def index() -> str:
        return url_for(".about")

    @bp.route("/about")
    def about() -> str:
        return url_for(".index")

    app.register_blueprint(bp)
    assert client.get("/de/").text == "/de/about"
    assert client.get("/de/about").text == "/de/"


def test_unique_names(app: Router) -> None:
    bp = Blueprint("bp", __name__)
    bp2 = Blueprint("bp", __name__)
    app.register_blueprint(bp)
    with pytest.raises(ValueError, match="already registered for this blueprint"):
        app.register_blueprint(bp)
    app.register_blueprint(bp, name="again")
    with pytest.raises(ValueError, match="for a different blueprint. Use 'name='"):
        app.register_blueprint(bp2)
    app.register_blueprint(bp2, name="alt")
    assert list(app.iter_blueprints()) == [bp, bp, bp2]
    assert list(app.blueprints) == ["bp", "again", "alt"]


def test_nested_duplicate_name_says_the_full_name(app: Router) -> None:
    parent = Blueprint("parent", __name__)
    parent.register_blueprint(Blueprint("child", __name__))
    parent.register_blueprint(Blueprint("child", __name__))
    with pytest.raises(ValueError, match="'child' is already .* 'parent.child'"):
        app.register_blueprint(parent)


def test_self_registration() -> None:
    bp = Blueprint("bp", __name__)
    with pytest.raises(ValueError, match="on itself"):
        bp.register_blueprint(bp)


def test_setup_after_registration_is_refused(app: Router) -> None:
    bp = Blueprint("bp", __name__)
    bp.route("/")(lambda: "")
    app.register_blueprint(bp)
    with pytest.raises(AssertionError) as exc_info:
        bp.route("/late")(lambda: "")
    message = str(exc_info.value)
    assert "setup method 'add_url_rule'" in message
    assert "blueprint 'bp'" in message
    with pytest.raises(AssertionError, match="setup method 'before_request'"):
        bp.before_request(lambda: None)
    # Registering it again under another name is fine.
    app.register_blueprint(bp, name="bp2", url_prefix="/2")


def test_nested_blueprints(app: Router, client: Client) -> None:
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__)
    grandchild = Blueprint("grandchild", __name__)

    def forbid() -> str:
        raise Forbidden()

    parent.errorhandler(403)(lambda e: ("Parent no", 403))
    parent.route("/")(lambda: "Parent yes")
    parent.route("/no")(forbid)
    child.route("/")(lambda: "Child yes")
    child.route("/no")(forbid)
    grandchild.errorhandler(403)(lambda e: ("Grandchild no", 403))
    grandchild.route("/")(lambda: endpoint())
    grandchild.route("/no")(forbid)

    child.register_blueprint(grandchild, url_prefix="/grandchild")
    parent.register_blueprint(child, url_prefix="/child")
    app.register_blueprint(parent, url_prefix="/parent")

    assert client.get("/parent/").text == "Parent yes"
    assert client.get("/parent/child/").text == "Child yes"
    assert (
        client.get("/parent/child/grandchild/").text
        == "parent.child.grandchild.<lambda>"
    )
    assert client.get("/parent/no").text == "Parent no"
    assert client.get("/parent/child/no").text == "Parent no"
    assert client.get("/parent/child/grandchild/no").text == "Grandchild no"
    assert list(app.blueprints) == ["parent", "parent.child", "parent.child.grandchild"]


@pytest.mark.parametrize(
    ("parent_init", "child_init", "parent_registration", "child_registration"),
    [
        ("/parent", "/child", None, None),
        ("/parent", None, None, "/child"),
        (None, None, "/parent", "/child"),
        ("/other", "/something", "/parent", "/child"),
    ],
)
def test_nested_url_prefixes(
    app: Router,
    client: Client,
    parent_init: str | None,
    child_init: str | None,
    parent_registration: str | None,
    child_registration: str | None,
) -> None:
    parent = Blueprint("parent", __name__, url_prefix=parent_init)
    child = Blueprint("child", __name__, url_prefix=child_init)
    child.route("/")(lambda: "index")
    parent.register_blueprint(child, url_prefix=child_registration)
    app.register_blueprint(parent, url_prefix=parent_registration)
    assert client.get("/parent/child/").status_code == 200


def test_nested_subdomains(make_app: t.Any) -> None:
    app = make_app(subdomain_matching=True, config={"SERVER_NAME": "example.test"})
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__)
    child.route("/child/")(lambda: "child")
    parent.register_blueprint(child)
    app.register_blueprint(parent, subdomain="api")
    client = Client(app)
    assert client.get("/child/", base_url="http://api.example.test").text == "child"
    assert client.get("/child/", base_url="http://example.test").status_code == 404


def test_child_and_parent_subdomains_combine(make_app: t.Any) -> None:
    app = make_app(subdomain_matching=True, config={"SERVER_NAME": "example.test"})
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__, subdomain="api")
    child.route("/")(lambda: "child")
    parent.register_blueprint(child)
    app.register_blueprint(parent, subdomain="parent")
    client = Client(app)
    rv = client.get("/", base_url="http://api.parent.example.test")
    assert rv.status_code == 200
    assert client.get("/", base_url="http://parent.example.test").status_code == 404


def test_renaming_with_nesting(app: Router, client: Client) -> None:
    bp = Blueprint("bp", __name__)
    bp2 = Blueprint("bp2", __name__)

    @bp.get("/")
    def index() -> str:
        return endpoint()

    @bp.get("/error")
    def error() -> str:
        raise Forbidden()

    bp.errorhandler(403)(lambda e: ("Error", 403))

    @bp2.get("/")
    def index2() -> str:
        return endpoint()

    bp.register_blueprint(bp2, url_prefix="/a", name="sub")
    app.register_blueprint(bp, url_prefix="/a")
    app.register_blueprint(bp, url_prefix="/b", name="alt")

    assert client.get("/a/").text == "bp.index"
    assert client.get("/b/").text == "alt.index"
    assert client.get("/a/a/").text == "bp.sub.index2"
    assert client.get("/b/a/").text == "alt.sub.index2"
    assert client.get("/a/error").text == "Error"
    assert client.get("/b/error").text == "Error"


def test_record_and_record_once(app: Router) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/p", subdomain="s")
    every: list[tuple[str, str | None, str | None, bool, t.Any]] = []
    once: list[str] = []

    def remember(state: BlueprintSetupState) -> None:
        every.append(
            (
                state.name,
                state.url_prefix,
                state.subdomain,
                state.first_registration,
                state.options.get("extra"),
            )
        )
        assert state.app is app
        assert state.blueprint is bp

    bp.record(remember)
    bp.record_once(lambda state: once.append(state.name))
    app.register_blueprint(bp, extra="x")
    app.register_blueprint(bp, name="again", url_prefix="/q")
    assert every == [("bp", "/p", "s", True, "x"), ("again", "/q", "s", False, None)]
    assert once == ["bp"]
    assert bp.deferred_functions[0] is remember


def test_setup_state_class_can_be_replaced(app: Router) -> None:
    class PrefixedState(BlueprintSetupState):
        def add_url_rule(self, rule: str, *args: t.Any, **kwargs: t.Any) -> None:
            super().add_url_rule("/v1" + rule, *args, **kwargs)

    class Versioned(Blueprint):
        def make_setup_state(
            self,
            app: t.Any,
            options: dict[str, t.Any],
            first_registration: bool = False,
        ) -> BlueprintSetupState:
            return PrefixedState(self, app, options, first_registration)

    bp = Versioned("api", __name__)
    bp.route("/users")(lambda: "")
    app.register_blueprint(bp)
    assert [r.rule for r in app.url_map.iter_rules()] == ["/v1/users"]


def test_blueprint_static_folder(static_root: pathlib.Path, app: Router) -> None:
    class FilesBlueprint(Blueprint):
        def send_static_file(self, filename: str) -> Response:
            assert self.static_folder is not None
            path = pathlib.Path(self.static_folder, filename)
            return Response(path.read_text())

    admin = FilesBlueprint(
        "admin",
        __name__,
        url_prefix="/admin",
        static_folder="static",
        root_path=str(static_root),
    )
    plain = Blueprint("plain", __name__, static_folder="static")
    assert plain.has_static_folder
    app.register_blueprint(admin)
    app.register_blueprint(plain)
    assert Client(app).get("/admin/static/hello.txt").text == "hello static"
    assert app.view_functions["admin.static"] == admin.send_static_file
    # Without a send_static_file of its own there is nothing to serve with.
    assert "plain.static" not in app.view_functions
    with app.request_context(EnvironBuilder().get_environ()):
        assert url_for("admin.static", filename="x.txt") == "/admin/static/x.txt"


def test_view_functions_are_recorded_not_stored(app: Router) -> None:
    bp = Blueprint("bp", __name__)
    bp.route("/")(lambda: "")
    assert bp.view_functions == {}
    assert list(app.url_map.iter_rules()) == []
    app.register_blueprint(bp)
    assert [r.endpoint for r in app.url_map.iter_rules()] == ["bp.<lambda>"]
