"""btkit's chain interface: typed operations over any chain btkit can reach.

    from btkit.chain import connect
    chain = connect("local")                  # or a URL; see btkit.chain.network
    chain.balance(address)                    # -> Balance
    chain.submit(kp, chain.calls.add_stake(hotkey, netuid, amount)).raise_for_error()

The interface is ``Chain`` (``btkit.chain.interface``) with the values of ``btkit.chain.types``.
Backends (one module each, imported only when ``connect`` picks them, so that ``btkit --help``
imports none of them):

- ``localnet``: btkit's own node over JSON-RPC (``btkit.chain.localnet``);
- ``subtensor``: any Substrate subtensor node through async-substrate-interface
  (``btkit.chain.subtensor``).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from btkit.chain.errors import DispatchFailed, TransactionRejected, Unsupported
from btkit.chain.interface import Calls, Chain, DevChain
from btkit.chain.network import DEFAULT_URL, Endpoint, resolve, resolve_network
from btkit.chain.types import (
    AxonInfo, Call, EpochSchedule, Event, Head, HotkeyInfo, Hyperparameters, Metagraph, Neuron, NodeInfo,
    PoolInfo, Registration, StakeInfo, StakeQuote, SubmitResult, SwapQuote, Subnet, SubnetInfo, Weights, u16_to_float, weights_to_json,
)

# Endpoint.kind -> "module:Class" of the backend that implements ``Chain`` for it.
BACKENDS: dict[str, str] = {
    "localnet": "btkit.chain.localnet:LocalnetChain",
    "subtensor": "btkit.chain.subtensor.backend:SubtensorChain",
}


def connect(network: str | None = None, data_dir: Path | None = None, cfg=None, timeout: float = 10.0) -> Chain:
    """The chain for ``--network`` (None = config): resolves it, then builds the backend for its kind.

    Connecting is lazy: the first operation reaches the node (``NodeUnreachableError`` then).
    """
    return open_endpoint(resolve(network, data_dir, cfg), timeout)


def open_endpoint(endpoint: Endpoint, timeout: float = 10.0) -> Chain:
    """The backend for an already resolved ``Endpoint`` (an ``"auto"`` one is ``detect``-ed first)."""
    if endpoint.kind == "auto":
        from btkit.chain.network import detect

        endpoint = detect(endpoint.url, timeout)
    module, _, cls = BACKENDS[endpoint.kind].partition(":")
    backend = getattr(importlib.import_module(module), cls)
    return backend(endpoint.url, timeout=timeout, **({"local": True} if endpoint.local else {}))


def __getattr__(name: str) -> Any:
    # the raw JSON-RPC client of btkit's node, for tests and benches (commands use ``connect``)
    if name in ("ChainClient", "RpcCallError"):
        from btkit.chain import localnet

        return getattr(localnet, name)
    raise AttributeError(name)


__all__ = [
    "AxonInfo", "BACKENDS", "Call", "Calls", "Chain", "DEFAULT_URL", "DevChain", "DispatchFailed", "Endpoint",
    "EpochSchedule", "Event", "Head", "HotkeyInfo", "Hyperparameters", "Metagraph", "Neuron", "NodeInfo",
    "PoolInfo", "Registration", "StakeInfo", "StakeQuote", "SubmitResult", "SwapQuote", "Subnet", "SubnetInfo",
    "TransactionRejected", "Unsupported", "Weights", "connect",
    "open_endpoint", "resolve", "resolve_network", "u16_to_float", "weights_to_json",
]
