"""The per-request hook queries: call order along the blueprint chain, error
handler lookup, and caches that notice every kind of registry change.
"""

from __future__ import annotations

import copy
import pickle
import typing as t

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.exceptions import Forbidden
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.exceptions import NotFound
from werkzeug.test import Client

from kolben.contexts import g
from kolben.routing import Blueprint
from kolben.routing import blueprint_chain
from kolben.routing import Router
from kolben.routing import split_blueprint_path

names = st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True)


@given(st.lists(names, min_size=1, max_size=5))
def test_blueprint_chain_lists_each_parent(parts: list[str]) -> None:
    name = ".".join(parts)
    chain = blueprint_chain(name)
    assert chain == tuple(".".join(parts[:i]) for i in range(len(parts), 0, -1))
    assert split_blueprint_path(name) == list(chain)
    assert chain[0] == name


def test_blueprint_chain_of_no_blueprint() -> None:
    assert blueprint_chain(None) == ()
    assert blueprint_chain("") == ()
    assert split_blueprint_path("a.b.c") == ["a.b.c", "a.b", "a"]
    # A fresh list each time: callers may mutate it.
    assert split_blueprint_path("a") is not split_blueprint_path("a")


def labelled(label: str, calls: list[str]) -> t.Callable[..., t.Any]:
    def hook(*args: t.Any) -> t.Any:
        calls.append(label)
        return args[0] if args and hasattr(args[0], "status_code") else None

    hook.__name__ = label
    return hook


def nested_app() -> tuple[Router, list[str]]:
    """An app with parent and child blueprints, two of each hook on each."""
    calls: list[str] = []
    app = Router("hooks")
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__)
    for owner, label in ((app, "app"), (parent, "parent"), (child, "child")):
        for n in (1, 2):
            owner.url_value_preprocessor(labelled(f"{label}_values{n}", calls))
            owner.before_request(labelled(f"{label}_before{n}", calls))
            owner.after_request(labelled(f"{label}_after{n}", calls))
            owner.teardown_request(labelled(f"{label}_teardown{n}", calls))
            owner.context_processor(labelled(f"{label}_context{n}", calls))
            owner.url_defaults(labelled(f"{label}_defaults{n}", calls))

    @child.route("/a")
    def a() -> str:
        return "a"

    parent.register_blueprint(child)
    app.register_blueprint(parent)
    return app, calls


def order(funcs: t.Iterable[t.Callable[..., t.Any]]) -> list[str]:
    return [f.__name__ for f in funcs]


def test_query_order_along_the_chain() -> None:
    app, _ = nested_app()
    chain = ("parent.child", "parent")
    forward = ["app_{0}1", "app_{0}2", "parent_{0}1", "parent_{0}2"]
    forward += ["child_{0}1", "child_{0}2"]
    backward = ["child_{0}2", "child_{0}1", "parent_{0}2", "parent_{0}1"]
    backward += ["app_{0}2", "app_{0}1"]
    assert order(app.url_value_preprocessors_for(chain)) == [
        x.format("values") for x in forward
    ]
    assert order(app.before_request_funcs_for(chain)) == [
        x.format("before") for x in forward
    ]
    assert order(app.template_context_processors_for(chain)) == [
        x.format("context") for x in forward
    ]
    assert order(app.after_request_funcs_for(chain)) == [
        x.format("after") for x in backward
    ]
    assert order(app.teardown_request_funcs_for(chain)) == [
        x.format("teardown") for x in backward
    ]
    assert order(app.url_default_functions_for("parent.child.a")) == [
        x.format("defaults") for x in forward
    ]
    # A list works as well as a tuple, and the app alone has its own answer.
    assert app.before_request_funcs_for(list(chain)) == app.before_request_funcs_for(
        chain
    )
    assert order(app.before_request_funcs_for(())) == ["app_before1", "app_before2"]
    assert order(app.url_default_functions_for("index")) == [
        "app_defaults1",
        "app_defaults2",
    ]


