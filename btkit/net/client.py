"""The validator's client: concurrent signed queries with per-request timeouts and response checks."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from btkit.net import btauth

MAX_RESPONSE = 256 * 1024


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
        import requests

        self.keypair = keypair
        self.timeout = timeout
        self.session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=workers, pool_maxsize=workers)
        self.session.mount("http://", adapter)
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="query")

    def query_all(self, targets: list[tuple[int, str, str]], query: dict[str, Any]) -> list[Reply]:
        """``targets``: (uid, hotkey, base URL). One reply per target, in order; never raises."""
        body = json.dumps(query).encode()
        return list(self.pool.map(lambda t: self.query(t[0], t[1], t[2], body), targets))

    def query(self, uid: int, hotkey: str, url: str, body: bytes) -> Reply:
        started = time.monotonic()
        target = "/forward"
        headers = btauth.sign(self.keypair, "POST", target, body, receiver=hotkey)
        headers["content-type"] = "application/json"
        try:
            with self.session.post(url + target, data=body, headers=headers, timeout=self.timeout,
                                   stream=True) as r:
                raw = r.raw.read(MAX_RESPONSE + 1, decode_content=True)
                if len(raw) > MAX_RESPONSE:
                    return Reply(uid, hotkey, False, error="response too large", seconds=time.monotonic() - started)
                if time.monotonic() - started > self.timeout:
                    return Reply(uid, hotkey, False, error="timeout", seconds=time.monotonic() - started)
                try:  # the response must be signed by the miner we asked, for us
                    caller = btauth.verify(r.headers, raw, "RESPONSE", target, self.keypair.ss58_address, None)
                except btauth.AuthFailure as exc:
                    return Reply(uid, hotkey, False, error=f"unsigned response: {exc.reason}",
                                 seconds=time.monotonic() - started)
                if caller.hotkey != hotkey:
                    return Reply(uid, hotkey, False, error="response signed by another hotkey")
                if r.status_code != 200:
                    return Reply(uid, hotkey, False, error=f"HTTP {r.status_code}", seconds=time.monotonic() - started)
                return Reply(uid, hotkey, True, json.loads(raw), seconds=time.monotonic() - started)
        except Exception as exc:  # resets surface as urllib3 errors mid-read: any failure is this miner's zero
            return Reply(uid, hotkey, False, error=type(exc).__name__, seconds=time.monotonic() - started)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.session.close()
