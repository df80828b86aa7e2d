"""Class-based views: View and MethodView."""

from __future__ import annotations

import typing as t

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from kolben.contexts import request
from kolben.routing import MethodView
from kolben.routing import Router
from kolben.routing import View


def check_get_post(app: Router) -> None:
    client = Client(app)
    assert client.get("/").text == "GET"
    assert client.post("/").text == "POST"
    assert client.put("/").status_code == 405
    allow = client.open("/", method="OPTIONS").allow
    assert sorted(allow) == ["GET", "HEAD", "OPTIONS", "POST"]


def test_basic_view(app: Router) -> None:
    class Index(View):
        methods = ["GET", "POST"]

        def dispatch_request(self) -> str:
            return request.method

    app.add_url_rule("/", view_func=Index.as_view("index"))
    check_get_post(app)


def test_method_view(app: Router) -> None:
    class Index(MethodView):
        def get(self) -> str:
            return "GET"

        def post(self) -> str:
            return "POST"

    assert Index.methods == {"GET", "POST"}
    app.add_url_rule("/", view_func=Index.as_view("index"))
    check_get_post(app)


def test_view_class_can_be_swapped(app: Router) -> None:
    class Index(MethodView):
        def get(self) -> str:
            raise ZeroDivisionError

        def post(self) -> str:
            raise ZeroDivisionError

    class Other(Index):
        def get(self) -> str:
            return "GET"

        def post(self) -> str:
            return "POST"

    view = Index.as_view("index")
    view.view_class = Other  # type: ignore[attr-defined]
    app.add_url_rule("/", view_func=view)
    check_get_post(app)


def test_view_function_attributes() -> None:
    class Index(View):
        """Documented."""

        methods = ["PUT"]
        provide_automatic_options = False

    view: t.Any = Index.as_view("custom")
    assert view.__name__ == "custom"
    assert view.__doc__ == "Documented."
    assert view.__module__ == __name__
    assert view.view_class is Index
    assert view.methods == ["PUT"]
    assert view.provide_automatic_options is False


def test_view_inheritance(app: Router, client: Client) -> None:
    class Index(MethodView):
        def get(self) -> str:
            return "GET"

        def post(self) -> str:
            return "POST"

    class BetterIndex(Index):
        def delete(self) -> str:
            return "DELETE"

    app.add_url_rule("/", view_func=BetterIndex.as_view("index"))
    allow = client.open("/", method="OPTIONS").allow
    assert sorted(allow) == ["DELETE", "GET", "HEAD", "OPTIONS", "POST"]


