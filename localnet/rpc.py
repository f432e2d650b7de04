"""JSON-RPC 2.0 over HTTP as a raw ASGI app (served by uvicorn), and the method table."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from localnet.chain import InvalidTransaction

if TYPE_CHECKING:
    from localnet.node import Node

PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL = -32700, -32600, -32601, -32602, -32603
MAX_BATCH = 1000


class RpcError(Exception):
    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code, self.message, self.data = code, message, data

    def to_json(self) -> dict[str, Any]:
        err: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            err["data"] = self.data
        return err


def params_error(message: str) -> RpcError:
    return RpcError(INVALID_PARAMS, f"invalid params: {message}")


def _response(id_: Any, result: Any = None, error: RpcError | None = None) -> dict[str, Any]:
    if error is not None:
        return {"jsonrpc": "2.0", "id": id_, "error": error.to_json()}
    return {"jsonrpc": "2.0", "id": id_, "result": result}


class RpcApp:
    def __init__(self, node: "Node", methods: dict[str, Callable[..., Any]]) -> None:
        self.node = node
        self.methods = methods
        # Big batches run one at a time: the node is CPU-bound under load anyway, and single calls
        # (balance queries, a wallet's transfer) then wait behind one batch item, not behind all.
        self._batch_gate: asyncio.Semaphore | None = None

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if scope["method"] == "GET":
            await self._send(send, 200, {"status": "ok", "head": self.node.chain.head_number})
            return
        if scope["method"] != "POST":
            await self._send(send, 405, _response(None, error=RpcError(INVALID_REQUEST, "use HTTP POST")))
            return
        limit = self.node.config.max_body_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        too_big = RpcError(INVALID_REQUEST, f"request body too large (limit {limit // (1024 * 1024)} MiB)")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._send(send, 413, _response(None, error=too_big))
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._send(send, 413, _response(None, error=too_big))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self._send(send, 200, await self.handle_body(b"".join(chunks)))

    async def handle_body(self, body: bytes) -> Any:
        try:
            request = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return _response(None, error=RpcError(PARSE_ERROR, "parse error: the body is not valid JSON"))
        if isinstance(request, list):
            if not request:
                return _response(None, error=RpcError(INVALID_REQUEST, "empty batch"))
            if len(request) > MAX_BATCH:
                return _response(None, error=RpcError(INVALID_REQUEST, f"batch larger than {MAX_BATCH}"))
            if self._batch_gate is None:
                self._batch_gate = asyncio.Semaphore(1)
            async with self._batch_gate:
                replies = []
                for item in request:
                    replies.append(await self.handle_one(item))
                    await asyncio.sleep(0)  # let other connections' requests in between batch items
            return replies
        return await self.handle_one(request)

    async def handle_one(self, request: Any) -> dict[str, Any]:
        if not isinstance(request, dict) or request.get("jsonrpc") != "2.0" or not isinstance(request.get("method"), str):
            return _response(request.get("id") if isinstance(request, dict) else None,
                             error=RpcError(INVALID_REQUEST, "invalid request: expected {jsonrpc: '2.0', method, params, id}"))
        id_ = request.get("id")
        fn = self.methods.get(request["method"])
        if fn is None:
            return _response(id_, error=RpcError(METHOD_NOT_FOUND, f"method not found: {request['method']}"))
        params = request.get("params", [])
        try:
            if isinstance(params, dict):
                result = fn(**params)
            elif isinstance(params, list):
                result = fn(*params)
            else:
                raise params_error("params must be an array or an object")
            if inspect.isawaitable(result):
                result = await result
        except TypeError as exc:
            if _is_signature_error(exc, fn):
                return _response(id_, error=params_error(str(exc).split(") ", 1)[-1]))
            return _response(id_, error=RpcError(INTERNAL, f"internal error: {exc}"))
        except InvalidTransaction as exc:
            return _response(id_, error=RpcError(exc.code, f"Invalid Transaction: {exc.message}",
                                                 {"reason": exc.reason}))
        except RpcError as exc:
            return _response(id_, error=exc)
        except Exception as exc:  # keep serving whatever a method does
            self.node.log(f"internal error in {request['method']}: {type(exc).__name__}: {exc}")
            return _response(id_, error=RpcError(INTERNAL, f"internal error: {type(exc).__name__}: {exc}"))
        return _response(id_, result)

    async def _send(self, send: Callable, status: int, payload: Any) -> None:
        body = json.dumps(payload, separators=(",", ":")).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive: Callable, send: Callable) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.node.on_startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.node.on_shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return


def _is_signature_error(exc: TypeError, fn: Callable[..., Any]) -> bool:
    tb = exc.__traceback__
    # the error was raised by the call itself (bad arity/names), not deeper inside the method
    return tb is not None and tb.tb_next is None
