"""werkzeug's routing package loads when an app is built, not on import, and
the class attributes standing for its classes behave as plain ones."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from werkzeug.routing import Map
from werkzeug.routing import Rule

from kolben.routing import LazyImport
from kolben.routing import RoutingApp


def loaded_by(code: str) -> set[str]:
    """The modules loaded after running ``code`` in a fresh interpreter."""
    code += "\nimport json, sys; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out))


def test_import_defers_werkzeug_routing_to_the_first_app() -> None:
    assert "werkzeug.routing" not in loaded_by("import kolben.routing")
    built = loaded_by(
        "from kolben.routing import RoutingApp\n"
        "class App(RoutingApp):\n"
        "    config = {}\n"
        "App('built', static_folder=None)\n"
    )
    assert "werkzeug.routing" in built


def test_router_loads_werkzeug_routing() -> None:
    assert "werkzeug.routing" in loaded_by("from kolben.routing import Router")


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("Router", "router"),
        ("MethodView", "views"),
        ("View", "views"),
        ("http_method_funcs", "views"),
        ("URLBuilder", "protocols"),
        ("Blueprint", "blueprints"),
        ("BlueprintSetupState", "blueprints"),
        ("DeferredSetupFunction", "blueprints"),
    ],
)
def test_lazy_names_resolve(name: str, module: str) -> None:
    import importlib

    import kolben.routing

    source = importlib.import_module(f"kolben.routing.{module}")
    assert getattr(kolben.routing, name) is getattr(source, name)
    assert name in dir(kolben.routing)


def test_defining_an_app_class_loads_no_blueprints_or_views() -> None:
    loaded = loaded_by("import kolben.routing")
    assert not {"kolben.routing.blueprints", "kolben.routing.views"} & loaded


def test_class_attributes_are_werkzeug_classes() -> None:
    class App(RoutingApp):
        config: dict[str, object] = {}

    assert RoutingApp.url_map_class is Map
    assert RoutingApp.url_rule_class is Rule
    app = App("app", static_folder=None)
    assert app.url_map_class is Map
    assert app.url_rule_class is Rule
    assert type(app.url_map) is Map
    # After the first read the class holds the value itself.
    assert RoutingApp.__dict__["url_map_class"] is Map


def test_class_attributes_are_overridable() -> None:
    class MyMap(Map):
        pass

    class MyRule(Rule):
        pass

    class App(RoutingApp):
        config: dict[str, object] = {}

    class Sub(App):
        url_map_class = MyMap
        url_rule_class = MyRule

    sub = Sub("sub", static_folder=None)
    sub.add_url_rule("/", "index", lambda: "")
    assert type(sub.url_map) is MyMap
    assert all(type(rule) is MyRule for rule in sub.url_map.iter_rules())

    class Assigned(App):
        pass

    Assigned.url_map_class = MyMap
    assert type(Assigned("assigned", static_folder=None).url_map) is MyMap
    assert App.url_map_class is Map

    plain = App("plain", static_folder=None)
    plain.url_rule_class = MyRule
    plain.add_url_rule("/x", "x", lambda: "")
    assert type(next(iter(plain.url_map.iter_rules()))) is MyRule
    assert App("other", static_folder=None).url_rule_class is Rule


def test_lazy_import_reads_dotted_names_and_replaces_itself() -> None:
    class Holder:
        join = LazyImport("os.path", "join")
        sep = LazyImport("os", "path.sep")

    import os.path

    assert isinstance(Holder.__dict__["join"], LazyImport)
    assert Holder.join is os.path.join
    assert Holder.__dict__["join"] is os.path.join
    assert Holder().sep == os.path.sep
    assert "os.path" in repr(LazyImport("os", "path"))
