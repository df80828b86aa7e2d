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

import hashlib
import inspect
import logging
import math
import os
import time
import typing as t
import weakref

from .store import Record
from .store import SessionStoreError

_log = logging.getLogger("kolben.sessions")

#: The record's header: the version and the expiry (Unix seconds), each
#: ten digits, so a load is one plain GET and a refresh rewrites only the
#: expiry's digits in place (SETRANGE), never the data.
_HEADER = 22

# KEYS[1]: the key. ARGV: the expected version's ten digits (all zeros: no
# key), the new value (header and data), seconds to live. Returns 1, or 0
# when the stored version differs. Only the version's digits are read
# (GETRANGE), so a large record is not copied into the script.
_CAS_SCRIPT = """
local stored = redis.call('GETRANGE', KEYS[1], 0, 9)
if stored == '' then
    stored = '0000000000'
end
if stored ~= ARGV[1] then
    return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
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


#: How many connections the store keeps out of the client's pool between
#: commands: enough for the threads of a busy worker.
_KEEP_IDLE = 32


def _seconds_until(expires: float) -> int:
    return max(1, math.ceil(expires - time.time()))


def _takes_command_name(pool: t.Any) -> bool:
    """Whether ``pool.get_connection`` still requires the command name, as
    before redis-py 5.3 (later versions warn when it is given)."""
    try:
        parameter = inspect.signature(pool.get_connection).parameters["command_name"]
    except (KeyError, TypeError, ValueError):
        return False
    return parameter.default is inspect.Parameter.empty


#: Stores that keep connections; a forked worker process must not use its
#: parent's, so each child starts with none (the pool does the same).
_forget_after_fork: weakref.WeakSet[RedisStore] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for store in list(_forget_after_fork):
        store._idle = []


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class _Script:
    """A Lua script run by ``EVALSHA``, sent with ``SCRIPT LOAD`` only when
    the server does not know it (first use, or after a restart)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode()).hexdigest().encode()


