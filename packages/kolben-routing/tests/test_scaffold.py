"""Registering views and error handlers on an app: route, add_url_rule, endpoint,
the setup guard, and the errors Flask gives for bad registrations.
"""

from __future__ import annotations

import os
import pathlib
import sys
import typing as t

import pytest
from werkzeug.exceptions import Forbidden
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound
from werkzeug.routing import Rule
from werkzeug.routing import Submount
from werkzeug.test import Client

from kolben.routing import get_root_path
from kolben.routing import Router


def allowed(response: t.Any) -> list[str]:
    return sorted(response.allow)


def test_endpoint_defaults_to_function_name(app: Router, client: Client) -> None:
    @app.route("/")
    def index() -> str:
        return "index"

    @app.route("/named", endpoint="custom")
    def other() -> str:
        return "custom"

    assert app.view_functions == {"index": index, "custom": other}
    assert client.get("/").text == "index"
    assert client.get("/named").text == "custom"
    assert [r.endpoint for r in app.url_map.iter_rules()] == ["index", "custom"]


def test_add_url_rule_positional_arguments(app: Router, client: Client) -> None:
    def view() -> str:
        return "positional"

    app.add_url_rule("/p", "pos", view)
    assert client.get("/p").text == "positional"
    assert app.view_functions["pos"] is view


def test_default_methods_and_automatic_options(app: Router, client: Client) -> None:
    @app.route("/", methods=["GET", "POST"])
    def index() -> str:
        return "x"

    rv = client.open("/", method="OPTIONS")
    assert rv.status_code == 200
    assert allowed(rv) == ["GET", "HEAD", "OPTIONS", "POST"]
    assert rv.data == b""
    rv = client.put("/")
    assert rv.status_code == 405
    assert allowed(rv) == ["GET", "HEAD", "OPTIONS", "POST"]


def test_options_cover_all_rules_of_a_path(app: Router, client: Client) -> None:
    app.add_url_rule("/", "a", lambda: "a", methods=["GET", "POST"])
    app.add_url_rule("/", "b", lambda: "b", methods=["PUT"])
    rv = client.open("/", method="OPTIONS")
    assert allowed(rv) == ["GET", "HEAD", "OPTIONS", "POST", "PUT"]


def test_head_follows_get(app: Router, client: Client) -> None:
    app.add_url_rule("/", "index", lambda: "body")
    rv = client.head("/")
    assert rv.status_code == 200
    assert rv.data == b""
    assert client.post("/").status_code == 405


@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "patch"])
def test_method_shortcuts(app: Router, client: Client, method: str) -> None:
    @getattr(app, method)("/")
    def hello() -> str:
        return "Hello"

    assert getattr(client, method)("/").text == "Hello"
    rule = next(app.url_map.iter_rules())
    assert method.upper() in rule.methods


def test_method_shortcut_rejects_methods(app: Router) -> None:
    with pytest.raises(TypeError, match="Use the 'route' decorator"):
        app.get("/", methods=["GET", "POST"])


def test_methods_must_not_be_a_string(app: Router) -> None:
    with pytest.raises(TypeError, match="list of strings"):
        app.add_url_rule("/", methods="GET POST", endpoint="test")


def test_lowercase_options_disables_automatic_options(
    app: Router, client: Client
) -> None:
    app.add_url_rule("/options", "options", lambda: "mine", methods=["options"])
    rv = client.open("/options", method="OPTIONS")
    assert rv.status_code == 200
    assert rv.text == "mine"


def test_provide_automatic_options_argument(app: Router, client: Client) -> None:
    app.add_url_rule("/", "index", lambda: "x", provide_automatic_options=False)
    app.add_url_rule(
        "/more",
        "more",
        lambda: "y",
        methods=["GET", "POST"],
        provide_automatic_options=False,
    )
    assert client.open("/", method="OPTIONS").status_code == 405
    rv = client.post("/")
    assert rv.status_code == 405
    assert allowed(rv) == ["GET", "HEAD"]
    assert client.open("/more", method="OPTIONS").status_code == 405
    assert allowed(client.delete("/more")) == ["GET", "HEAD", "POST"]


