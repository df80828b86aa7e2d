"""Signed-cookie sessions, the tagged JSON serializer, and a session middleware
for any WSGI application.
"""

from __future__ import annotations

import importlib
import typing as t

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

if t.TYPE_CHECKING:
    from .redis_store import RedisStore as RedisStore
    from .server import interface_from_config as interface_from_config
    from .server import ServerSideSession as ServerSideSession
    from .server import ServerSideSessionInterface as ServerSideSessionInterface
    from .sqlite_store import SQLiteStore as SQLiteStore
    from .store import MemoryStore as MemoryStore
    from .store import Record as Record
    from .store import SessionStore as SessionStore
    from .store import SessionStoreError as SessionStoreError
    from .store import SessionTooLargeError as SessionTooLargeError

# Server-side sessions are imported on first use, so an app on cookie
# sessions never loads them.
_LAZY = {
    "RedisStore": "redis_store",
    "interface_from_config": "server",
    "ServerSideSession": "server",
    "ServerSideSessionInterface": "server",
    "SQLiteStore": "sqlite_store",
    "MemoryStore": "store",
    "Record": "store",
    "SessionStore": "store",
    "SessionStoreError": "store",
    "SessionTooLargeError": "store",
}


def __getattr__(name: str) -> t.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
