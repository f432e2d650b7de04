"""``--network`` resolution: a name or URL -> an ``Endpoint`` (URL and the kind of backend for it).

Accepted (also from ``BTKIT_NETWORK`` and config ``network``):

- ``local``: the node of the localnet data dir (btkit's node, or the subtensor engine's bridge),
  else ``http://127.0.0.1:9944``;
- ``finney``, ``test``, ``archive``: btcli's endpoints (``NETWORKS``), Substrate subtensor nodes;
- ``ws://``/``wss://`` URLs: Substrate nodes;
- ``http(s)://`` URLs: either kind (``"auto"``): ``detect`` tells which with one JSON-RPC request
  when the chain is opened (resolving itself never reaches the network).

With nothing configured (config ``network`` at its default), the bittensor SDK's endpoint
variable is honoured: ``BT_CHAIN_ENDPOINT`` (bittensor 10+, ``bittensor/settings.py``), then
``BT_SUBTENSOR_CHAIN_ENDPOINT`` (older SDKs).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from btkit.errors import BtkitError, NodeUnreachableError, UsageError

DEFAULT_URL = "http://127.0.0.1:9944"
NETWORKS = {  # btcli's (bittensor.settings.NETWORKS)
    "finney": "wss://entrypoint-finney.opentensor.ai:443",
    "test": "wss://test.finney.opentensor.ai:443",
    "archive": "wss://archive.chain.opentensor.ai:443",
}
SDK_ENDPOINT_VARS = ("BT_CHAIN_ENDPOINT", "BT_SUBTENSOR_CHAIN_ENDPOINT")
HINT = "use local, finney, test, archive, ws(s)://HOST:PORT or http(s)://HOST:PORT"


@dataclass(frozen=True)
class Endpoint:
    """Where a chain answers: ``url`` and the backend ``kind`` that speaks to it; ``chain`` is the
    node's chain name where resolving asked for it (http URLs)."""

    url: str
    kind: Literal["localnet", "subtensor", "auto"]
    chain: str | None = None
    local: bool = False  # btkit's node reached through ``--network local``: "unreachable" then suggests `localnet up`

    def describe(self) -> str:
        what = "btkit localnet" if self.kind == "localnet" else "Substrate subtensor node"
        return f"{self.url}: {what}" + (f" (chain {self.chain!r})" if self.chain else "")


def resolve(network: str | None, data_dir: Path | None = None, cfg=None) -> Endpoint:
    """``network`` (None = config ``network``, then the SDK's endpoint variable) as an ``Endpoint``
    (kind ``"auto"`` for ``http(s)://`` URLs: see ``detect``). Raises UsageError for an unknown name
    or scheme; no I/O beyond reading config and the localnet's ``node.json``."""
    from btkit import config

    cfg = cfg or config.load()
    if network is None:
        network = cfg["network"]
        if cfg.sources.get("network") == "default":
            network = next((os.environ[v] for v in SDK_ENDPOINT_VARS if os.environ.get(v)), network)
    network = network.strip()
    if network == "local":
        node_file = (data_dir or cfg.path_value("localnet.data_dir")) / "node.json"
        try:
            info = json.loads(node_file.read_text())
            if info.get("engine") == "subtensor":
                return Endpoint(info["url"], "subtensor")
            return Endpoint(info["url"], "localnet", local=True)
        except (OSError, ValueError, KeyError):
            return Endpoint(DEFAULT_URL, "localnet", local=True)
    if network in NETWORKS:
        return Endpoint(NETWORKS[network], "subtensor")
    if network.startswith(("ws://", "wss://")):
        return Endpoint(network, "subtensor")
    if network.startswith(("http://", "https://")):
        from urllib.parse import urlsplit

        if not urlsplit(network).hostname:
            raise UsageError(f"not a node URL: {network!r}", hint=HINT)
        return Endpoint(network.rstrip("/"), "auto")
    raise UsageError(f"unknown network {network!r}", hint=HINT)


def detect(url: str, timeout: float = 10.0) -> Endpoint:
    """Which kind of node answers JSON-RPC at ``url``: btkit's localnet answers ``localnet_nodeInfo``,
    a Substrate node answers ``system_chain`` but not that. NodeUnreachableError (exit 3, naming
    ``url``) when nothing answers."""
    import http.client
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.hostname:
        raise UsageError(f"not a node URL: {url!r}", hint=HINT)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    body = json.dumps([{"jsonrpc": "2.0", "id": 1, "method": "localnet_nodeInfo", "params": []},
                       {"jsonrpc": "2.0", "id": 2, "method": "system_chain", "params": []}])
    conn = cls(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), timeout=timeout)
    try:
        conn.request("POST", parts.path or "/", body=body, headers={"content-type": "application/json"})
        replies = json.loads(conn.getresponse().read())
    except (OSError, socket.timeout, http.client.HTTPException) as exc:
        raise NodeUnreachableError(f"no node answers at {url} ({exc.strerror or exc.__class__.__name__})"
                                   if isinstance(exc, OSError) else f"no node answers at {url} ({exc})",
                                   hint="check the URL and that the node is up") from None
    except ValueError:
        raise BtkitError(f"{url} did not answer JSON-RPC") from None
    finally:
        conn.close()
    by_id = {r.get("id"): r for r in replies} if isinstance(replies, list) else {}
    chain = (by_id.get(2) or {}).get("result")
    if "result" in (by_id.get(1) or {}):
        return Endpoint(url, "localnet", chain)
    if chain is None:
        raise BtkitError(f"{url} answers neither as btkit's localnet nor as a Substrate node")
    return Endpoint(url, "subtensor", chain)


def resolve_network(network: str | None, data_dir: Path | None = None, cfg=None) -> str:
    """The URL ``resolve`` finds (kept for callers that only need the URL)."""
    return resolve(network, data_dir, cfg).url
