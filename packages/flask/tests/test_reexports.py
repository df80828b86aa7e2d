"""Every name ``flask`` takes from a part is the part's own object, so code
mixing ``flask.X`` and ``kolben.<part>.X`` (isinstance checks, signal
connections, subclassing) sees one thing.
"""

from __future__ import annotations

import importlib

import pytest

#: (flask module, kolben module, names both must share)
SHARED = [
    (
        "flask.globals",
        "kolben.contexts",
        "_cv_app _cv_request app_ctx current_app g request request_ctx session",
    ),
    (
        "flask.ctx",
        "kolben.contexts",
        "AppContext RequestContext after_this_request copy_current_request_context"
        " has_app_context has_request_context",
    ),
    (
        "flask",
        "kolben.contexts",
        "after_this_request copy_current_request_context has_app_context"
        " has_request_context current_app g request session stream_with_context",
    ),
    (
        "flask.signals",
        "kolben.contexts",
        "appcontext_popped appcontext_pushed appcontext_tearing_down"
        " request_tearing_down",
    ),
    ("flask.signals", "kolben.templating", "before_render_template template_rendered"),
    (
        "flask.sessions",
        "kolben.sessions",
        "NullSession SecureCookieSession SecureCookieSessionInterface"
        " SessionInterface SessionMixin TaggedJSONSerializer session_json_serializer",
    ),
    (
        "flask.json.tag",
        "kolben.sessions.tag",
        "JSONTag PassDict PassList TagBytes TagDateTime TagDict TagMarkup TagTuple"
        " TagUUID TaggedJSONSerializer",
    ),
    ("flask.views", "kolben.routing", "View MethodView http_method_funcs"),
    ("flask.blueprints", "kolben.routing", "BlueprintSetupState"),
    ("flask.helpers", "kolben.routing", "url_for get_root_path"),
    ("flask.helpers", "kolben.templating", "get_template_attribute"),
    ("flask.helpers", "kolben.contexts", "stream_with_context"),
    ("flask.helpers", "kolben.cli", "get_debug_flag get_load_dotenv"),
    (
        "flask.templating",
        "kolben.templating",
        "Environment DispatchingJinjaLoader render_template render_template_string"
        " stream_template stream_template_string",
    ),
    ("flask.testing", "kolben.testing", "EnvironBuilder FlaskClient FlaskCliRunner"),
    (
        "flask.cli",
        "kolben.cli",
        "AppGroup FlaskGroup ScriptInfo NoAppException with_appcontext"
        " pass_script_info find_best_app locate_app prepare_import load_dotenv"
        " run_command shell_command routes_command cli main",
    ),
    ("flask.debughelpers", "kolben.templating", "explain_template_loading_attempts"),
]


@pytest.mark.parametrize(
    ("ours", "part", "name"),
    [(ours, part, name) for ours, part, names in SHARED for name in names.split()],
)
def test_flask_name_is_the_parts_object(ours: str, part: str, name: str) -> None:
    assert getattr(importlib.import_module(ours), name) is getattr(
        importlib.import_module(part), name
    )


def test_g_class_keeps_flasks_private_name() -> None:
    import flask.ctx
    import kolben.contexts

    assert flask.ctx._AppCtxGlobals is kolben.contexts.AppCtxGlobals


def test_app_composes_the_parts_facets() -> None:
    import flask
    import flask.sansio.app
    import flask.sansio.blueprints
    import kolben.cli
    import kolben.contexts
    import kolben.routing
    import kolben.templating
    import kolben.testing

    for facet in (
        kolben.contexts.ContextsAppFacet,
        kolben.routing.RoutingApp,
        kolben.templating.TemplatingAppFacet,
        kolben.testing.TestingAppFacet,
        kolben.cli.CliAppFacet,
    ):
        assert issubclass(flask.Flask, facet)
    for facet in (
        kolben.routing.Blueprint,
        kolben.templating.TemplatingBlueprintFacet,
        kolben.cli.CliBlueprintFacet,
    ):
        assert issubclass(flask.Blueprint, facet)
    assert flask.sansio.app.App is kolben.routing.RoutingApp
    assert flask.sansio.blueprints.Blueprint is kolben.routing.Blueprint


def test_cli_discovers_flask_apps() -> None:
    import flask
    import kolben.cli

    assert kolben.cli.is_app(flask.Flask(__name__))
