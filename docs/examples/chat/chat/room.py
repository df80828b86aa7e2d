"""The people in the chat room and the broadcast to all of them."""

from __future__ import annotations

import asyncio
import typing as t

from kolben.asgi import WebSocket
from kolben.asgi import WebSocketDisconnect


class Room:
    """The connected clients of one chat room.

    Lives on the server's event loop (``kolben.asgi`` awaits every handler
    there), so the coroutines below never run at the same time as each
    other's synchronous parts and need no lock.
    """

    def __init__(self) -> None:
        self.members: dict[WebSocket, str] = {}

    async def join(self, name: str, connection: WebSocket) -> None:
        """Add ``connection`` and announce ``name`` to everyone."""
        self.members[connection] = name
        await self.broadcast({"joined": name, "present": self.names()})

    async def leave(self, name: str, connection: WebSocket) -> None:
        """Remove ``connection`` and tell the others."""
        if self.members.pop(connection, None) is not None:
            await self.broadcast({"left": name, "present": self.names()})

    def names(self) -> list[str]:
        """Who is in the room, sorted."""
        return sorted(self.members.values())

    async def broadcast(self, message: dict[str, t.Any]) -> None:
        """Send ``message`` as JSON to every member at once; members whose
        connection is gone are dropped.
        """
        members = list(self.members)
        results = await asyncio.gather(
            *(member.send_json(message) for member in members),
            return_exceptions=True,
        )
        for member, result in zip(members, results, strict=True):
            if isinstance(result, WebSocketDisconnect):
                self.members.pop(member, None)
            elif isinstance(result, BaseException):
                raise result
