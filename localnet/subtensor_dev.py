"""Dev conveniences written into the real subtensor runtime's storage (chopsticks ``dev_setStorage``).

Values go in chopsticks' JSON form ({Pallet: {Item: value}}, maps as [[keys], value] pairs),
which chopsticks encodes with the runtime's metadata. A falsy JSON value (0) there DELETES the
key, so the runtime default would apply again: numbers are written as SCALE hex instead.

Storage names are subtensor's (pallets/subtensor/src/lib.rs at e2b8367b8, the spec-218 build).
"""

from __future__ import annotations

from typing import Any

# Per-subnet limits are written for these netuids up front: subtensor's init_new_network
# (pallets/subtensor/src/subnets/subnet.rs, e2b8367b8) leaves WeightsSetRateLimit,
# ServingRateLimit and MaxRegistrationsPerBlock alone when a subnet is created, so entries
# written before the subnet exists apply to it. TargetRegistrationsPerInterval it overwrites
# (with 1): `relax_new_subnets` writes it again once the subnet exists.
NETUIDS = range(0, 64)
MANY_REGISTRATIONS = 256  # per block and (x3) per interval


def u16(value: int) -> str:
    return "0x" + value.to_bytes(2, "little").hex()


def u64(value: int) -> str:
    return "0x" + value.to_bytes(8, "little").hex()


def accounts_and_sudo() -> dict[str, Any]:
    """Fund //Alice..//Ferdie (btkit's dev balances, rao) and make //Alice the sudo key."""
    from localnet.genesis import DEV_ACCOUNTS, SUDO_URI

    accounts = [[[address], {"providers": 1, "data": {"free": amount}}] for _uri, address, amount in DEV_ACCOUNTS]
    sudo = next(address for uri, address, _ in DEV_ACCOUNTS if uri == SUDO_URI)
    return {"System": {"Account": accounts}, "Sudo": {"Key": sudo}}


# The spec-218 fixture's senate (raonet's genesis SenateMembers): these dev accounts as hotkeys, owned
# by no coldkey, so SubtensorModule.vote refused them NonAssociatedColdKey.
SENATE_URIS = ("//Dave", "//Eve", "//Ferdie")


def governance() -> dict[str, Any]:
    """A body that can decide on a fresh engine: //Alice (the sudo key) is the whole triumvirate, and
    each senate dev account owns itself as a hotkey, so `governance vote -w W -H H` with the coldkey
    and hotkey both restored from //Dave (//Eve, //Ferdie) votes its seat.

    Stores: ``Triumvirate.Members`` (pallet_collective: who may propose and close),
    ``TriumvirateMembers.Members`` (pallet_membership, which feeds it), ``SubtensorModule.Owner``
    (hotkey -> coldkey, checked by ``do_vote_root``); runtime/src/lib.rs and
    pallets/subtensor/src/subnets/senate.rs at e2b8367b8. Runtimes after f5e11478a have no triumvirate
    (the caller skips this there: chopsticks refuses the unknown pallet).
    """
    from localnet.genesis import DEV_ACCOUNTS, SUDO_URI

    address = {uri: addr for uri, addr, _ in DEV_ACCOUNTS}
    alice = address[SUDO_URI]
    return {"Triumvirate": {"Members": [alice]}, "TriumvirateMembers": {"Members": [alice]},
            "SubtensorModule": {"Owner": [[[address[uri]], address[uri]] for uri in SENATE_URIS]}}


def relaxed_limits() -> dict[str, Any]:
    """Rate limits that block local work, set to none (0 blocks) or to many registrations.

    - NetworkRateLimit (blocks between register_network calls; refuses the first blocks of a chain)
    - TxRateLimit, TxDelegateTakeRateLimit, TxChildkeyTakeRateLimit (blocks between such calls)
    - WeightsSetRateLimit[netuid] (blocks between set_weights of one uid, counted from registration)
    - ServingRateLimit[netuid] (blocks between serve_axon calls)
    - MaxRegistrationsPerBlock[netuid], TargetRegistrationsPerInterval[netuid]
    """
    per_subnet = {
        "WeightsSetRateLimit": [[[n], u64(0)] for n in NETUIDS],
        "ServingRateLimit": [[[n], u64(0)] for n in NETUIDS],
        "MaxRegistrationsPerBlock": [[[n], u16(MANY_REGISTRATIONS)] for n in NETUIDS],
    }
    return {"SubtensorModule": {"NetworkRateLimit": u64(0), "TxRateLimit": u64(0),
                                "TxDelegateTakeRateLimit": u64(0), "TxChildkeyTakeRateLimit": u64(0),
                                **per_subnet, **registrations_per_interval(NETUIDS)["SubtensorModule"]}}


def registrations_per_interval(netuids) -> dict[str, Any]:
    """TargetRegistrationsPerInterval[netuid] raised (a subnet admits 3x this per adjustment interval)."""
    return {"SubtensorModule": {"TargetRegistrationsPerInterval": [[[n], u16(MANY_REGISTRATIONS)] for n in netuids]}}