@pytest.mark.parametrize(
    ("endpoint", "chain"),
    [("parent.child.a", ("parent.child", "parent")), ("index", ()), (None, ())],
)
def test_request_hooks_agree_with_each_query(
    endpoint: str | None, chain: tuple[str, ...]
) -> None:
    """The hooks of a request routed to an endpoint are what each query
    answers for the endpoint's blueprint chain.
    """
    app, _ = nested_app()
    hooks = app.request_hooks_for(endpoint)
    assert hooks.url_value_preprocessors == app.url_value_preprocessors_for(chain)
    assert hooks.before_request == app.before_request_funcs_for(chain)
    assert hooks.after_request == app.after_request_funcs_for(chain)
    assert hooks.teardown_request == app.teardown_request_funcs_for(chain)
    assert app.request_hooks_for(endpoint) is hooks


def test_request_hooks_say_whether_a_hook_is_async(app: Router) -> None:
    """``has_async`` is true while a ``before_request`` or ``after_request``
    function is a coroutine function, and follows registration.
    """

    def plain() -> None:
        return None

    async def awaited(response: t.Any) -> t.Any:
        return response

    app.before_request(plain)
    assert app.request_hooks_for(None).has_async is False
    app.after_request(awaited)
    assert app.request_hooks_for(None).has_async is True
    app.after_request_funcs[None].remove(awaited)
    assert app.request_hooks_for(None).has_async is False


REQUEST_REGISTRIES = {
    "url_value_preprocessors": "url_value_preprocessors",
    "before_request_funcs": "before_request",
    "after_request_funcs": "after_request",
    "teardown_request_funcs": "teardown_request",
}


@pytest.mark.parametrize(
    ("registry", "field"), REQUEST_REGISTRIES.items(), ids=REQUEST_REGISTRIES.keys()
)
def test_request_hooks_follow_registration(registry: str, field: str) -> None:
    """A request's cached hooks change with any of the four registries, by a
    decorator or by mutating the registry directly.
    """
    app, _ = nested_app()
    before = getattr(app.request_hooks_for("parent.child.a"), field)
    getattr(app, registry).setdefault("parent.child", []).append(extra)
    after = getattr(app.request_hooks_for("parent.child.a"), field)
    assert extra not in before
    assert extra in after
    getattr(app, registry)["parent.child"].remove(extra)
    assert getattr(app.request_hooks_for("parent.child.a"), field) == before


def test_request_runs_hooks_in_flask_order() -> None:
    app, calls = nested_app()
    assert Client(app).get("/a").text == "a"
    assert calls == [
        "app_values1",
        "app_values2",
        "parent_values1",
        "parent_values2",
        "child_values1",
        "child_values2",
        "app_before1",
        "app_before2",
        "parent_before1",
        "parent_before2",
        "child_before1",
        "child_before2",
        "child_after2",
        "child_after1",
        "parent_after2",
        "parent_after1",
        "app_after2",
        "app_after1",
        "child_teardown2",
        "child_teardown1",
        "parent_teardown2",
        "parent_teardown1",
        "app_teardown2",
        "app_teardown1",
    ]


def test_answers_are_cached_until_registration_changes(app: Router) -> None:
    first = app.before_request_funcs_for(("bp",))
    assert first == ()
    assert app.before_request_funcs_for(("bp",)) is first

    def hook() -> None:
        return None

    app.before_request(hook)
    second = app.before_request_funcs_for(("bp",))
    assert second == (hook,)
    assert app.before_request_funcs_for(("bp",)) is second


def extra() -> None:
    return None


MUTATIONS: dict[str, t.Callable[[Router], None]] = {
    "setdefault-append": lambda app: app.before_request_funcs.setdefault(
        None, []
    ).append(extra),
    "missing-key-append": lambda app: app.before_request_funcs["bp"].append(extra),
    "assign-plain-list": lambda app: app.before_request_funcs.__setitem__(
        "bp", [extra]
    ),
    "update": lambda app: app.before_request_funcs.update({"bp": [extra]}),
    "ior": lambda app: app.before_request_funcs.__ior__({"bp": [extra]}),
    "replace-attribute": lambda app: setattr(
        app, "before_request_funcs", {None: [extra]}
    ),
    "insert": lambda app: app.before_request_funcs[None].insert(0, extra),
    "extend": lambda app: app.before_request_funcs[None].extend([extra]),
    "iadd": lambda app: app.before_request_funcs[None].__iadd__([extra]),
    "slice-assign": lambda app: app.before_request_funcs[None].__setitem__(
        slice(0, 0), [extra]
    ),
}


