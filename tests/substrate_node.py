"""The real subtensor runtime (spec-218 fixture under chopsticks) started by btkit's subtensor engine.

Tests that need it use the ``subtensor_node`` session fixture (tests/conftest.py) or start their
own with ``SubtensorNode(data_dir)``. Outside CI they skip, with the reason, when Node.js,
chopsticks or ``../shared/fixtures/subtensor/raonet-spec218.json`` is missing; with CI=true
they fail instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from localnet import chopsticks, control, subtensor_control
from localnet.subtensor_engine import EngineConfig

from tests.conftest import SHARED

SPEC = SHARED / "fixtures" / "subtensor" / "raonet-spec218.json"


def missing() -> str | None:
    """Why the subtensor engine cannot run here, or None."""
    if not SPEC.is_file():
        return f"the subtensor fixture {SPEC} is missing"
    if shutil.which("node") is None:
        return "Node.js (>= 20) is not installed: the subtensor engine runs chopsticks on it"
    try:
        if chopsticks.find() is None:
            return "chopsticks is not installed (`make test` installs it into localnet/chopsticks/node_modules)"
    except chopsticks.ChopsticksMissing as exc:
        return exc.message
    return None


def require() -> None:
    """Skip (or fail under CI=true) when the subtensor engine cannot run here."""
    reason = missing()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


class SubtensorNode:
    """One running subtensor engine: ``url`` (HTTP) and ``ws_url`` (WebSocket) are the bridged RPC.

    ``rpc(method, *params)`` calls it (chopsticks' dev_* methods included); ``mine``, ``jump``,
    ``snapshot`` and ``revert`` are the engine's dev operations.
    """

    def __init__(self, data_dir: Path, mining: str = "instant", mainnet_limits: bool = False,
                 chain_spec: Path | None = SPEC, fork: str | None = None, at: str | None = None) -> None:
        self.data_dir = data_dir
        self.config = EngineConfig(data_dir=data_dir, chain_spec=None if fork else chain_spec, fork=fork, at=at,
                                   port=0, mining=mining, mainnet_limits=mainnet_limits)
        self.info, self.proc = subtensor_control.up(self.config)
        self.url: str = self.info["url"]
        self.ws_url: str = self.info["ws_url"]
        self.rpc = chopsticks.Rpc(self.url)

    def mine(self, blocks: int = 1) -> dict[str, Any]:
        """Build ``blocks`` blocks; the new head as {"number", "hash"}."""
        return self.rpc.new_blocks(blocks)

    def jump(self, blocks: int) -> dict[str, Any]:
        """One block whose number is the head's + ``blocks``."""
        return self.rpc.new_blocks(unsafe_block_height=self.rpc.head()["number"] + blocks)

    def snapshot(self) -> str:
        """The head's hash (``revert`` sets the head back to it)."""
        return self.rpc.head()["hash"]

    def revert(self, snapshot: str) -> dict[str, Any]:
        self.rpc.set_head(snapshot)
        return self.rpc.head()

    def stop(self) -> None:
        control.down(self.data_dir)
