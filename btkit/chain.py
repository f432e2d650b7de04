"""The one chain client: JSON-RPC over HTTP, typed queries, signed submission.

The transport is the standard library's keep-alive ``http.client`` (one connection per thread):
every chain command pays its import, and ``requests`` would add ~0.15 s to each of them.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from btkit.errors import BtkitError, ChainRejectedError, NodeUnreachableError, UsageError
from btkit.extrinsic import build_signed

DEFAULT_URL = "http://127.0.0.1:9944"


def resolve_network(network: str | None, data_dir: Path | None = None, cfg=None) -> str:
    """``local`` (the node of ``data_dir``, else port 9944) or an ``http(s)://`` URL."""
    from btkit import config

    cfg = cfg or config.load()
    network = network or cfg["network"]
    if network == "local":
        node_file = (data_dir or cfg.path_value("localnet.data_dir")) / "node.json"
        try:
            return json.loads(node_file.read_text())["url"]
        except (OSError, ValueError, KeyError):
            return DEFAULT_URL
    if network.startswith(("http://", "https://")):
        return network.rstrip("/")
    raise UsageError(f"unknown network {network!r}", hint="use --network local or --network http://HOST:PORT")


@dataclass
class SubmitResult:
    hash: str
    success: bool
    block: int | None = None
    block_hash: str | None = None
    error: str | None = None
    message: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}

    def raise_for_error(self) -> "SubmitResult":
        """Inclusion is not success: raise the dispatch error, with its explanation."""
        if not self.success:
            raise DispatchFailed(self)
        return self


class DispatchFailed(ChainRejectedError):
    code = "dispatch_error"

    def __init__(self, result: SubmitResult) -> None:
        from btkit.explain import explain_short

        text, hint = explain_short(result.error or "Unknown", result.message or "")
        super().__init__(f"{result.error}: {text} (included in block {result.block})", hint)
        self.result = result


class RpcCallError(BtkitError):
    code = "rpc_error"

    def __init__(self, method: str, error: dict[str, Any]) -> None:
        self.rpc_code = error.get("code")
        self.data = error.get("data")
        hint = ""
        if isinstance(self.data, dict) and self.data.get("error"):
            from btkit.explain import explain_short

            hint = explain_short("SubtensorModule." + str(self.data["error"]))[1]
        super().__init__(f"{method}: {error.get('message')}", hint)


class ChainClient:
    def __init__(self, url: str = DEFAULT_URL, timeout: float = 10.0) -> None:
        from urllib.parse import urlsplit

        self.url = url
        self.timeout = timeout
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"not a node URL: {url!r}", hint="use http://HOST:PORT")
        self._scheme, self._host = parts.scheme, parts.hostname
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._path = parts.path or "/"
        self._local = threading.local()
        self._ids = itertools.count(1)
        self._genesis: bytes | None = None

    # -- transport ----------------------------------------------------------------------
    def _connection(self, timeout: float):
        import http.client

        conn = getattr(self._local, "conn", None)
        if conn is None:
            cls = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
            conn = cls(self._host, self._port, timeout=timeout)
            self._local.conn = conn
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn

    def _post(self, payload: Any, timeout: float | None) -> Any:
        import http.client
        import socket

        wait = timeout or self.timeout
        body = json.dumps(payload).encode()
        headers = {"content-type": "application/json"}
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            conn = self._connection(wait)
            try:
                conn.request("POST", self._path, body=body, headers=headers)
                response = conn.getresponse()
                raw = response.read()
                break
            except socket.timeout:
                self._drop()
                raise NodeUnreachableError(f"the node at {self.url} did not answer within {wait} s",
                                           hint="check `btkit localnet status` and `btkit localnet logs`") from None
            except (ConnectionRefusedError, socket.gaierror):
                self._drop()
                raise NodeUnreachableError(f"no localnet at {self.url} — run `btkit localnet up`",
                                           hint="or pass --network URL for another node") from None
            except (http.client.HTTPException, ConnectionError, OSError):
                self._drop()
                if attempt == 2:
                    raise NodeUnreachableError(f"no localnet at {self.url} — run `btkit localnet up`",
                                               hint="or pass --network URL for another node") from None
        try:
            return json.loads(raw)
        except ValueError:
            raise BtkitError(f"{self.url} did not answer JSON-RPC (HTTP {response.status})") from None

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def call(self, method: str, *params: Any, timeout: float | None = None) -> Any:
        reply = self._post({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)},
                           timeout)
        if "error" in reply:
            error = reply["error"]
            if error.get("code") in (1010, 1014):
                raise ChainRejectedError(f"rejected by the node: {error.get('message')}",
                                         hint=_reject_hint((error.get("data") or {}).get("reason")))
            raise RpcCallError(method, error)
        return reply.get("result")

    def batch(self, calls: list[tuple[str, list[Any]]], timeout: float | None = None) -> list[Any]:
        payload = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(calls)]
        replies = self._post(payload, timeout)
        by_id = {r.get("id"): r for r in replies}
        out = []
        for i, (method, _) in enumerate(calls):
            reply = by_id[i]
            if "error" in reply:
                raise RpcCallError(method, reply["error"])
            out.append(reply["result"])
        return out

    # -- typed queries ------------------------------------------------------------------
    @property
    def genesis_hash(self) -> bytes:
        if self._genesis is None:
            self._genesis = bytes.fromhex(self.call("chain_getBlockHash", 0)[2:])
        return self._genesis

    def head(self) -> dict[str, Any]:
        return self.call("chain_getHeader")

    def node_info(self) -> dict[str, Any]:
        return self.call("localnet_nodeInfo")

    def balance(self, address: str) -> int:
        return int(self.call("balances_account", address)["free"])

    def next_index(self, address: str) -> int:
        return int(self.call("system_accountNextIndex", address))

    def total_issuance(self) -> int:
        return int(self.call("balances_totalIssuance"))

    # -- submission ---------------------------------------------------------------------
    def sign(self, keypair: Any, call: dict[str, Any], nonce: int | None = None,
             birth: int | None = None) -> dict[str, Any]:
        if nonce is None or birth is None:
            n, head = self.batch([("system_accountNextIndex", [keypair.ss58_address]), ("chain_getHeader", [])])
            nonce = n if nonce is None else nonce
            birth = head["number"] if birth is None else birth
        return build_signed(keypair, call, nonce, self.genesis_hash, birth)

    def submit(self, keypair: Any, call: dict[str, Any], wait: str = "inclusion", timeout: float = 60,
               nonce: int | None = None) -> SubmitResult:
        """Sign and submit; ``wait="inclusion"`` returns the block, events and dispatch result."""
        xt = self.sign(keypair, call, nonce)
        if wait == "none":
            return SubmitResult(hash=self.call("author_submitExtrinsic", xt), success=True)
        reply = self.call("author_submitAndWait", xt, timeout, timeout=timeout + 5)
        return SubmitResult(hash=reply["hash"], success=reply["success"], block=reply["block"],
                            block_hash=reply["block_hash"], error=reply.get("error"), message=reply.get("message"),
                            events=reply.get("events", []))


def _reject_hint(reason: str | None) -> str:
    return {
        "Stale": "the nonce was used already: resubmit and btkit picks the next nonce",
        "BadProof": "the signature did not verify on this chain (was the chain reset? resubmit)",
        "AncientBirthBlock": "the extrinsic's era expired: sign and submit it again",
        "PoolFull": "wait for pending extrinsics to be included, then retry",
    }.get(reason or "", "")