@pytest.mark.parametrize("mutation", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_direct_mutation_is_noticed(
    app: Router, mutation: t.Callable[[Router], None]
) -> None:
    app.before_request_funcs[None] = []
    assert app.before_request_funcs_for(("bp",)) == ()
    mutation(app)
    assert extra in app.before_request_funcs_for(("bp",))
    # Later changes through the converted containers are seen too.
    for funcs in app.before_request_funcs.values():
        funcs.clear()
    assert app.before_request_funcs_for(("bp",)) == ()


REMOVALS: dict[str, t.Callable[[Router], None]] = {
    "pop-key": lambda app: app.before_request_funcs.pop(None),
    "del-key": lambda app: app.before_request_funcs.__delitem__(None),
    "popitem": lambda app: app.before_request_funcs.popitem(),
    "clear-dict": lambda app: app.before_request_funcs.clear(),
    "remove": lambda app: app.before_request_funcs[None].remove(extra),
    "pop-item": lambda app: app.before_request_funcs[None].pop(),
    "del-item": lambda app: app.before_request_funcs[None].__delitem__(0),
    "imul": lambda app: app.before_request_funcs[None].__imul__(0),
}


@pytest.mark.parametrize("removal", REMOVALS.values(), ids=REMOVALS.keys())
def test_direct_removal_is_noticed(
    app: Router, removal: t.Callable[[Router], None]
) -> None:
    app.before_request(extra)
    assert app.before_request_funcs_for(()) == (extra,)
    removal(app)
    assert app.before_request_funcs_for(()) == ()


def test_reordering_is_noticed(app: Router) -> None:
    def a() -> None:
        return None

    def b() -> None:
        return None

    app.before_request(b)
    app.before_request(a)
    assert app.before_request_funcs_for(()) == (b, a)
    app.before_request_funcs[None].sort(key=lambda f: f.__name__)
    assert app.before_request_funcs_for(()) == (a, b)
    app.before_request_funcs[None].reverse()
    assert app.before_request_funcs_for(()) == (b, a)


def test_mutating_a_hook_during_requests(app: Router, client: Client) -> None:
    seen: list[str] = []

    @app.route("/")
    def index() -> str:
        return "x"

    client.get("/")
    # Extensions add hooks at runtime through the public dict.
    app.before_request_funcs.setdefault(None, []).append(lambda: seen.append("late"))
    client.get("/")
    assert seen == ["late"]


def test_registries_copy_and_pickle_as_plain_containers(app: Router) -> None:
    app.before_request(extra)
    app.errorhandler(404)(extra)
    copied = copy.deepcopy(app.before_request_funcs)
    assert copied == {None: [extra]}
    assert type(copied) is dict
    assert type(copied[None]) is list
    spec = pickle.loads(pickle.dumps(app.error_handler_spec))
    assert spec == {None: {404: {NotFound: extra}}}


def test_error_handler_code_before_class(app: Router) -> None:
    class ForbiddenSubclass(Forbidden):
        pass

    def by_code(e: Exception) -> str:
        return "code"

    def by_class(e: Exception) -> str:
        return "class"

    def by_subclass(e: Exception) -> str:
        return "subclass"

    app.errorhandler(HTTPException)(by_class)
    app.errorhandler(403)(by_code)
    assert app._find_error_handler(Forbidden(), ()) is by_code
    assert app._find_error_handler(NotFound(), ()) is by_class
    # A subclass registered by class has code 403 too: it is found among the
    # code handlers, closest class first.
    app.errorhandler(ForbiddenSubclass)(by_subclass)
    assert app._find_error_handler(ForbiddenSubclass(), ()) is by_subclass
    assert app._find_error_handler(Forbidden(), ()) is by_code
    assert app._find_error_handler(KeyError(), ()) is None


def test_error_handler_mro_precedence(app: Router) -> None:
    class E1(Exception):
        pass

    class E2(Exception):
        pass

    class E3(E1, E2):
        pass

    def handle_e2(e: Exception) -> str:
        return "E2"

    def handle_exception(e: Exception) -> str:
        return "Exception"

    app.errorhandler(E2)(handle_e2)
    app.errorhandler(Exception)(handle_exception)
    assert app._find_error_handler(E1(), ()) is handle_exception
    assert app._find_error_handler(E3(), ()) is handle_e2


def test_error_handler_along_the_chain() -> None:
    app = Router("errors")
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__)

    def parent_403(e: Exception) -> str:
        return "parent"

    def child_class(e: Exception) -> str:
        return "child"

    def app_500(e: Exception) -> str:
        return "app"

    parent.errorhandler(403)(parent_403)
    child.errorhandler(HTTPException)(child_class)
    app.errorhandler(500)(app_500)
    parent.register_blueprint(child)
    app.register_blueprint(parent)

    chain = ("parent.child", "parent")
    # Code handlers anywhere on the chain beat class handlers.
    assert app._find_error_handler(Forbidden(), chain) is parent_403
    assert app._find_error_handler(Forbidden(), ["parent"]) is parent_403
    assert app._find_error_handler(Forbidden(), ()) is None
    assert app._find_error_handler(InternalServerError(), chain) is app_500
    assert app._find_error_handler(NotFound(), chain) is child_class
    assert app._find_error_handler(NotFound(), ["parent"]) is None
    assert app.error_handler_spec["parent.child"][None] == {HTTPException: child_class}


