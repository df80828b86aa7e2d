"""Finding the application: --app forms, module search, factories and failures."""

from __future__ import annotations

import sys
import types
import typing as t

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from kolben.cli import find_app_by_string
from kolben.cli import find_best_app
from kolben.cli import is_app
from kolben.cli import locate_app
from kolben.cli import NoAppException
from kolben.cli import prepare_import
from kolben.cli import register_app_class
from kolben.cli import registered_app_classes
from kolben.cli import ScriptInfo
from kolben.cli import unregister_app_class
from kolben.contexts import current_app
from kolben.contexts import g


def module(**attrs: t.Any) -> types.ModuleType:
    """A module named ``Module`` holding ``attrs``."""
    mod = types.ModuleType("Module")
    vars(mod).update(attrs)
    return mod


# -- what counts as an application -------------------------------------------


def test_without_registered_class_an_app_is_an_object_with_wsgi_app(
    app_class: t.Any,
) -> None:
    def wsgi(environ: t.Any, start_response: t.Any) -> list[bytes]:
        return []

    assert is_app(app_class())
    assert not is_app(wsgi)
    assert not is_app(app_class)
    assert not is_app(None)


def test_registered_classes_decide_what_an_app_is(
    app_class: t.Any, registered: t.Any
) -> None:
    class Other:
        def wsgi_app(self, environ: t.Any, start_response: t.Any) -> list[bytes]:
            return []

    class SubApp(app_class):  # type: ignore[misc,valid-type]
        pass

    assert is_app(app_class())
    assert is_app(SubApp())
    assert not is_app(Other())


def test_register_app_class_is_idempotent_and_a_decorator(registered: t.Any) -> None:
    @register_app_class
    class Extra:
        pass

    assert register_app_class(registered) is registered
    assert registered_app_classes() == (registered, Extra)
    assert is_app(Extra())
    unregister_app_class(Extra)
    unregister_app_class(Extra)
    assert registered_app_classes() == (registered,)
    assert not is_app(Extra())
    assert is_app(registered())


# -- find_best_app ------------------------------------------------------------


@pytest.mark.parametrize("name", ["app", "application"])
def test_find_best_app_prefers_the_conventional_names(
    app_class: t.Any, name: str
) -> None:
    chosen = app_class("chosen")
    found = find_best_app(module(**{name: chosen, "other": app_class("other")}))
    assert found is chosen


def test_app_wins_over_application(app_class: t.Any) -> None:
    first = app_class("first")
    found = find_best_app(module(application=app_class(), app=first))
    assert found is first


def test_find_best_app_takes_the_single_app_under_any_name(app_class: t.Any) -> None:
    only = app_class()
    assert find_best_app(module(myapp=only, helper=lambda: None)) is only


def test_scanning_skips_objects_failing_attribute_access(app_class: t.Any) -> None:
    only = app_class()
    assert find_best_app(module(current_app=current_app, g=g, hello=only)) is only


def test_the_same_app_under_two_names_is_one_app(app_class: t.Any) -> None:
    only = app_class()
    assert find_best_app(module(first=only, second=only)) is only


def test_an_app_wins_over_a_factory(app_class: t.Any) -> None:
    only = app_class("instance")
    found = find_best_app(module(myapp=only, create_app=lambda: app_class("made")))
    assert found is only


@pytest.mark.parametrize("name", ["create_app", "make_app"])
def test_find_best_app_calls_a_factory(app_class: t.Any, name: str) -> None:
    found = find_best_app(module(**{name: lambda: app_class("made")}))
    assert found.name == "made"


def test_factory_with_only_optional_arguments_is_called(app_class: t.Any) -> None:
    def create_app(**options: t.Any) -> t.Any:
        return app_class(options.get("name", "default"))

    assert find_best_app(module(create_app=create_app)).name == "default"


def test_create_app_is_tried_before_make_app(app_class: t.Any) -> None:
    found = find_best_app(
        module(
            create_app=lambda: app_class("create"), make_app=lambda: app_class("make")
        )
    )
    assert found.name == "create"


def test_a_factory_not_returning_an_app_is_skipped(app_class: t.Any) -> None:
    found = find_best_app(
        module(create_app=lambda: None, make_app=lambda: app_class("make"))
    )
    assert found.name == "make"


