"""CLI tests against the real subtensor runtime (spec 218 under chopsticks, via btkit's subtensor engine).

One engine per session (``subtensor_node`` in tests/conftest.py: instant blocks, //Alice..//Ferdie
funded, //Alice the sudo key, rate limits relaxed); each test starts from the same head and goes
back to it afterwards (chopsticks ``dev_setHead``). The CLI always reaches the node through
``--network ws://127.0.0.1:PORT`` (the engine's bridge), as on any Substrate node.
"""

from __future__ import annotations

import pytest

TAO = 10**9


@pytest.fixture
def node(subtensor_node):
    head = subtensor_node.snapshot()
    subtensor_node.mine(1)  # dev_setStorage writes into the head's state: never into the one we go back to
    yield subtensor_node
    subtensor_node.revert(head)


@pytest.fixture
def net(node) -> list[str]:
    return ["--network", node.ws_url]


@pytest.fixture
def chain_storage(node):
    """A plain async-substrate-interface client: reads storage independently of btkit's backend."""
    from async_substrate_interface.sync_substrate import SubstrateInterface

    si = SubstrateInterface(node.ws_url, ss58_format=42)
    yield si
    si.close()


@pytest.fixture
def wallets(cli):
    """Wallets of dev keys, unencrypted: alice (sudo), bob (subnet owner), charlie and dave (neurons)."""
    for name, uri in (("alice", "//Alice"), ("bob", "//Bob"), ("charlie", "//Charlie"), ("dave", "//Dave")):
        assert cli("wallet", "regen-coldkey", "--uri", uri, "--no-use-password", "-w", name).code == 0
        assert cli("wallet", "regen-hotkey", "--uri", f"{uri}//hot", "-w", name, "-H", "default").code == 0
    return cli