def test_error_handler_cache_invalidation(app: Router) -> None:
    def first(e: Exception) -> str:
        return "first"

    def second(e: Exception) -> str:
        return "second"

    assert app._find_error_handler(NotFound(), ()) is None
    app.error_handler_spec[None][404][NotFound] = first
    assert app._find_error_handler(NotFound(), ()) is first
    app.error_handler_spec[None][404] = {NotFound: second}
    assert app._find_error_handler(NotFound(), ()) is second
    app.error_handler_spec = {None: {None: {LookupError: first}}}
    assert app._find_error_handler(NotFound(), ()) is None
    assert app._find_error_handler(KeyError(), ()) is first
    del app.error_handler_spec[None][None][LookupError]
    assert app._find_error_handler(KeyError(), ()) is None


def test_error_lookup_does_not_create_entries(app: Router) -> None:
    app._find_error_handler(NotFound(), ("a.b", "a"))
    assert app.error_handler_spec == {}


def test_many_exception_classes_keep_the_cache_bounded(app: Router) -> None:
    def handler(e: Exception) -> str:
        return "x"

    app.errorhandler(Exception)(handler)
    for i in range(3000):
        exc_class = type(f"E{i}", (Exception,), {})
        assert app._find_error_handler(exc_class(), ()) is handler
    assert len(app._query_cache.errors) <= 1024


def test_handled_errors_in_requests(app: Router, client: Client) -> None:
    class Custom(Exception):
        pass

    @app.route("/custom")
    def custom() -> str:
        raise Custom()

    @app.route("/forbidden")
    def forbidden() -> str:
        raise Forbidden()

    app.errorhandler(Custom)(lambda e: ("custom", 418))
    app.errorhandler(403)(lambda e: ("no", 403))
    app.errorhandler(404)(lambda e: (f"missing {g.get('tag')}", 404))
    app.before_request(lambda: setattr(g, "tag", "tagged"))

    assert client.get("/custom").status_code == 418
    assert client.get("/forbidden").text == "no"
    # Routing errors reach the handlers after before_request ran.
    rv = client.get("/nowhere")
    assert rv.status_code == 404
    assert rv.text == "missing tagged"
