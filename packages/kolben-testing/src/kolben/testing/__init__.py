"""An application-aware test client, environ builder and CLI runner.

``kolben.testing`` is what ``flask.testing`` re-exports and what
``app.test_client()``, ``app.test_request_context()`` and ``app.test_cli_runner()``
return; the client also tests any plain WSGI application.
"""

from __future__ import annotations

from .client import FlaskClient as FlaskClient
from .client import PRESERVE_CONTEXT_KEY as PRESERVE_CONTEXT_KEY
from .environ import EnvironBuilder as EnvironBuilder
from .facet import TestingAppFacet as TestingAppFacet
from .protocols import BuilderApp as BuilderApp
from .protocols import FacetOwner as FacetOwner
from .protocols import JSONProvider as JSONProvider
from .protocols import RunnerApp as RunnerApp
from .protocols import SessionApp as SessionApp
from .protocols import SessionBackend as SessionBackend
from .runner import FlaskCliRunner as FlaskCliRunner
from .runner import StaticScriptInfo as StaticScriptInfo