def test_provide_automatic_options_attribute(make_app: t.Any) -> None:
    app = make_app()

    def index() -> str:
        return "x"

    index.provide_automatic_options = False  # type: ignore[attr-defined]
    app.route("/")(index)
    assert Client(app).open("/", method="OPTIONS").status_code == 405

    app = make_app()

    def index2() -> str:
        return "explicit"

    index2.provide_automatic_options = True  # type: ignore[attr-defined]
    app.route("/", methods=["OPTIONS"])(index2)
    rv = Client(app).open("/", method="OPTIONS")
    assert allowed(rv) == ["OPTIONS"]
    assert rv.text == ""


def test_provide_automatic_options_config(make_app: t.Any) -> None:
    app = make_app(config={"PROVIDE_AUTOMATIC_OPTIONS": False})
    app.add_url_rule("/", "index", lambda: "x")
    rv = Client(app).open("/", method="OPTIONS")
    assert rv.status_code == 405
    assert allowed(rv) == ["GET", "HEAD"]


def test_required_methods_are_added(app: Router, client: Client) -> None:
    def view() -> str:
        return "x"

    view.required_methods = ["POST"]  # type: ignore[attr-defined]
    app.add_url_rule("/", "index", view)
    assert client.post("/").text == "x"
    assert client.get("/").text == "x"


def test_view_methods_attribute_is_the_default(app: Router, client: Client) -> None:
    def view() -> str:
        return "x"

    view.methods = ["PUT"]  # type: ignore[attr-defined]
    app.add_url_rule("/", "index", view)
    assert client.put("/").text == "x"
    assert client.get("/").status_code == 405


def test_rule_options_reach_werkzeug(app: Router, client: Client) -> None:
    def page(n: int) -> str:
        return str(n)

    app.add_url_rule("/page/", "page", page, defaults={"n": 1})
    app.add_url_rule("/page/<int:n>", "page", page)
    app.add_url_rule("/strict/", "strict", lambda: "s", strict_slashes=False)
    app.add_url_rule("/old", "old", redirect_to="/page/")
    app.add_url_rule("/a/b", "ab", lambda: "ab", merge_slashes=False)
    assert client.get("/page/").text == "1"
    assert client.get("/page/7").text == "7"
    assert client.get("/strict").text == "s"
    rv = client.get("/old")
    assert rv.status_code == 308
    assert rv.headers["Location"].endswith("/page/")
    assert client.get("/a//b").status_code == 404


def test_view_less_rule_with_endpoint_decorator(app: Router, client: Client) -> None:
    app.url_map.add(
        Submount("/foo", [Rule("/bar", endpoint="bar"), Rule("/", endpoint="index")])
    )

    @app.endpoint("bar")
    def bar() -> str:
        return "bar"

    app.view_functions["index"] = lambda: "index"
    app.add_url_rule("/late", endpoint="late")
    app.endpoint("late")(lambda: "late")
    assert client.get("/foo/bar").text == "bar"
    assert client.get("/foo/").text == "index"
    assert client.get("/late").text == "late"


def test_two_functions_for_one_endpoint_is_an_error(app: Router) -> None:
    def first() -> str:
        return "1"

    def second() -> str:
        return "2"

    app.add_url_rule("/", "index", first)
    app.add_url_rule("/again", "index", first)
    with pytest.raises(AssertionError, match="existing endpoint function: index"):
        app.add_url_rule("/other", "index", second)


def test_same_bound_method_for_several_rules(app: Router, client: Client) -> None:
    class Pages:
        def __init__(self, app: Router) -> None:
            app.add_url_rule("/", "index", self.index)
            app.add_url_rule("/<test>/", "index", self.index)

        def index(self, test: str = "a") -> str:
            return test

    Pages(app)
    assert client.get("/").text == "a"
    assert client.get("/b/").text == "b"


