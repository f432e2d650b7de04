"""Typed reads of subtensor's state from storage (portable: spec 218 has no metagraph or stake-info
runtime API of the shape newer runtimes have; storage reads work on every runtime since).

Storage names and meanings: opentensor/subtensor ``pallets/subtensor/src/lib.rs`` (spec 218 is
the rao build of January 2025, commit 15f8eb799). Stakes are the ``Alpha`` of (hotkey, coldkey,
netuid), scaled by the hotkey's share pool where the runtime keeps one (``TotalHotkeyShares``).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from btkit.chain.subtensor.storage import Reader
from btkit.chain.types import GATEWAY_MARK, AxonInfo, Hyperparameters, Metagraph, Neuron, Subnet, SubnetInfo
from btkit.units import Balance

S = "SubtensorModule"
ZERO_ACCOUNT = "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM"  # AccountId 0x00..00: "no owner"

SUBNET_ITEMS = ("SubnetOwner", "SubnetOwnerHotkey", "NetworkRegisteredAt", "SubnetLocked", "SubnetworkN",
                "MaxAllowedUids", "Tempo", "Burn", "Difficulty", "SubnetTAO", "PendingEmission",
                "RAORecycledForRegistration")
NEURON_VECTORS = ("Rank", "Trust", "Consensus", "Incentive", "Dividends", "Emission", "LastUpdate",
                  "ValidatorTrust", "PruningScores", "ValidatorPermit", "Active")
# hyperparameters a runtime may lack, and the rule such a runtime applies instead
ABSENT_DEFAULTS = {"bonds_penalty": 0, "yuma_version": 2, "stake_threshold": 0, "liquid_alpha_enabled": False}


def netuids(reader: Reader) -> list[int]:
    return sorted(int(k) for k, added in reader.map(S, "NetworksAdded") if added)


def subnet_infos(reader: Reader, nets: list[int]) -> list[SubnetInfo]:
    values = reader.multi([(S, item, [n]) for n in nets for item in SUBNET_ITEMS])
    out = []
    for i, netuid in enumerate(nets):
        v = dict(zip(SUBNET_ITEMS, values[i * len(SUBNET_ITEMS):(i + 1) * len(SUBNET_ITEMS)]))
        out.append(SubnetInfo(netuid=netuid, owner_coldkey=v["SubnetOwner"], owner_hotkey=v["SubnetOwnerHotkey"],
                              registered_at=int(v["NetworkRegisteredAt"]), lock=Balance(v["SubnetLocked"]),
                              started=True, started_at=int(v["NetworkRegisteredAt"]), n=int(v["SubnetworkN"]),
                              max_n=int(v["MaxAllowedUids"]), tempo=int(v["Tempo"]), burn=Balance(v["Burn"]),
                              difficulty=int(v["Difficulty"]), total_stake=Balance(v["SubnetTAO"]),
                              pending_emission=Balance(v["PendingEmission"]),
                              recycled=Balance(v["RAORecycledForRegistration"])))
    return out


def hyperparameters(reader: Reader, calls, netuid: int) -> Hyperparameters:
    """Every ``Hyperparameters`` field from storage; an item the runtime lacks reads as the rule it applies."""
    conn = reader.conn
    names, items = [], []
    for name in Hyperparameters.names():
        item, _ = calls.setter(name)
        if not conn.has_storage(S, item):
            continue
        with conn.guard():
            per_subnet = bool(conn.si.get_metadata_storage_function(S, item).get_params_type_string())
        names.append(name)
        items.append((S, item, [netuid] if per_subnet else []))
    values = dict(zip(names, reader.multi(items)))
    out: dict[str, Any] = {}
    for name in Hyperparameters.names():
        value = values.get(name, ABSENT_DEFAULTS.get(name))
        if name in ("alpha_low", "alpha_high") and value is not None:
            value = value[0 if name == "alpha_low" else 1]
        elif name == "yuma_version" and isinstance(value, bool):
            value = 3 if value else 2
        out[name] = value
    return Hyperparameters.from_mapping(out)


def alpha_stake(alpha: int, hotkey_alpha: int, hotkey_shares: int) -> int:
    """A coldkey's stake on a hotkey: its ``Alpha`` shares valued at the hotkey's pool (``TotalHotkeyAlpha``
    per ``TotalHotkeyShares``); without shares (spec 218 keeps none) ``Alpha`` is the amount."""
    return alpha * hotkey_alpha // hotkey_shares if hotkey_shares else alpha


def axon(raw: dict[str, Any] | None) -> AxonInfo | None:
    if not raw or not raw.get("port"):
        return None
    ip_type = int(raw["ip_type"])
    ip = str(ipaddress.IPv4Address(raw["ip"]) if ip_type == 4 else ipaddress.IPv6Address(raw["ip"]))
    return AxonInfo(ip, int(raw["port"]), ip_type, int(raw["protocol"]), int(raw["version"]), int(raw["block"]),
                    gateway=int(raw.get("placeholder1") or 0) == GATEWAY_MARK)


def metagraph(reader: Reader, netuid: int) -> Metagraph:
    at = reader.head_hash()  # one block for every read
    with reader.conn.guard():
        block = reader.conn.si.get_block_number(at)
    keys = sorted((int(uid), hk) for uid, hk in reader.map(S, "Keys", [netuid], at=at))
    subnet = subnet_at(reader, netuid, at)
    vectors = reader.multi([(S, item, [netuid]) for item in NEURON_VECTORS], at=at)
    vec = dict(zip(NEURON_VECTORS, vectors))
    per = ("Owner", "Axons", "TotalHotkeyAlpha", "Delegates", "BlockAtRegistration")
    items = []
    for uid, hk in keys:
        items += [(S, "Owner", [hk]), (S, "Axons", [netuid, hk]), (S, "TotalHotkeyAlpha", [hk, netuid]),
                  (S, "Delegates", [hk]), (S, "BlockAtRegistration", [netuid, uid])]
    values = reader.multi(items, at=at)

    def at_uid(name: str, uid: int, default: Any = 0) -> Any:
        seq = vec[name] or []
        return seq[uid] if uid < len(seq) else default

    neurons = []
    for i, (uid, hk) in enumerate(keys):
        v = dict(zip(per, values[i * len(per):(i + 1) * len(per)]))
        neurons.append(Neuron(
            uid=uid, hotkey=hk, coldkey=v["Owner"], stake=Balance(v["TotalHotkeyAlpha"]),
            rank=at_uid("Rank", uid), trust=at_uid("Trust", uid), consensus=at_uid("Consensus", uid),
            incentive=at_uid("Incentive", uid), dividends=at_uid("Dividends", uid),
            vtrust=at_uid("ValidatorTrust", uid), emission=Balance(at_uid("Emission", uid)),
            validator_permit=bool(at_uid("ValidatorPermit", uid, False)), last_update=at_uid("LastUpdate", uid),
            registered_at=int(v["BlockAtRegistration"]), active=bool(at_uid("Active", uid, True)),
            pruning_score=at_uid("PruningScores", uid), take=int(v["Delegates"]), axon=axon(v["Axons"])))
    return Metagraph(netuid, block, tuple(neurons), subnet)


def subnet_at(reader: Reader, netuid: int, at: str) -> Subnet:
    owner, owner_hot, registered, locked = reader.multi(
        [(S, "SubnetOwner", [netuid]), (S, "SubnetOwnerHotkey", [netuid]), (S, "NetworkRegisteredAt", [netuid]),
         (S, "SubnetLocked", [netuid])], at=at)
    return Subnet(netuid=netuid, owner_coldkey=owner, owner_hotkey=owner_hot, registered_at=int(registered),
                  lock=Balance(locked), started=True, started_at=int(registered))
