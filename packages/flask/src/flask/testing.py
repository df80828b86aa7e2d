"""Testing tools, from :mod:`kolben.testing`: the test client, the environ
builder and the CLI runner that ``app.test_client()``,
``app.test_request_context()`` and ``app.test_cli_runner()`` use.
"""

from __future__ import annotations

import importlib as importlib
import typing as t  # noqa: F401
from contextlib import contextmanager as contextmanager
from contextlib import ExitStack as ExitStack
from copy import copy as copy
from types import TracebackType as TracebackType
from urllib.parse import urlsplit as urlsplit

import werkzeug.wrappers
from click.testing import CliRunner as CliRunner
from click.testing import Result as Result
from werkzeug.test import Client as Client

from kolben.cli import ScriptInfo as ScriptInfo
from kolben.sessions import SessionMixin as SessionMixin
from kolben.testing import EnvironBuilder as EnvironBuilder
from kolben.testing import FlaskClient as FlaskClient
from kolben.testing import FlaskCliRunner as FlaskCliRunner

#: werkzeug's request class, which :class:`~flask.Request` extends.
BaseRequest = werkzeug.wrappers.Request
