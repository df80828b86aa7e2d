"""Signed-cookie sessions, the tagged JSON serializer, and a session middleware
for any WSGI application.
"""

from __future__ import annotations

from .middleware import ENVIRON_KEY as ENVIRON_KEY
from .middleware import get_session as get_session
from .middleware import SessionMiddleware as SessionMiddleware
from .protocols import SessionApp as SessionApp
from .protocols import SessionJSON as SessionJSON
from .sessions import NullSession as NullSession
from .sessions import SecureCookieSession as SecureCookieSession
from .sessions import SecureCookieSessionInterface as SecureCookieSessionInterface
from .sessions import session_json_serializer as session_json_serializer
from .sessions import SessionInterface as SessionInterface
from .sessions import SessionMixin as SessionMixin
from .tag import JSONTag as JSONTag
from .tag import TaggedJSONSerializer as TaggedJSONSerializer