def test_no_app_in_module(registered: t.Any) -> None:
    with pytest.raises(NoAppException) as info:
        find_best_app(module())
    assert info.value.message == (
        "Failed to find TinyApp application or factory in module 'Module'."
        " Use 'Module:name' to specify one."
    )


def test_message_names_wsgi_applications_when_no_class_is_registered() -> None:
    with pytest.raises(NoAppException, match="Failed to find WSGI application"):
        find_best_app(module())


def test_a_plain_function_is_not_an_app() -> None:
    def application(environ: t.Any, start_response: t.Any) -> list[bytes]:
        return []

    with pytest.raises(NoAppException, match="Failed to find WSGI application"):
        find_best_app(module(wsgi=application))


def test_multiple_apps(registered: t.Any) -> None:
    with pytest.raises(NoAppException) as info:
        find_best_app(module(one=registered("one"), two=registered("two")))
    assert info.value.message == (
        "Detected multiple TinyApp applications in module 'Module'."
        " Use 'Module:name' to specify the correct one."
    )


def test_factory_needing_arguments(app_class: t.Any) -> None:
    def create_app(config: str) -> t.Any:
        return app_class(config)

    with pytest.raises(NoAppException) as info:
        find_best_app(module(create_app=create_app))
    assert info.value.message == (
        "Detected factory 'create_app' in module 'Module', but could not call it"
        " without arguments. Use 'Module:create_app(args)' to specify arguments."
    )


def test_type_error_inside_a_factory_propagates() -> None:
    def create_app() -> t.Any:
        raise TypeError("bad bad factory!")

    with pytest.raises(TypeError, match="bad bad factory"):
        find_best_app(module(create_app=create_app))


# -- find_app_by_string ------------------------------------------------------


def test_name_picks_an_attribute(app_class: t.Any) -> None:
    chosen = app_class("chosen")
    found = find_app_by_string(module(a=app_class("a"), chosen=chosen), "chosen")
    assert found is chosen


@pytest.mark.parametrize("spec", ["create_app", "create_app()", " create_app () "])
def test_a_named_function_is_called_as_a_factory(app_class: t.Any, spec: str) -> None:
    found = find_app_by_string(module(create_app=lambda: app_class("made")), spec)
    assert found.name == "made"


@settings(max_examples=50)
@given(
    args=st.lists(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.text(),
            st.lists(st.integers(), max_size=3),
        ),
        max_size=4,
    ),
    flag=st.one_of(st.none(), st.text(max_size=5), st.integers()),
)
def test_factory_arguments_are_python_literals(args: list[t.Any], flag: t.Any) -> None:
    received: list[t.Any] = []

    class Made:
        def wsgi_app(self, environ: t.Any, start_response: t.Any) -> list[bytes]:
            return []

    def factory(*args: t.Any, flag: t.Any = "unset") -> Made:
        received.append((list(args), flag))
        return Made()

    call = f"factory({', '.join(map(repr, args))}{', ' if args else ''}flag={flag!r}, )"
    assert isinstance(find_app_by_string(module(factory=factory), call), Made)
    assert received == [(args, flag)]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "create_app(",
            "Failed to parse 'create_app(' as an attribute name or function call.",
        ),
        ("a.b", "Failed to parse 'a.b' as an attribute name or function call."),
        ("a.b()", "Function reference must be a simple name: 'a.b()'."),
        (
            "create_app(x)",
            "Failed to parse arguments as literal values: 'create_app(x)'.",
        ),
        (
            "create_app(**{'a': 1})",
            "Failed to parse arguments as literal values: \"create_app(**{'a': 1})\".",
        ),
        ("missing", "Failed to find attribute 'missing' in 'Module'."),
        (
            'create_app("one", "two")',
            "The factory 'create_app(\"one\", \"two\")' in module 'Module' could not"
            " be called with the specified arguments.",
        ),
        (
            "no_app",
            "A valid TinyApp application was not obtained from 'Module:no_app'.",
        ),
        (
            "number",
            "A valid TinyApp application was not obtained from 'Module:number'.",
        ),
    ],
)
def test_find_app_by_string_failures(
    registered: t.Any, spec: str, message: str
) -> None:
    mod = module(
        create_app=lambda name: registered(name), no_app=lambda: None, number=3
    )
    with pytest.raises(NoAppException) as info:
        find_app_by_string(mod, spec)
    assert info.value.message == message


