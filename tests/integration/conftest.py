"""Real node processes on free ports, each in its own data directory."""

from __future__ import annotations

import pytest

from btkit.chain import ChainClient, connect
from keystore.keys import Keypair
from localnet import control


class NodeHandle:
    def __init__(self, data_dir, mining: str = "instant", block_time: float = 0.25) -> None:
        self.data_dir = data_dir
        self.options = control.UpOptions(data_dir=data_dir, port=0, mining=mining, block_time=block_time)
        self.start()

    def start(self) -> None:
        self.info, self.proc = control.up(self.options)
        self.url = self.info["url"]
        self.client = ChainClient(self.url)  # the wire client (dev RPCs, raw extrinsics)
        self.chain = connect(self.url)  # the chain interface, as commands and neurons use it

    def stop(self) -> None:
        control.down(self.data_dir)


@pytest.fixture
def start_node(tmp_path):
    nodes: list[NodeHandle] = []

    def start(mining: str = "instant", block_time: float = 0.25, name: str = "node") -> NodeHandle:
        handle = NodeHandle(tmp_path / name, mining, block_time)
        nodes.append(handle)
        return handle

    yield start
    for handle in nodes:
        handle.stop()


@pytest.fixture(scope="session")
def shared_node(tmp_path_factory):
    """One instant-mining node for read-mostly tests (session-scoped: starts once)."""
    handle = NodeHandle(tmp_path_factory.mktemp("shared-node"), "instant")
    yield handle
    handle.stop()


ALICE = Keypair.from_uri("//Alice")
BOB = Keypair.from_uri("//Bob")
CHARLIE = Keypair.from_uri("//Charlie")
DAVE = Keypair.from_uri("//Dave")


def run_block(client, *items):
    """Submit (keypair, call) pairs into the pool, mine one block, return their results in order."""
    hashes = [client.submit(kp, c, wait="none").hash for kp, c in items]
    client.call("localnet_mine", 1)
    return [client.call("author_extrinsicStatus", h) for h in hashes]


def ok(client, kp, c):
    (result,) = run_block(client, (kp, c))
    assert result["success"], (result.get("error"), result.get("message"))
    return result


def fails(client, kp, c, error):
    (result,) = run_block(client, (kp, c))
    assert not result["success"] and result["error"] == f"SubtensorModule.{error}", result
    return result
