"""``--network`` resolution: a name or URL -> an ``Endpoint`` (URL and the kind of backend for it).

Accepted today: ``local`` (the node of the localnet data dir, else ``http://127.0.0.1:9944``) and
``http(s)://`` URLs (btkit's localnet protocol). The Substrate backend extends ``resolve`` with
``ws://``/``wss://`` URLs, btcli's names (``finney``, ``test``, ``archive``) and node-kind
detection; ``connect`` in ``btkit.chain`` maps ``Endpoint.kind`` to a backend.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from btkit.errors import UsageError

DEFAULT_URL = "http://127.0.0.1:9944"


@dataclass(frozen=True)
class Endpoint:
    """Where a chain answers: ``url`` and the backend ``kind`` that speaks to it."""

    url: str
    kind: Literal["localnet", "subtensor"]
    local: bool = False  # reached through ``--network local``: "unreachable" then suggests `localnet up`


def resolve(network: str | None, data_dir: Path | None = None, cfg=None) -> Endpoint:
    """``network`` (None = config ``network``) as an ``Endpoint``; UsageError for anything else."""
    from btkit import config

    cfg = cfg or config.load()
    network = network or cfg["network"]
    if network == "local":
        node_file = (data_dir or cfg.path_value("localnet.data_dir")) / "node.json"
        try:
            return Endpoint(json.loads(node_file.read_text())["url"], "localnet", local=True)
        except (OSError, ValueError, KeyError):
            return Endpoint(DEFAULT_URL, "localnet", local=True)
    if network.startswith(("http://", "https://")):
        return Endpoint(network.rstrip("/"), "localnet")
    raise UsageError(f"unknown network {network!r}", hint="use --network local or --network http://HOST:PORT")


def resolve_network(network: str | None, data_dir: Path | None = None, cfg=None) -> str:
    """The URL ``resolve`` finds (kept for callers that only need the URL)."""
    return resolve(network, data_dir, cfg).url
