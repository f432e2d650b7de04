"""btkit's subtensor engine: the real subtensor runtime (spec-218 fixture) under chopsticks."""

from __future__ import annotations

import requests

from localnet.genesis import DEV_ACCOUNTS

ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


def _post(url: str, method: str, *params):
    return requests.post(url, json={"jsonrpc": "2.0", "id": 7, "method": method, "params": list(params)},
                         timeout=30).json()


def test_dev_accounts_funded_sudo_alice_limits_relaxed(subtensor_node):
    import bittensor as bt

    sub = bt.Subtensor(network=subtensor_node.ws_url)
    for _uri, address, amount in DEV_ACCOUNTS:
        assert sub.balances.get(address).rao == amount
    assert str(sub.query(("Sudo", "Key"))) == ALICE
    assert sub.query(("SubtensorModule", "NetworkRateLimit")) == 0
    assert sub.query(("SubtensorModule", "WeightsSetRateLimit"), [1]) == 0
    assert sub.query(("SubtensorModule", "TargetRegistrationsPerInterval"), [1]) == 256


def test_bridge_answers_what_chopsticks_does_not(subtensor_node):
    url = subtensor_node.url
    nonce = _post(url, "account_nextIndex", ALICE)
    assert nonce["result"] == _post(url, "system_accountNextIndex", ALICE)["result"]
    with_0x = _post(url, "state_call", "Core_version", "0x")
    without = _post(url, "state_call", "Core_version", "")
    assert without["result"] == with_0x["result"] and without["result"].startswith("0x")


def test_mine_builds_blocks(subtensor_node):
    before = subtensor_node.rpc.head()["number"]
    assert subtensor_node.mine(2)["number"] == before + 2