def test_explicit_name_accepts_any_wsgi_callable_without_registered_class() -> None:
    class Middleware:
        def __call__(self, environ: t.Any, start_response: t.Any) -> list[bytes]:
            return []

    wrapped = Middleware()

    def wsgi(environ: t.Any, start_response: t.Any) -> list[bytes]:
        return []

    mod = module(wrapped=wrapped, make=lambda: wsgi, cls=Middleware)
    assert find_app_by_string(mod, "wrapped") is wrapped
    assert find_app_by_string(mod, "make()") is wsgi
    with pytest.raises(NoAppException, match="A valid WSGI application"):
        find_app_by_string(mod, "cls")


def test_explicit_name_is_strict_with_a_registered_class(registered: t.Any) -> None:
    class Middleware:
        def __call__(self, environ: t.Any, start_response: t.Any) -> list[bytes]:
            return []

    with pytest.raises(NoAppException, match="A valid TinyApp application"):
        find_app_by_string(module(wrapped=Middleware()), "wrapped")


# -- prepare_import -----------------------------------------------------------


@pytest.fixture
def tree(tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> t.Any:
    """``tmp/plain.py`` and the package ``tmp/pkg/inner/`` with modules."""
    for name in ("pkg/__init__.py", "pkg/inner/__init__.py", "pkg/inner/mod.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "plain.py").write_text("")
    (tmp_path / "pkg" / "notes.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    return tmp_path.resolve()


@pytest.mark.parametrize(
    ("value", "folder", "expected"),
    [
        ("plain", "", "plain"),
        ("plain.py", "", "plain"),
        ("sub/plain", "sub", "plain"),
        ("pkg", "", "pkg"),
        ("pkg/__init__.py", "", "pkg"),
        ("pkg/__init__", "", "pkg"),
        ("pkg/inner", "", "pkg.inner"),
        ("pkg/inner/__init__.py", "", "pkg.inner"),
        ("pkg/inner/mod.py", "", "pkg.inner.mod"),
        ("pkg/inner/mod", "", "pkg.inner.mod"),
        ("dotted.name.here", "", "dotted.name.here"),
        ("pkg/notes.txt", "", "pkg.notes.txt"),
    ],
)
def test_prepare_import(tree: t.Any, value: str, folder: str, expected: str) -> None:
    assert prepare_import(value) == expected
    assert sys.path[0] == (str(tree / folder) if folder else str(tree))


def test_prepare_import_accepts_absolute_paths(tree: t.Any) -> None:
    assert prepare_import(tree / "pkg" / "inner" / "mod.py") == "pkg.inner.mod"
    assert sys.path[0] == str(tree)


def test_prepare_import_does_not_repeat_the_path(tree: t.Any) -> None:
    prepare_import("plain.py")
    prepare_import("plain.py")
    assert sys.path.count(str(tree)) >= 1
    assert sys.path[1] != str(tree)


# -- locate_app ---------------------------------------------------------------


def test_locate_app_forms(modules: t.Any) -> None:
    modules.write(
        "factory.py",
        """
        from tinyapp import TinyApp

        def create_app():
            return TinyApp("app")

        def create_app2(foo, bar):
            return TinyApp("_".join(["app2", foo, bar]))
        """,
    )
    modules.write(
        "named.py", "from tinyapp import TinyApp\ntestapp = TinyApp('testapp')\n"
    )
    assert locate_app("named", None).name == "testapp"
    assert locate_app("named", "testapp").name == "testapp"
    assert locate_app("factory", None).name == "app"
    assert locate_app("factory", "create_app").name == "app"
    assert locate_app("factory", 'create_app2("foo", "bar", )').name == "app2_foo_bar"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("notanapp.py", "Could not import 'notanapp.py'."),
        ("pkg/app", "Could not import 'pkg/app'."),
        ("pkg.message.txt", "Could not import 'pkg.message.txt'."),
        ("pkg.missing", "Could not import 'pkg.missing'."),
    ],
)
def test_locate_app_missing_module(modules: t.Any, name: str, message: str) -> None:
    modules.write("pkg/__init__.py")
    modules.write("pkg/message.txt", "not python")
    with pytest.raises(NoAppException) as info:
        locate_app(name, None)
    assert info.value.message == message
    assert locate_app(name, None, raise_if_not_found=False) is None


@pytest.mark.parametrize(
    "source",
    [
        "raise ImportError()\n",
        "import a_module_that_is_not_installed\n",
        "from os import not_a_name\n",
    ],
)
def test_import_error_inside_the_module_is_shown_with_its_traceback(
    modules: t.Any, source: str
) -> None:
    modules.write("broken.py", source)
    for raise_if_not_found in (True, False):
        with pytest.raises(NoAppException) as info:
            locate_app("broken", None, raise_if_not_found=raise_if_not_found)
        message = info.value.message
        assert message.startswith(
            "While importing 'broken', an ImportError was raised:\n\nTraceback"
        )
        assert 'broken.py", line 1' in message


def test_missing_module_imported_by_a_package_module(modules: t.Any) -> None:
    modules.write("pkg/__init__.py")
    modules.write("pkg/app.py", "import pkg.helpers\n")
    with pytest.raises(NoAppException, match="While importing 'pkg.app'"):
        locate_app("pkg.app", None, raise_if_not_found=False)


# -- ScriptInfo.load_app ------------------------------------------------------


def test_load_app_from_create_app_is_cached(app_class: t.Any) -> None:
    calls: list[int] = []

    def create_app() -> t.Any:
        calls.append(1)
        return app_class("created")

    info = ScriptInfo(create_app=create_app)
    app = info.load_app()
    assert app.name == "created"
    assert info.load_app() is app
    assert calls == [1]


@pytest.mark.parametrize(
    "spec",
    [
        "cliapp.app",
        "cliapp.app:testapp",
        "cliapp/app.py",
        "{root}/cliapp/app.py:testapp",
    ],
)
def test_load_app_from_import_path(modules: t.Any, spec: str) -> None:
    modules.write("cliapp/__init__.py")
    modules.write(
        "cliapp/app.py", "from tinyapp import TinyApp\ntestapp = TinyApp('testapp')\n"
    )
    info = ScriptInfo(app_import_path=spec.format(root=modules.root))
    app = info.load_app()
    assert app.name == "testapp"
    assert info.load_app() is app


def test_load_app_with_factory_arguments_from_import_path(modules: t.Any) -> None:
    modules.write(
        "factory.py",
        "from tinyapp import TinyApp\ndef build(name):\n    return TinyApp(name)\n",
    )
    assert (
        ScriptInfo(app_import_path="factory:build('given')").load_app().name == "given"
    )


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"wsgi.py": "hello", "app.py": "other"}, "hello"),
        ({"app.py": "other"}, "other"),
    ],
)
def test_load_app_from_wsgi_or_app_file(
    modules: t.Any, files: dict[str, str], expected: str
) -> None:
    for filename, name in files.items():
        modules.write(
            filename, f"from tinyapp import TinyApp\napp = TinyApp({name!r})\n"
        )
    assert ScriptInfo().load_app().name == expected


