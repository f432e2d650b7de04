"""Signed HTTP calls (btauth/1) with response checks, and the validator's concurrent client."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from btkit.net import btauth

MAX_RESPONSE = 256 * 1024


class ReplyError(Exception):
    """The call failed or its response is not to be trusted; ``reason`` says which."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.status = reason, status


@dataclass
class SignedResponse:
    status: int
    data: Any
    headers: dict[str, str]
    body: bytes


def signed_call(session, keypair, method: str, url: str, target: str, body: bytes, receiver: str,
                timeout: float, max_response: int = MAX_RESPONSE,
                headers: dict[str, str] | None = None) -> SignedResponse:
    """Send a btauth/1 request signed by ``keypair`` for ``receiver`` and return its response once the
    response's own btauth/1 signature verifies: signed by ``receiver``, for us, over this target and
    body, fresh. ``session`` is a ``requests.Session``; ``headers``: the request's btauth/1 headers
    when signed beforehand. Raises ``ReplyError`` (timeouts, resets, oversize or non-JSON bodies,
    bad signatures), never anything else.
    """
    started = time.monotonic()
    headers = {**(headers or btauth.sign(keypair, method, target, body, receiver=receiver)),
               "content-type": "application/json"}
    try:
        with session.request(method, url + target, data=body, headers=headers, timeout=timeout, stream=True) as r:
            raw = r.raw.read(max_response + 1, decode_content=True)
            status, response_headers = r.status_code, dict(r.headers)
    except Exception as exc:  # resets surface as urllib3 errors mid-read: any failure is the callee's
        raise ReplyError(type(exc).__name__) from None
    if len(raw) > max_response:
        raise ReplyError("response too large", status)
    if time.monotonic() - started > timeout:
        raise ReplyError("timeout", status)
    try:  # refusals before the caller is known (401, 413) are signed but bound to no one
        caller = btauth.verify(response_headers, raw, "RESPONSE", target, keypair.ss58_address, None,
                               require_receiver=status == 200)
    except btauth.AuthFailure as exc:
        raise ReplyError(f"unsigned response: {exc.reason}", status) from None
    if caller.hotkey != receiver:
        raise ReplyError("response signed by another hotkey", status)
    try:
        data = json.loads(raw)
    except ValueError:
        raise ReplyError("the response is not JSON", status) from None
    return SignedResponse(status, data, response_headers, raw)


def session(connections: int):
    import requests

    s = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=connections, pool_maxsize=connections)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    return s


@dataclass
class Reply:
    uid: int
    hotkey: str
    ok: bool
    data: Any = None
    error: str = ""
    seconds: float = 0.0


class Client:
    def __init__(self, keypair, timeout: float = 2.0, workers: int = 64) -> None:
        self.keypair = keypair
        self.timeout = timeout
        self.session = session(workers)
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="query")

    def query_all(self, targets: list[tuple[int, str, str]], query: dict[str, Any]) -> list[Reply]:
        """``targets``: (uid, hotkey, base URL). One reply per target, in order; never raises."""
        body = json.dumps(query).encode()
        return list(self.pool.map(lambda t: self.query(t[0], t[1], t[2], body), targets))

    def query(self, uid: int, hotkey: str, url: str, body: bytes, timeout: float | None = None) -> Reply:
        """``POST /forward`` to one miner; any failure is a ``Reply`` with ``ok=False``, never an exception."""
        started = time.monotonic()
        try:
            r = signed_call(self.session, self.keypair, "POST", url, "/forward", body, hotkey,
                            self.timeout if timeout is None else timeout)
        except ReplyError as exc:
            return Reply(uid, hotkey, False, error=exc.reason, seconds=time.monotonic() - started)
        if r.status != 200:
            return Reply(uid, hotkey, False, error=f"HTTP {r.status}", seconds=time.monotonic() - started)
        return Reply(uid, hotkey, True, r.data, seconds=time.monotonic() - started)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.session.close()
