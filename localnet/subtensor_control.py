"""Start, inspect and drive the subtensor engine (what ``btkit localnet ... `` calls for it).

Lifecycle is btkit's (``localnet.control``: pidfile ``node.json``, ``node.log``, readiness with
a timeout, SIGTERM then SIGKILL); these are the engine's own operations on top, all through
the engine's bridged URL: chopsticks' dev RPC (``dev_newBlock``, ``dev_setHead``).
"""

from __future__ import annotations

from typing import Any

from btkit.errors import UsageError
from localnet import chopsticks, control
from localnet.subtensor_engine import ENGINE, EngineConfig


def is_subtensor(info: dict[str, Any] | None) -> bool:
    return bool(info) and info.get("engine") == ENGINE


def up(config: EngineConfig, detached: bool = True) -> tuple[dict[str, Any], Any]:
    """Start the engine; returns (its node.json record, the Popen) once the bridge answers.

    chopsticks is found or installed here, in the caller's terminal (progress, Node.js errors),
    before the engine process starts. Raises UsageError for a missing chain spec,
    ChopsticksMissing without Node.js >= 20, ProcessError when it is not ready in time.
    """
    if config.chain_spec is not None and not config.chain_spec.is_file():
        raise UsageError(f"no chain spec at {config.chain_spec}",
                         hint="pass a raw subtensor chain spec (JSON with the runtime in genesis)")
    chopsticks.executable()
    return control.up(config, detached=detached)


def _rpc(info: dict[str, Any]) -> chopsticks.Rpc:
    return chopsticks.Rpc(info["url"])


def describe(info: dict[str, Any]) -> dict[str, Any]:
    """What `localnet up`/`status` show: engine, head, genesis hash, source, mining."""
    rpc = _rpc(info)
    head = rpc.head()
    return {"engine": ENGINE, "head": head["number"], "head_hash": head["hash"],
            "genesis_hash": rpc("chain_getBlockHash", 0), "mining": info["mining"],
            "block_time": info["block_time"], "source": info["source"], "upstream": info["upstream"],
            "mainnet_limits": info["mainnet_limits"]}


def mine(info: dict[str, Any], blocks: int) -> dict[str, Any]:
    """Build ``blocks`` blocks (chopsticks dev_newBlock count); returns the new head."""
    return _rpc(info).new_blocks(blocks)


def jump(info: dict[str, Any], blocks: int) -> dict[str, Any]:
    """Advance the block number by ``blocks`` in one block (dev_newBlock unsafeBlockHeight)."""
    rpc = _rpc(info)
    return rpc.new_blocks(unsafe_block_height=rpc.head()["number"] + blocks)


def snapshot(info: dict[str, Any]) -> str:
    """The head's hash: `revert` with it sets the head back there (chopsticks keeps every block)."""
    return _rpc(info).head()["hash"]


def revert(info: dict[str, Any], snapshot_id: str) -> dict[str, Any]:
    if not (snapshot_id.startswith("0x") and len(snapshot_id) == 66):
        raise UsageError(f"a subtensor engine snapshot is a block hash (0x + 64 hex), not {snapshot_id!r}")
    rpc = _rpc(info)
    rpc.set_head(snapshot_id)
    return rpc.head()


def parse_argv(argv: list[str]) -> EngineConfig:
    from localnet.subtensor_engine import parse

    return parse(argv)