class RedisStore:
    """Sessions in Redis under a key prefix.

    Each request costs one round trip to load (``GET``) and one to save (an
    ``EVALSHA`` that compares and sets). With a plain ``redis.Redis`` client
    the store sends those commands on a connection of the client's own pool
    directly, skipping redis-py's per-command bookkeeping; a connection that
    breaks is dropped and the command tried once more on a fresh one. Any
    other client object (Sentinel masters are plain clients too; a
    ``RedisCluster``; a client pinned to one connection) is called through
    its ordinary command methods.

    :param client: a redis-py client object (``Redis``, a Sentinel master,
        ``RedisCluster``, ...) or a ``redis://`` URL to connect to.
    :param key_prefix: put before each session id to form its key
        (``SESSION_KEY_PREFIX``).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
        Commands go straight to a pooled connection of a plain client.
    """

    name = "redis"

    def __init__(self, client: t.Any = None, *, key_prefix: str = "session:") -> None:
        import redis

        self._errors: tuple[type[BaseException], ...] = (redis.RedisError,)
        self._broken: tuple[type[BaseException], ...] = (
            redis.ConnectionError,
            redis.TimeoutError,
            OSError,
        )
        # A timeout is not retried: the server is slow, not gone.
        self._closed: tuple[type[BaseException], ...] = (redis.ConnectionError,)
        self._no_script: type[BaseException] = redis.exceptions.NoScriptError
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
        self._cas = _Script(_CAS_SCRIPT)
        self._touch = _Script(_TOUCH_SCRIPT)
        # Only a plain client whose commands each take a connection from its
        # pool can be driven connection by connection.
        pool = getattr(client, "connection_pool", None)
        direct = (
            isinstance(client, redis.Redis)
            and getattr(client, "connection", None) is None
            and isinstance(pool, redis.ConnectionPool)
        )
        self._pool: t.Any = pool if direct else None
        # Connections taken from the pool and kept between commands, so a
        # command skips the pool's bookkeeping; each holds no unread reply
        # (a connection interrupted mid-reply is disconnected).
        self._idle: list[t.Any] = []
        if direct:
            _forget_after_fork.add(self)
        self._name_args: tuple[str, ...] = (
            ("GET",) if direct and _takes_command_name(pool) else ()
        )

    def _fail(self, error: BaseException, action: str) -> SessionStoreError:
        _log.error("Redis session store: %s failed: %s", action, error)
        return SessionStoreError(self.name, f"{action}: {error}")

    def _command(self, *args: t.Any) -> t.Any:
        """Run one command and return its raw reply."""
        if self._pool is None:
            return self.client.execute_command(*args)
        # The checkout and checkin, written out: this runs twice a request.
        try:
            conn = self._idle.pop()
        except IndexError:
            conn = self._pool.get_connection(*self._name_args)
        try:
            for last in (False, True):
                try:
                    conn.send_command(*args)
                    return conn.read_response(disable_decoding=True)
                except self._broken as e:
                    conn.disconnect()
                    # A connection the server closed since it was last used
                    # (a restart, an idle timeout): once more, reconnected.
                    if last or not isinstance(e, self._closed):
                        raise
                except BaseException as e:
                    if not isinstance(e, self._errors):
                        # Interrupted mid-reply: the connection's state is
                        # unknown.
                        conn.disconnect()
                    raise
            raise AssertionError("unreachable")
        finally:
            idle = self._idle
            if len(idle) < _KEEP_IDLE:
                idle.append(conn)
            else:
                self._pool.release(conn)

    def _run(self, script: _Script, key: str, *args: t.Any) -> t.Any:
        """Run ``script`` on ``key`` with one ``EVALSHA``."""
        try:
            return self._command("EVALSHA", script.sha, b"1", key, *args)
        except self._no_script:
            self._command("SCRIPT", "LOAD", script.source)
            return self._command("EVALSHA", script.sha, b"1", key, *args)

    def load(self, sid: str) -> Record | None:
        """Return the live record of ``sid``: one ``GET``."""
        try:
            value = self._command("GET", self.key_prefix + sid)
        except self._errors as e:
            raise self._fail(e, "load") from e
        if value is None:
            return None
        if isinstance(value, str):
            # A client that decodes its replies (``decode_responses``).
            value = value.encode()
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
        Redis: one ``EVALSHA``."""
        try:
            # Bytes, which redis-py sends as they are.
            result = self._run(
                self._cas,
                self.key_prefix + sid,
                b"%010d" % version,
                b"%010d:%010d:" % (version + 1, int(expires)) + data,
                b"%d" % _seconds_until(expires),
            )
        except self._errors as e:
            raise self._fail(e, "save") from e
        return version + 1 if int(result) == 1 else None

    def delete(self, sid: str) -> None:
        """Remove the record of ``sid``."""
        try:
            self._command("DEL", self.key_prefix + sid)
        except self._errors as e:
            raise self._fail(e, "delete") from e

    def touch(self, sid: str, expires: float) -> None:
        """Extend ``sid``'s record with ``EXPIRE`` and rewrite the expiry in its
        header in place (``SETRANGE``), leaving its data alone: one
        ``EVALSHA``."""
        key = self.key_prefix + sid
        try:
            if expires <= time.time():
                self._command("DEL", key)
            else:
                self._run(self._touch, key, int(expires), _seconds_until(expires))
        except self._errors as e:
            raise self._fail(e, "touch") from e

    def purge_expired(self) -> int:
        """Nothing to do: Redis expires the keys itself."""
        return 0

    def close(self) -> None:
        """Close the connections of a client the store made from a URL; a
        client object that was passed in is left to its owner."""
        idle, self._idle = self._idle, []
        for conn in idle:
            self._pool.release(conn)
        if self._owns_client:
            self.client.close()
