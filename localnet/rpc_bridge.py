"""A thin JSON-RPC front for chopsticks (HTTP and WebSocket, subscriptions included).

It forwards everything unchanged except the two requests where chopsticks 1.5.1 differs from a
real subtensor node and the bittensor SDK (11.3) trips:

- ``account_nextIndex`` (an alias a real node serves) becomes ``system_accountNextIndex``;
- ``state_call`` data without ``0x`` (a real node accepts it) gets the prefix.

Served by uvicorn (raw ASGI); the upstream WebSocket is the ``websockets`` library, one
upstream connection per client connection, so subscriptions stay on their own connection.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Callable

ALIASES = {"account_nextIndex": "system_accountNextIndex"}


def rewrite(message: str | bytes) -> str | bytes:
    """The request (single or batch) chopsticks understands; unparsable input passes unchanged."""
    try:
        doc = json.loads(message)
    except ValueError:
        return message
    changed = False
    for item in doc if isinstance(doc, list) else [doc]:
        if not isinstance(item, dict):
            continue
        method = item.get("method")
        if method in ALIASES:
            item["method"] = ALIASES[method]
            changed = True
        elif method == "state_call":
            params = item.get("params")
            if isinstance(params, list) and len(params) > 1 and isinstance(params[1], str) \
                    and not params[1].startswith("0x"):
                params[1] = "0x" + params[1]
                changed = True
    return json.dumps(doc) if changed else message


class Bridge:
    """ASGI app: POST / and WebSocket / forwarded to chopsticks at ``upstream`` (http://host:port)."""

    def __init__(self, upstream: str, on_startup: Callable[[], Any] | None = None) -> None:
        import urllib3

        self.upstream = upstream
        self.ws_upstream = "ws" + upstream[len("http"):]
        self._pool = urllib3.PoolManager(maxsize=8)
        self._on_startup = on_startup

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    if self._on_startup:
                        self._on_startup()
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            await self._websocket(receive, send)

    async def _http(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["method"] != "POST":
            await _reply(send, 200 if scope["method"] == "GET" else 405,
                         json.dumps({"status": "ok", "engine": "subtensor"}).encode())
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        try:
            status, data = await asyncio.to_thread(self._post, rewrite(body))
        except Exception as exc:  # noqa: BLE001 - any upstream failure is the client's 502
            status, data = 502, json.dumps({"jsonrpc": "2.0", "id": None, "error": {
                "code": -32000, "message": f"chopsticks did not answer: {exc}"}}).encode()
        await _reply(send, status, data)

    def _post(self, body: str | bytes) -> tuple[int, bytes]:
        reply = self._pool.request("POST", self.upstream, body=body, timeout=600,
                                   headers={"Content-Type": "application/json"}, retries=False)
        return reply.status, reply.data

    async def _websocket(self, receive: Callable, send: Callable) -> None:
        import websockets

        if (await receive())["type"] != "websocket.connect":
            return
        try:
            upstream = await websockets.connect(self.ws_upstream, max_size=None, ping_interval=None)
        except (OSError, websockets.WebSocketException):
            await send({"type": "websocket.close", "code": 1011})
            return
        await send({"type": "websocket.accept"})

        async def client_to_upstream() -> None:
            while True:
                message = await receive()
                if message["type"] == "websocket.disconnect":
                    return
                data = message.get("text")
                await upstream.send(rewrite(data if data is not None else message.get("bytes", b"")))

        async def upstream_to_client() -> None:
            async for data in upstream:
                await send({"type": "websocket.send", "text": data} if isinstance(data, str)
                           else {"type": "websocket.send", "bytes": data})

        tasks = [asyncio.create_task(client_to_upstream()), asyncio.create_task(upstream_to_client())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            # either side closing ends the pair; a closed connection's error is no news
            await asyncio.gather(*tasks, return_exceptions=True)
            await upstream.close()
            try:
                await send({"type": "websocket.close", "code": 1000})
            except Exception:  # noqa: BLE001 - the client is already gone
                pass


async def _reply(send: Callable, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
