"""Start, inspect and drive the subtensor engine (what ``btkit localnet ...`` calls for it).

Lifecycle is btkit's (``localnet.control``: ``node.json`` as pidfile, ``node.log``, readiness on
a pipe with a timeout, SIGTERM then SIGKILL); these are the engine's own operations on top, all
through the engine's bridged URL: chopsticks' dev RPC (``dev_newBlock``, ``dev_setHead``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from btkit.chain.errors import Unsupported
from btkit.chain.interface import DevChain
from btkit.chain.types import Head
from btkit.errors import UsageError
from btkit.units import Balance
from localnet import chopsticks, control
from localnet.subtensor_engine import ENGINE, FORKS, MININGS, SNAPSHOTS_FILE, EngineConfig


def is_subtensor(info: dict[str, Any] | None) -> bool:
    return bool(info) and info.get("engine") == ENGINE


def config(data_dir: Path, chain_spec: Path | None, fork: str | None, at: str | None, host: str, port: int,
           mining: str | None, block_time: float | None, mainnet_limits: bool) -> EngineConfig:
    """Validated engine settings (UsageError names the flag); mining defaults to instant."""
    if (chain_spec is None) == (fork is None):
        raise UsageError("the subtensor engine runs a raw chain spec or a fork: pass --chain-spec FILE or "
                         f"--fork URL|{'|'.join(FORKS)}")
    if at is not None and fork is None:
        raise UsageError("--at goes with --fork (the block to fork at)")
    if fork is not None and fork not in FORKS and not fork.startswith(("ws://", "wss://", "http://", "https://")):
        raise UsageError(f"--fork takes a ws(s):// URL, {' or '.join(FORKS)}; not {fork!r}")
    if chain_spec is not None and not chain_spec.is_file():
        raise UsageError(f"no chain spec at {chain_spec}",
                         hint="pass a raw subtensor chain spec (JSON with the runtime in its genesis)")
    mining = mining or "instant"
    if mining not in MININGS:
        raise UsageError(f"--mining must be {', '.join(MININGS)}, not {mining!r}")
    return EngineConfig(data_dir=data_dir, chain_spec=chain_spec.expanduser().resolve() if chain_spec else None,
                        fork=fork, at=at, host=host, port=port, mining=mining,
                        block_time=1.0 if block_time is None else block_time, mainnet_limits=mainnet_limits)


def up(config: EngineConfig, detached: bool = True) -> tuple[dict[str, Any], Any]:
    """Start the engine; returns (its node.json record + ``node`` info, the Popen) once it serves.

    chopsticks is found or installed here, in the caller's terminal (npm's progress, the Node.js
    error), before the engine process starts. Raises ChopsticksMissing without Node.js >= 20,
    ProcessError when the engine exits first or is not ready within its timeout,
    NodeUnreachableError (exit 3, within ``chopsticks.PROBE_TIMEOUT``) when a fork's endpoint does not answer.
    """
    chopsticks.executable()
    if config.source.endpoint is not None:
        chopsticks.probe(config.source.endpoint)
    return control.up(config, detached=detached)


def parse_argv(argv: list[str]) -> EngineConfig:
    """The settings of a running engine (``node.json``'s argv), to start it again."""
    from localnet.subtensor_engine import parse

    return parse(argv)


def status(info: dict[str, Any]) -> dict[str, Any]:
    """What ``localnet status`` shows for a running engine."""
    rpc = chopsticks.Rpc(info["url"])
    head = rpc.head()
    return {"running": True, "engine": ENGINE, "pid": info["pid"], "url": info["url"], "ws_url": info["ws_url"],
            "data_dir": info["data_dir"], "head": head["number"], "head_hash": head["hash"],
            "genesis_hash": rpc("chain_getBlockHash", 0), "mining": info["mining"], "source": info["source"],
            "chopsticks": info["upstream"], "mainnet_limits": info["mainnet_limits"], "log": info["log"]}


def dev_chain(data_dir: Path) -> "EngineDev | None":
    """The dev operations of the subtensor engine running for ``data_dir``, or None (no such engine)."""
    info = control.running(data_dir)
    return EngineDev(info) if is_subtensor(info) else None


class EngineDev(DevChain):
    """``DevChain`` on chopsticks: blocks by ``dev_newBlock``, snapshots as head hashes + ``dev_setHead``.

    Snapshot ids are small integers (as on btkit's node) kept in ``snapshots.json`` beside
    ``node.json``; the engine removes the file when it stops (chopsticks' blocks die with it).
    """

    def __init__(self, info: dict[str, Any]) -> None:
        self.info = info
        self.rpc = chopsticks.Rpc(info["url"])
        self._file = Path(info["data_dir"]) / SNAPSHOTS_FILE

    def mine(self, blocks: int = 1) -> Head:
        return Head(**self.rpc.new_blocks(blocks))

    def jump(self, blocks: int) -> Head:
        """One block whose number is the head's + ``blocks`` (dev_newBlock unsafeBlockHeight)."""
        return Head(**self.rpc.new_blocks(unsafe_block_height=self.rpc.head()["number"] + blocks))

    def _snapshots(self) -> list[str]:
        try:
            return json.loads(self._file.read_text())
        except (OSError, ValueError):
            return []

    def snapshot(self) -> int:
        from keystore.fs import atomic_write

        hashes = self._snapshots() + [self.rpc.head()["hash"]]
        atomic_write(self._file, json.dumps(hashes).encode(), mode=0o644)
        return len(hashes)

    def revert(self, snapshot_id: int) -> Head:
        hashes = self._snapshots()
        if not 1 <= snapshot_id <= len(hashes):
            raise UsageError(f"no snapshot {snapshot_id} on this engine (ids 1..{len(hashes)})")
        self.rpc.set_head(hashes[snapshot_id - 1])
        return Head(**self.rpc.head())

    def dump(self) -> dict[str, Any]:
        raise Unsupported("`localnet dump` needs btkit's node; the subtensor engine keeps its chain in chopsticks")

    def load(self, dump: dict[str, Any]) -> Head:
        raise Unsupported("`localnet load` needs btkit's node; the subtensor engine keeps its chain in chopsticks")

    def set_balance(self, address: str, amount: Balance) -> Balance:
        raise Unsupported("setting a balance needs btkit's node; on the subtensor engine transfer from a dev account")
