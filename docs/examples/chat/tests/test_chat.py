"""The chat room under a real uvicorn, with two real WebSocket clients."""

from __future__ import annotations

import json
import typing as t

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect


def receive(client: ClientConnection) -> dict[str, t.Any]:
    data: dict[str, t.Any] = json.loads(client.recv(timeout=5))
    return data


def test_two_clients_see_each_others_messages(host: str) -> None:
    with connect(f"ws://{host}/ws?name=ada") as ada:
        assert receive(ada) == {"joined": "ada", "present": ["ada"]}
        with connect(f"ws://{host}/ws?name=bob") as bob:
            joined = {"joined": "bob", "present": ["ada", "bob"]}
            assert receive(ada) == joined
            assert receive(bob) == joined

            ada.send("hello bob")
            assert receive(ada) == {"from": "ada", "text": "hello bob"}
            assert receive(bob) == {"from": "ada", "text": "hello bob"}
            bob.send("hi ada, ünïcode ok")
            assert receive(bob) == {"from": "bob", "text": "hi ada, ünïcode ok"}
            assert receive(ada) == {"from": "bob", "text": "hi ada, ünïcode ok"}
        assert receive(ada) == {"left": "bob", "present": ["ada"]}


def test_bad_input_is_explained_to_the_sender_only(host: str) -> None:
    with connect(f"ws://{host}/ws?name=ada") as ada:
        receive(ada)
        with connect(f"ws://{host}/ws?name=bob") as bob:
            receive(ada), receive(bob)
            ada.send("x" * 1200)
            assert receive(ada) == {
                "error": "Messages are at most 1000 characters; this one has 1200."
            }
            ada.send(b"binary")
            assert receive(ada) == {"error": "Send non-empty text."}
            # Bob saw none of it: the next thing he gets is Ada's next message.
            ada.send("ok")
            assert receive(bob) == {"from": "ada", "text": "ok"}


@pytest.mark.parametrize("query", ["", "?name=", f"?name={'n' * 33}"])
def test_a_name_is_required(host: str, query: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://{host}/ws{query}")
    assert refused.value.response.status_code == 400
    assert refused.value.response.body == b"A name of 1 to 32 characters is required."


def test_the_page_points_at_the_websocket(host: str) -> None:
    page = httpx.get(f"http://{host}/")
    assert page.status_code == 200
    assert f'const socketUrl = "ws://{host}/ws";' in page.text
    # The WebSocket URL asked over plain HTTP says what it wants instead.
    assert httpx.get(f"http://{host}/ws").status_code == 426