def test_missing_view_and_endpoint(app: Router) -> None:
    with pytest.raises(AssertionError, match="expected view func"):
        app.add_url_rule("/")


def test_setup_after_first_request_is_refused(app: Router, client: Client) -> None:
    app.add_url_rule("/", "index", lambda: "x")
    assert client.get("/").text == "x"
    with pytest.raises(AssertionError) as exc_info:
        app.add_url_rule("/foo", endpoint="late")
    message = str(exc_info.value)
    assert "setup method 'add_url_rule'" in message
    assert "already handled its first request" in message
    for register in (
        lambda: app.before_request(lambda: None),
        lambda: app.errorhandler(404)(lambda e: e),
        lambda: app.teardown_appcontext(lambda e: None),
    ):
        with pytest.raises(AssertionError, match="can no longer be called"):
            register()
    # Decorators that only read are still fine.
    assert app.url_map is not None


def test_errorhandler_registration_errors(app: Router) -> None:
    class CustomException(Exception):
        pass

    with pytest.raises(TypeError) as exc_info:
        app.register_error_handler(CustomException(), lambda e: e)  # type: ignore[arg-type]
    assert "CustomException() is an instance, not a class." in str(exc_info.value)

    with pytest.raises(ValueError) as exc_info2:
        app.register_error_handler(list, lambda e: e)  # type: ignore[arg-type]
    assert "'list' is not a subclass of Exception." in str(exc_info2.value)

    with pytest.raises(ValueError) as exc_info3:
        app.register_error_handler(999, lambda e: e)
    assert "Use a subclass of HTTPException" in str(exc_info3.value)
    assert "'999' is not a recognized HTTP error code." in str(exc_info3.value)


def test_errorhandler_registry_shape(app: Router) -> None:
    class Custom(Exception):
        pass

    def h404(e: Exception) -> str:
        return "404"

    def hforbidden(e: Exception) -> str:
        return "403"

    def hcustom(e: Exception) -> str:
        return "custom"

    app.errorhandler(404)(h404)
    app.errorhandler(Forbidden)(hforbidden)
    app.register_error_handler(Custom, hcustom)
    spec = app.error_handler_spec
    assert spec[None][404] == {NotFound: h404}
    assert spec[None][403] == {Forbidden: hforbidden}
    assert spec[None][None] == {Custom: hcustom}
    assert app._get_exc_class_and_code(500)[1] == 500
    assert app._get_exc_class_and_code(HTTPException) == (HTTPException, None)
    assert app._get_exc_class_and_code(KeyError) == (KeyError, None)


def test_hook_registries_start_empty_and_fill(app: Router) -> None:
    def before() -> None:
        return None

    def after(response: t.Any) -> t.Any:
        return response

    def teardown(exc: BaseException | None) -> None:
        return None

    def context() -> dict[str, t.Any]:
        return {}

    def values(endpoint: str | None, values: t.Any) -> None:
        return None

    def defaults(endpoint: str, values: dict[str, t.Any]) -> None:
        return None

    assert app.before_request(before) is before
    assert app.after_request(after) is after
    assert app.teardown_request(teardown) is teardown
    assert app.context_processor(context) is context
    assert app.url_value_preprocessor(values) is values
    assert app.url_defaults(defaults) is defaults
    assert app.before_request_funcs == {None: [before]}
    assert app.after_request_funcs == {None: [after]}
    assert app.teardown_request_funcs == {None: [teardown]}
    assert app.template_context_processors == {None: [context]}
    assert app.url_value_preprocessors == {None: [values]}
    assert app.url_default_functions == {None: [defaults]}


def test_static_route(static_root: pathlib.Path) -> None:
    app = Router("routing_tests", static_folder="static", root_path=str(static_root))
    assert app.static_folder == os.path.join(str(static_root), "static")
    assert app.has_static_folder
    assert app.static_url_path == "/static"
    rv = Client(app).get("/static/hello.txt")
    assert rv.status_code == 200
    assert rv.text == "hello static"
    rv.close()
    assert "static" in app.view_functions


