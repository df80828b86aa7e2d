"""Server-side sessions in Redis, for apps that run on several machines.

Each session is one string key, ``<prefix><id>``, holding a small header
(version, expiry) and the data, set with an expiry (``SET ... EX``), so Redis
drops expired sessions on its own. A load is one ``GET``; a save is a Lua
script that compares the stored version and sets the new value in one atomic
step; extending a session is ``EXPIRE`` plus an in-place rewrite of the
header's expiry digits. Only single-key commands and scripts are used, so any
redis-py client object works: a plain ``Redis``, one from
``Sentinel.master_for``, or a ``RedisCluster``.

Needs the ``redis`` package: ``pip install kolben-sessions[redis]``.
"""

from __future__ import annotations

import logging
import math
import time
import typing as t

from .store import Record
from .store import SessionStoreError

_log = logging.getLogger("kolben.sessions")

#: The record's header: the version and the expiry (Unix seconds), each
#: ten digits, so a load is one plain GET and a refresh rewrites only the
#: expiry's digits in place (SETRANGE), never the data.
_HEADER = 22

# KEYS[1]: the key. ARGV: expected version ("0": no key), data, expiry (Unix
# seconds), seconds to live. Returns the new version, or -1 when the stored
# version differs.
_CAS_SCRIPT = """
local current = redis.call('GET', KEYS[1])
local version = 0
if current then
    version = tonumber(string.sub(current, 1, 10)) or -1
end
if version ~= tonumber(ARGV[1]) then
    return -1
end
version = version + 1
local header = string.format('%010d:%010d:', version, tonumber(ARGV[3]))
redis.call('SET', KEYS[1], header .. ARGV[2], 'EX', ARGV[4])
return version
"""

# KEYS[1]: the key. ARGV: expiry (Unix seconds), seconds to live.
_TOUCH_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then
    return 0
end
redis.call('SETRANGE', KEYS[1], 11, string.format('%010d', tonumber(ARGV[1])))
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
"""


def _seconds_until(expires: float) -> int:
    return max(1, math.ceil(expires - time.time()))


class RedisStore:
    """Sessions in Redis under a key prefix.

    :param client: a redis-py client object (``Redis``, a Sentinel master,
        ``RedisCluster``, ...) or a ``redis://`` URL to connect to.
    :param key_prefix: put before each session id to form its key
        (``SESSION_KEY_PREFIX``).

    .. versionadded:: 0.1.0
    """

    name = "redis"

    def __init__(self, client: t.Any = None, *, key_prefix: str = "session:") -> None:
        import redis

        self._errors: tuple[type[BaseException], ...] = (redis.RedisError,)
        self._owns_client = client is None or isinstance(client, str)
        if client is None:
            client = "redis://127.0.0.1:6379/0"
        if isinstance(client, str):
            # Bounded waits, so a dead server becomes a 503 in seconds.
            client = redis.Redis.from_url(
                client, socket_connect_timeout=2, socket_timeout=5
            )
        #: The redis-py client.
        self.client = client
        #: The prefix of every session key.
        self.key_prefix = key_prefix
        self._cas = client.register_script(_CAS_SCRIPT)
        self._touch = client.register_script(_TOUCH_SCRIPT)

    def _fail(self, error: BaseException, action: str) -> SessionStoreError:
        _log.error("Redis session store: %s failed: %s", action, error)
        return SessionStoreError(self.name, f"{action}: {error}")

    def load(self, sid: str) -> Record | None:
        """Return the live record of ``sid``: one ``GET``."""
        try:
            value = self.client.get(self.key_prefix + sid)
        except self._errors as e:
            raise self._fail(e, "load") from e
        if value is None:
            return None
        value = bytes(value)
        head = value[:_HEADER]
        if (
            len(head) == _HEADER
            and head[10:11] == b":"
            and head[21:22] == b":"
            and head[:10].isdigit()
            and head[11:21].isdigit()
        ):
            return Record(value[_HEADER:], int(head[:10]), float(head[11:21]))
        # Not our layout: the interface treats it as a corrupt record.
        return Record(b"", 0, time.time() + 1)

    def save(self, sid: str, data: bytes, expires: float, version: int) -> int | None:
        """Compare-and-set the record of ``sid`` on ``version``, atomically in
        Redis."""
        try:
            result = self._cas(
                keys=[self.key_prefix + sid],
                args=[version, data, int(expires), _seconds_until(expires)],
            )
        except self._errors as e:
            raise self._fail(e, "save") from e
        new = int(result)
        return None if new < 0 else new

    def delete(self, sid: str) -> None:
        """Remove the record of ``sid``."""
        try:
            self.client.delete(self.key_prefix + sid)
        except self._errors as e:
            raise self._fail(e, "delete") from e

    def touch(self, sid: str, expires: float) -> None:
        """Extend ``sid``'s record with ``EXPIRE`` and rewrite the expiry in its
        header in place (``SETRANGE``), leaving its data alone."""
        key = self.key_prefix + sid
        try:
            if expires <= time.time():
                self.client.delete(key)
            else:
                self._touch(keys=[key], args=[int(expires), _seconds_until(expires)])
        except self._errors as e:
            raise self._fail(e, "touch") from e

    def purge_expired(self) -> int:
        """Nothing to do: Redis expires the keys itself."""
        return 0

    def close(self) -> None:
        """Close the connections of a client the store made from a URL; a
        client object that was passed in is left to its owner."""
        if self._owns_client:
            self.client.close()
