"""A bittensor SDK (11.3) script run against a btkit-started subtensor engine (tests run it).

    python tests/interop/sdk_on_subtensor.py ws://127.0.0.1:PORT

Transfers, creates a subnet, registers a hotkey, stakes, sets weights, and reads balances and subnet info;
prints one JSON line with what it read. spec 218 predates some SDK intents (register_network
without ``mechid``, registration and staking previews that read newer storage), so those go
as raw calls (``submit_call``); transfers and reads use the SDK's own API.
"""

from __future__ import annotations

import json
import sys

import bittensor as bt
from bittensor_wallet import Keypair

TAO = 10**9


class DevWallet:
    """The SDK's wallet shape from two dev keypairs."""

    def __init__(self, coldkey: Keypair, hotkey: Keypair) -> None:
        self.coldkey = self.coldkeypub = coldkey
        self.hotkey = hotkey


def ok(result) -> None:
    if not result.success:
        raise SystemExit(f"extrinsic failed: {result.message} {result.error}")


def main(url: str) -> dict:
    sub = bt.Subtensor(network=url)
    alice, bob = Keypair.create_from_uri("//Alice"), Keypair.create_from_uri("//Bob")
    owner_hotkey, miner_hotkey = Keypair.create_from_uri("//Alice//owner"), Keypair.create_from_uri("//Bob//miner")
    dest = Keypair.create_from_uri("//SdkScript").ss58_address
    out: dict = {"spec_version": sub.spec_version, "alice_before": sub.balances.get(alice.ss58_address).rao}

    ok(sub.execute(bt.Transfer(dest_ss58=dest, amount_tao=bt.tao(3)), wallet=alice))
    out["dest"] = sub.balances.get(dest).rao

    before = {n for n, _ in sub.query_map(("SubtensorModule", "NetworksAdded"))}
    ok(sub.submit_call(("SubtensorModule", "register_network", {"hotkey": owner_hotkey.ss58_address, "mechid": 1}),
                       wallet=DevWallet(alice, owner_hotkey)))
    (netuid,) = {n for n, _ in sub.query_map(("SubtensorModule", "NetworksAdded"))} - before
    ok(sub.submit_call(("SubtensorModule", "burned_register", {"netuid": netuid, "hotkey": miner_hotkey.ss58_address}),
                       wallet=DevWallet(bob, miner_hotkey)))

    stake_key = [owner_hotkey.ss58_address, alice.ss58_address, netuid]
    alpha_before = sub.query(("SubtensorModule", "Alpha"), stake_key)
    ok(sub.submit_call(("SubtensorModule", "add_stake", {"hotkey": owner_hotkey.ss58_address, "netuid": netuid,
                                                         "amount_staked": 10 * TAO}), wallet=alice))
    # the owner's hotkey (uid 0, with stake now) sets weights over both uids, signed by the hotkey
    ok(sub.submit_call(("SubtensorModule", "set_weights", {"netuid": netuid, "dests": [0, 1], "weights": [1, 65535],
                                                           "version_key": 0}),
                       wallet=DevWallet(alice, owner_hotkey), signer="hotkey"))
    weights = sub.query(("SubtensorModule", "Weights"), [netuid, 0])
    info = sub.subnets.subnet(netuid)
    out.update(netuid=netuid, neuron_count=info.neuron_count, tempo=info.tempo,
               owner=str(sub.query(("SubtensorModule", "SubnetOwner"), [netuid])),
               alpha_before=int(alpha_before), alpha_after=int(sub.query(("SubtensorModule", "Alpha"), stake_key)),
               alice_after=sub.balances.get(alice.ss58_address).rao, weights=[list(w) for w in weights],
               target_registrations=sub.query(("SubtensorModule", "TargetRegistrationsPerInterval"), [netuid]))
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
