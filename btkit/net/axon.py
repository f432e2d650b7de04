"""The miner's HTTP server: btauth/1, then the policy layer, then the task; signed JSON responses.

A raw ASGI app served by uvicorn. Order per request: body limit (413), signature checks (401),
policy from the synced metagraph (403: unregistered, no permit, stake floor), a stake-priority
gate when busy, the task in a worker thread with a timeout (504). Nothing reaches the task
before every check passed.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from btkit.net import btauth


@dataclass
class Policy:
    require_registered: bool = True
    require_permit: bool = True
    min_stake: int = 0
    max_body: int = 64 * 1024
    timeout_s: float = 5.0
    concurrency: int = 4


@dataclass
class PeerView:
    """What the miner knows of the subnet: hotkey -> (uid, stake, permit). Replaced atomically on sync."""

    peers: dict[str, tuple[int, int, bool]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, peers: dict[str, tuple[int, int, bool]]) -> None:
        with self.lock:
            self.peers = peers

    def get(self, hotkey: str) -> tuple[int, int, bool] | None:
        with self.lock:
            return self.peers.get(hotkey)


class StakeGate:
    """At most ``slots`` requests run at once; when busy, the highest stake goes next."""

    def __init__(self, slots: int) -> None:
        self.free = slots
        self.waiting: list[tuple[int, int, asyncio.Future]] = []
        self.seq = itertools.count()

    async def acquire(self, stake: int) -> None:
        if self.free > 0 and not self.waiting:
            self.free -= 1
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self.waiting, (-stake, next(self.seq), future))
        await future

    def release(self) -> None:
        while self.waiting:
            _, _, future = heapq.heappop(self.waiting)
            if not future.done():
                future.set_result(None)
                return
        self.free += 1


@dataclass
class Stats:
    served: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    errors: int = 0

    def refuse(self, reason: str) -> None:
        self.refused[reason] = self.refused.get(reason, 0) + 1


class AxonApp:
    def __init__(self, keypair, handler: Callable[[dict[str, Any]], dict[str, Any]], peers: PeerView,
                 policy: Policy | None = None) -> None:
        self.keypair = keypair
        self.handler = handler
        self.peers = peers
        self.policy = policy or Policy()
        self.nonces = btauth.NonceStore()
        self.gate = StakeGate(self.policy.concurrency)
        self.stats = Stats()

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        target = scope["path"] + (("?" + scope["query_string"].decode()) if scope.get("query_string") else "")
        if scope["method"] == "GET" and scope["path"] == "/health":
            await self._send(send, 200, {"status": "ok", "hotkey": self.keypair.ss58_address}, None, target)
            return
        if scope["method"] != "POST" or scope["path"] != "/forward":
            await self._send(send, 404, {"error": "POST /forward"}, None, target)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        body = await self._body(receive, headers)
        if body is None:
            self.stats.refuse("body too large")
            await self._send(send, 413, {"error": f"body larger than {self.policy.max_body} bytes"}, None, target)
            return
        try:
            caller = btauth.verify(headers, body, "POST", target, self.keypair.ss58_address, self.nonces)
        except btauth.AuthFailure as exc:
            self.stats.refuse(exc.reason.split(":")[0])
            await self._send(send, exc.status, {"error": exc.reason}, None, target)
            return
        refusal = self._policy(caller.hotkey)
        if refusal:
            self.stats.refuse(refusal)
            await self._send(send, 403, {"error": refusal}, caller.hotkey, target)
            return
        try:
            query = json.loads(body)
        except ValueError:
            await self._send(send, 400, {"error": "the body is not JSON"}, caller.hotkey, target)
            return
        peer = self.peers.get(caller.hotkey)
        await self.gate.acquire(peer[1] if peer else 0)
        try:
            loop = asyncio.get_running_loop()
            result = await asyncio.wait_for(loop.run_in_executor(None, self.handler, query), self.policy.timeout_s)
        except asyncio.TimeoutError:
            self.stats.errors += 1
            await self._send(send, 504, {"error": "the task timed out"}, caller.hotkey, target)
            return
        except Exception as exc:  # the task's bug is the miner's problem, not the caller's
            self.stats.errors += 1
            await self._send(send, 500, {"error": f"task failed: {type(exc).__name__}"}, caller.hotkey, target)
            return
        finally:
            self.gate.release()
        self.stats.served += 1
        await self._send(send, 200, result, caller.hotkey, target)

    def _policy(self, hotkey: str) -> str | None:
        peer = self.peers.get(hotkey)
        p = self.policy
        if peer is None:
            return "the caller is not registered on this subnet" if p.require_registered else None
        _, stake, permit = peer
        if p.require_permit and not permit:
            return "the caller has no validator permit"
        if stake < p.min_stake:
            return f"the caller's stake is below {p.min_stake} rao"
        return None

    async def _body(self, receive: Callable, headers: dict[str, str]) -> bytes | None:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.policy.max_body:
            return None
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.policy.max_body:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def _send(self, send: Callable, status: int, payload: Any, caller: str | None, target: str) -> None:
        body = json.dumps(payload).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        for k, v in btauth.sign(self.keypair, "RESPONSE", target, body, receiver=caller).items():
            headers.append((k.lower().encode(), v.encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def serve(app: AxonApp, host: str, port: int, on_started: Callable[[int], None] | None = None):
    """Run the server until SIGINT/SIGTERM (uvicorn handles the signals). Returns the uvicorn Server."""
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    server = uvicorn.Server(uvicorn.Config(app, loop="asyncio", http="httptools", lifespan="on",
                                           log_level="warning", access_log=False, timeout_graceful_shutdown=3))

    async def main() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if server.started and on_started:
            on_started(sock.getsockname()[1])
        await task

    asyncio.run(main())
    return server