def test_view_decorators(app: Router, client: Client) -> None:
    def add_header(f: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        def wrapped(**kwargs: t.Any) -> Response:
            response = Response(f(**kwargs))
            response.headers["X-Parachute"] = "awesome"
            return response

        return wrapped

    seen_names: list[str] = []

    def record_name(f: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        seen_names.append(f.__name__)
        return f

    class Index(View):
        decorators = [record_name, add_header]

        def dispatch_request(self) -> str:
            return "Awesome"

    app.add_url_rule("/", view_func=Index.as_view("index"))
    rv = client.get("/")
    assert rv.headers["X-Parachute"] == "awesome"
    assert rv.text == "Awesome"
    # Decorators see the final name, so functools.wraps-style ones keep it.
    assert seen_names == ["index"]


@pytest.mark.parametrize(
    ("methods", "auto", "status", "allow"),
    [
        (None, False, 405, ["GET", "HEAD"]),
        (["OPTIONS"], True, 200, ["OPTIONS"]),
        (None, None, 200, ["GET", "HEAD", "OPTIONS"]),
    ],
)
def test_view_provide_automatic_options(
    make_app: t.Any,
    methods: list[str] | None,
    auto: bool | None,
    status: int,
    allow: list[str],
) -> None:
    app = make_app()

    class Index(View):
        def dispatch_request(self) -> str:
            return "Hello World!"

    Index.methods = methods
    Index.provide_automatic_options = auto
    app.add_url_rule("/", view_func=Index.as_view("index"))
    rv = Client(app).open("/", method="OPTIONS")
    assert rv.status_code == status
    assert sorted(rv.allow) == allow


def test_implicit_head(app: Router, client: Client) -> None:
    class Index(MethodView):
        def get(self) -> Response:
            return Response("Blub", headers={"X-Method": request.method})

    app.add_url_rule("/", view_func=Index.as_view("index"))
    rv = client.get("/")
    assert rv.text == "Blub"
    assert rv.headers["X-Method"] == "GET"
    rv = client.head("/")
    assert rv.data == b""
    assert rv.headers["X-Method"] == "HEAD"


def test_explicit_head(app: Router, client: Client) -> None:
    class Index(MethodView):
        def get(self) -> str:
            return "GET"

        def head(self) -> Response:
            return Response("", headers={"X-Method": "HEAD"})

    app.add_url_rule("/", view_func=Index.as_view("index"))
    assert client.get("/").text == "GET"
    rv = client.head("/")
    assert rv.data == b""
    assert rv.headers["X-Method"] == "HEAD"


def test_same_name_twice_is_an_error(app: Router) -> None:
    class Index(View):
        methods = ["GET", "POST"]

        def dispatch_request(self) -> str:
            return request.method

    app.add_url_rule("/", view_func=Index.as_view("index"))
    with pytest.raises(AssertionError, match="existing endpoint function: index"):
        app.add_url_rule("/", view_func=Index.as_view("index"))
    check_get_post(app)


def test_methods_inherited_from_bases(app: Router, client: Client) -> None:
    class BaseView(MethodView):
        methods = ["GET", "PROPFIND"]

    class ChildView(BaseView):
        def get(self) -> str:
            return "GET"

        def propfind(self) -> str:
            return "PROPFIND"

    app.add_url_rule("/", view_func=ChildView.as_view("index"))
    assert client.get("/").text == "GET"
    assert client.open("/", method="PROPFIND").text == "PROPFIND"
    assert ChildView.methods == {"PROPFIND", "GET"}


def test_multiple_inheritance(app: Router, client: Client) -> None:
    class GetView(MethodView):
        def get(self) -> str:
            return "GET"

    class DeleteView(MethodView):
        def delete(self) -> str:
            return "DELETE"

    class GetDeleteView(GetView, DeleteView):
        pass

    app.add_url_rule("/", view_func=GetDeleteView.as_view("index"))
    assert client.get("/").text == "GET"
    assert client.delete("/").text == "DELETE"
    assert sorted(GetDeleteView.methods or ()) == ["DELETE", "GET"]


def test_explicit_methods_restrict_the_parents(app: Router, client: Client) -> None:
    class GetView(MethodView):
        def get(self) -> str:
            return "GET"

    class OtherView(MethodView):
        def post(self) -> str:
            return "POST"

    class Restricted(GetView, OtherView):
        methods = ["GET"]

    app.add_url_rule("/", view_func=Restricted.as_view("index"))
    assert client.get("/").text == "GET"
    assert client.post("/").status_code == 405
    assert sorted(Restricted.methods) == ["GET"]


def test_method_view_without_handlers_keeps_no_methods() -> None:
    class Empty(MethodView):
        pass

    assert Empty.methods is None


def test_unimplemented_method(app: Router, client: Client) -> None:
    class OnlyGet(MethodView):
        methods = ["GET", "POST"]

        def get(self) -> str:
            return "GET"

    app.add_url_rule("/", view_func=OnlyGet.as_view("index"))
    with pytest.raises(AssertionError, match="Unimplemented method 'POST'"):
        client.post("/")


@pytest.mark.parametrize("every_request", [True, False])
def test_init_every_request(app: Router, client: Client, every_request: bool) -> None:
    created = 0

    class Counting(View):
        init_every_request = every_request

        def __init__(self, start: int) -> None:
            nonlocal created
            created += 1
            self.value = start

        def dispatch_request(self) -> str:
            self.value += 1
            return str(self.value)

    app.add_url_rule("/", view_func=Counting.as_view("index", 10))
    assert client.get("/").text == "11"
    second = client.get("/").text
    if every_request:
        assert (second, created) == ("11", 2)
    else:
        assert (second, created) == ("12", 1)


def test_url_values_become_arguments(app: Router, client: Client) -> None:
    class Item(MethodView):
        def get(self, item_id: int) -> str:
            return f"item {item_id}"

    app.add_url_rule("/items/<int:item_id>", view_func=Item.as_view("item"))
    assert client.get("/items/3").text == "item 3"


def test_async_handlers_go_through_ensure_sync(app: Router, client: Client) -> None:
    class AsyncView(View):
        methods = ["GET", "POST"]

        async def dispatch_request(self) -> str:  # type: ignore[override]
            return request.method

    class AsyncMethods(MethodView):
        async def get(self) -> str:
            return "GET"

        async def post(self) -> str:
            return "POST"

    app.add_url_rule("/view", view_func=AsyncView.as_view("view"))
    app.add_url_rule("/methods", view_func=AsyncMethods.as_view("methods"))
    assert client.post("/view").text == "POST"
    assert client.get("/methods").text == "GET"
    assert client.post("/methods").text == "POST"


def test_base_view_must_be_implemented(app: Router, client: Client) -> None:
    app.add_url_rule("/", view_func=View.as_view("index"))
    with pytest.raises(NotImplementedError):
        client.get("/")