@pytest.mark.parametrize(
    ("folder", "url_path", "rule", "url"),
    [
        ("assets", None, "/assets/<path:filename>", "/assets/logo.txt"),
        ("assets/", None, "/assets/<path:filename>", "/assets/logo.txt"),
        (pathlib.Path("assets"), None, "/assets/<path:filename>", "/assets/logo.txt"),
        ("assets", "/files/", "/files/<path:filename>", "/files/logo.txt"),
        ("assets", "", "/<path:filename>", "/logo.txt"),
        ("", None, "/<path:filename>", "/assets/logo.txt"),
    ],
)
def test_static_folder_and_url_path(
    static_root: pathlib.Path, folder: t.Any, url_path: str | None, rule: str, url: str
) -> None:
    app = Router(
        "routing_tests",
        static_folder=folder,
        static_url_path=url_path,
        root_path=str(static_root),
    )
    assert [r.rule for r in app.url_map.iter_rules()] == [rule]
    rv = Client(app).get(url)
    assert rv.text == "logo"
    rv.close()


def test_no_static_folder_no_route() -> None:
    app = Router("routing_tests")
    assert app.static_folder is None
    assert not app.has_static_folder
    assert app.static_url_path is None
    assert list(app.url_map.iter_rules()) == []


def test_static_host_requires_host_matching(static_root: pathlib.Path) -> None:
    with pytest.raises(AssertionError, match="static_host/host_matching"):
        Router("x", static_folder="static", static_host="example.com")
    with pytest.raises(AssertionError, match="static_host/host_matching"):
        Router("x", static_folder="static", host_matching=True)
    Router("x", host_matching=True)
    app = Router(
        "x",
        static_folder="static",
        host_matching=True,
        static_host="example.com",
        root_path=str(static_root),
    )
    assert app.host_matching
    assert app.static_host == "example.com"
    rv = Client(app).get("/static/hello.txt", base_url="http://example.com")
    assert rv.text == "hello static"
    rv.close()
    other = Client(app).get("/static/hello.txt", base_url="http://other.com")
    assert other.status_code == 404


def test_repr_names_the_app(app: Router) -> None:
    assert repr(app) == "<Router 'routing_tests'>"


def test_get_root_path_of_an_imported_module() -> None:
    assert get_root_path("pytest") == os.path.dirname(
        os.path.abspath(sys.modules["pytest"].__file__ or "")
    )


def test_get_root_path_of_an_unimported_module(tmp_path: pathlib.Path) -> None:
    package = tmp_path / "unimported_pkg_for_root"
    package.mkdir()
    (package / "__init__.py").write_text("")
    sys.path.insert(0, str(tmp_path))
    try:
        assert get_root_path("unimported_pkg_for_root") == str(package)
        assert "unimported_pkg_for_root" not in sys.modules
    finally:
        sys.path.remove(str(tmp_path))


def test_get_root_path_falls_back_to_cwd(tmp_path: pathlib.Path) -> None:
    assert get_root_path("no_such_module_anywhere_kolben") == os.getcwd()
    # An unimported namespace package has no file to go by either.
    (tmp_path / "kolben_ns_unimported").mkdir()
    sys.path.insert(0, str(tmp_path))
    try:
        assert get_root_path("kolben_ns_unimported") == os.getcwd()
    finally:
        sys.path.remove(str(tmp_path))


def test_get_root_path_of_an_imported_namespace_package(
    tmp_path: pathlib.Path,
) -> None:
    (tmp_path / "kolben_ns_probe").mkdir()
    sys.path.insert(0, str(tmp_path))
    try:
        __import__("kolben_ns_probe")
        with pytest.raises(RuntimeError, match="root_path"):
            get_root_path("kolben_ns_probe")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("kolben_ns_probe", None)


def test_root_path_defaults_from_import_name() -> None:
    app = Router("pytest")
    assert app.root_path == get_root_path("pytest")
    assert app.import_name == "pytest"