def test_load_app_without_anything_to_load(modules: t.Any, registered: t.Any) -> None:
    with pytest.raises(NoAppException) as info:
        ScriptInfo().load_app()
    assert info.value.message == (
        "Could not locate a TinyApp application. Use the 'flask --app' option,"
        " 'FLASK_APP' environment variable, or a 'wsgi.py' or 'app.py' file in the"
        " current directory."
    )


def test_broken_app_py_is_not_skipped(modules: t.Any) -> None:
    modules.write("app.py", "import not_installed_anywhere\n")
    with pytest.raises(NoAppException, match="While importing 'app'"):
        ScriptInfo().load_app()


@pytest.mark.parametrize(
    ("flag", "set_debug_flag", "expected"),
    [
        (None, True, False),
        ("1", True, True),
        ("false", True, False),
        ("1", False, "untouched"),
        (None, False, "untouched"),
    ],
)
def test_load_app_sets_debug_from_flask_debug(
    app_class: t.Any,
    monkeypatch: pytest.MonkeyPatch,
    flag: str | None,
    set_debug_flag: bool,
    expected: t.Any,
) -> None:
    if flag is not None:
        monkeypatch.setenv("FLASK_DEBUG", flag)
    app = app_class()
    app.debug = "untouched"
    info = ScriptInfo(create_app=lambda: app, set_debug_flag=set_debug_flag)
    assert info.load_app().debug == expected


def test_load_app_leaves_apps_without_debug_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Bare:
        __slots__ = ()

        def __call__(self, environ: t.Any, start_response: t.Any) -> list[bytes]:
            return []

    monkeypatch.setenv("FLASK_DEBUG", "1")
    bare = Bare()
    assert ScriptInfo(create_app=lambda: bare).load_app() is bare
