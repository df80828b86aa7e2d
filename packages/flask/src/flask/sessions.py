"""Sessions, from :mod:`kolben.sessions`.

The default :class:`SecureCookieSessionInterface` keeps the session in a
cookie signed with the app's ``SECRET_KEY``; set ``app.session_interface`` to
store sessions elsewhere.
"""

from __future__ import annotations

import collections.abc as c  # noqa: F401
import hashlib as hashlib
import typing as t  # noqa: F401
from collections.abc import MutableMapping as MutableMapping
from datetime import datetime as datetime
from datetime import timezone as timezone

from itsdangerous import BadSignature as BadSignature
from itsdangerous import URLSafeTimedSerializer as URLSafeTimedSerializer
from werkzeug.datastructures import CallbackDict as CallbackDict

from kolben.sessions import NullSession as NullSession
from kolben.sessions import SecureCookieSession as SecureCookieSession
from kolben.sessions import SecureCookieSessionInterface as SecureCookieSessionInterface
from kolben.sessions import session_json_serializer as session_json_serializer
from kolben.sessions import SessionInterface as SessionInterface
from kolben.sessions import SessionMixin as SessionMixin
from kolben.sessions import TaggedJSONSerializer as TaggedJSONSerializer
