"""btauth/1 servers: a signed ASGI base (``SignedApp``) and the miner's server (``AxonApp``).

Raw ASGI apps served by uvicorn. Order per request: body limit (413), signature checks (401),
then the route's policy. The miner's: policy from the synced metagraph (403: unregistered, no
permit, stake floor), a stake-priority gate when busy, the task in a worker thread with a
timeout (504). Nothing reaches the task before every check passed. The validator's gateway
(``btkit.gateway``) is the other ``SignedApp``.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import json
import threading
from collections.abc import Awaitable, Callable
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

    def fields(self) -> dict[str, Any]:
        """What every status line shows, the same way: ``served``, ``refused`` (the total),
        ``refused_by`` (reason -> count, only when some were refused) and ``errors``."""
        out: dict[str, Any] = {"served": self.served, "refused": sum(self.refused.values())}
        if self.refused:
            out["refused_by"] = dict(self.refused)
        out["errors"] = self.errors
        return out


@dataclass
class Request:
    """One HTTP request after the body limit and (on signed routes) the btauth/1 checks."""

    method: str
    path: str
    target: str
    headers: dict[str, str]
    body: bytes
    caller: btauth.Caller | None


Handler = Callable[[Request], Awaitable[tuple[int, Any]]]


class SignedApp:
    """A raw ASGI app for btauth/1 servers: routes, a body limit (413), the signature checks on signed
    routes (401, before any handler runs), and JSON responses signed by ``keypair`` (method
    ``RESPONSE``, receiver = the verified caller). Subclasses register routes and their policy.
    """

    def __init__(self, keypair, max_body: int) -> None:
        self.keypair = keypair
        self.max_body = max_body
        self.nonces = btauth.NonceStore()
        self.stats = Stats()
        self.routes: dict[tuple[str, str], tuple[Handler, bool]] = {}

    def route(self, method: str, path: str, handler: Handler, signed: bool = True) -> None:
        self.routes[(method, path)] = (handler, signed)

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
        route = self.routes.get((scope["method"], scope["path"]))
        if route is None:
            await self.respond(send, 404, {"error": "no such route; this server answers "
                                           + ", ".join(f"{m} {p}" for m, p in self.routes)}, None, target)
            return
        handler, signed = route
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        body = await self._body(receive, headers)
        if body is None:
            self.stats.refuse("body too large")
            await self.respond(send, 413, {"error": f"body larger than {self.max_body} bytes"}, None, target)
            return
        caller = None
        if signed:
            try:
                caller = btauth.verify(headers, body, scope["method"], target, self.keypair.ss58_address,
                                       self.nonces)
            except btauth.AuthFailure as exc:
                self.stats.refuse(exc.reason.split(":")[0])
                await self.respond(send, exc.status, {"error": exc.reason}, None, target)
                return
        status, payload = await handler(Request(scope["method"], scope["path"], target, headers, body, caller))
        await self.respond(send, status, payload, caller.hotkey if caller else None, target)

    async def _body(self, receive: Callable, headers: dict[str, str]) -> bytes | None:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            return None
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def respond(self, send: Callable, status: int, payload: Any, caller: str | None, target: str) -> None:
        body = json.dumps(payload).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        for k, v in btauth.sign(self.keypair, "RESPONSE", target, body, receiver=caller).items():
            headers.append((k.lower().encode(), v.encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class AxonApp(SignedApp):
    """The miner's server: ``GET /health`` and signed ``POST /forward`` to the task."""

    def __init__(self, keypair, handler: Callable[[dict[str, Any]], dict[str, Any]], peers: PeerView,
                 policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        super().__init__(keypair, self.policy.max_body)
        self.handler = handler
        self.peers = peers
        self.gate = StakeGate(self.policy.concurrency)
        self.route("GET", "/health", self._health, signed=False)
        self.route("POST", "/forward", self._forward)

    async def _health(self, request: Request) -> tuple[int, Any]:
        return 200, {"status": "ok", "hotkey": self.keypair.ss58_address}

    async def _forward(self, request: Request) -> tuple[int, Any]:
        assert request.caller is not None
        refusal = self._policy(request.caller.hotkey)
        if refusal:
            self.stats.refuse(refusal)
            return 403, {"error": refusal}
        try:
            query = json.loads(request.body)
        except ValueError:
            return 400, {"error": "the body is not JSON"}
        peer = self.peers.get(request.caller.hotkey)
        await self.gate.acquire(peer[1] if peer else 0)
        try:
            loop = asyncio.get_running_loop()
            result = await asyncio.wait_for(loop.run_in_executor(None, self.handler, query), self.policy.timeout_s)
        except asyncio.TimeoutError:
            self.stats.errors += 1
            return 504, {"error": "the task timed out"}
        except Exception as exc:  # the task's bug is the miner's problem, not the caller's
            self.stats.errors += 1
            return 500, {"error": f"task failed: {type(exc).__name__}"}
        finally:
            self.gate.release()
        self.stats.served += 1
        return 200, result

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


def _listen(host: str, port: int):
    import socket

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


def _server(app: SignedApp):
    import uvicorn

    return uvicorn.Server(uvicorn.Config(app, loop="asyncio", http="httptools", lifespan="on",
                                         log_level="warning", access_log=False, timeout_graceful_shutdown=3))


def serve(app: SignedApp, host: str, port: int, on_started: Callable[[int], None] | None = None):
    """Run the server until SIGINT/SIGTERM (uvicorn handles the signals). Returns the uvicorn Server."""
    sock = _listen(host, port)
    server = _server(app)

    async def main() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if server.started and on_started:
            on_started(sock.getsockname()[1])
        await task

    asyncio.run(main())
    return server


class BackgroundServer:
    """``app`` served from a daemon thread (signals stay with the main thread): ``port``, ``stop()``.
    Raises ``OSError`` when the address is taken, ``RuntimeError`` when the server does not start in 10 s."""

    def __init__(self, app: SignedApp, host: str, port: int) -> None:
        import time

        sock = _listen(host, port)
        self.port = sock.getsockname()[1]
        self.server = _server(app)
        self.thread = threading.Thread(target=lambda: asyncio.run(self.server.serve(sockets=[sock])), daemon=True,
                                       name=f"server-{self.port}")
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the server on {host}:{port} did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)
