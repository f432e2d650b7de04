"""Emission: per-block accumulation per subnet, the epoch schedule, and the epoch payout.

[btkit] Each block's emission is split equally among the started subnets; the owner's 18%
accumulates in ``pending_owner:<n>``, the rest in ``pending:<n>``; at the subnet's epoch the
rest is ``rao_emission`` for ``run_epoch`` and is paid into stakes. Issuance grows by exactly
what is paid; what is not paid (rounding, owner-held incentive) is never issued, and the
owner's recycled incentive is recorded in ``recycled:<n>``.
"""

from __future__ import annotations

from typing import Any

from btkit.consensus import EpochInput, run_epoch
from localnet.runtime import rows, staking, subnets, system
from localnet.runtime.balances import ISSUANCE
from localnet.state import Overlay

OWNER_CUT = 11_796  # 18% of 65535


def is_epoch_block(block: int, netuid: int, tempo: int) -> bool:
    return tempo > 0 and (block + netuid + 1) % (tempo + 1) == tempo


def on_initialize(state: Overlay, block: int) -> None:
    started = [n for n in subnets.netuids(state) if subnets.info(state, n)["started"]]
    if started:
        share = int(state.get(system.BLOCK_EMISSION, 0)) // len(started)
        owner = share * OWNER_CUT // 65535
        for netuid in started:
            state.add(f"pending:{netuid}", share - owner)
            state.add(f"pending_owner:{netuid}", owner)
    for netuid in started:
        if is_epoch_block(block, netuid, subnets.hp(state, netuid)["tempo"]):
            epoch(state, netuid, block)


def epoch_input(state: Overlay, netuid: int, block: int, rao_emission: int) -> tuple[EpochInput, list[dict]]:
    params = subnets.hp(state, netuid)
    neurons = [subnets.neuron(state, netuid, uid) for uid in range(subnets.n(state, netuid))]
    owner_hotkey = subnets.info(state, netuid)["owner_hotkey"]
    owner_uid = subnets.uid_of(state, netuid, owner_hotkey)
    inp = EpochInput(
        block=block, stake=[staking.total_hotkey_stake(state, netuid, nn["hotkey"]) for nn in neurons],
        weights=rows.to_sparse([nn["weights"] for nn in neurons]),
        bonds=rows.to_sparse([nn["bonds"] for nn in neurons]),
        last_update=[nn["last_update"] for nn in neurons],
        block_at_registration=[nn["registered_at"] for nn in neurons],
        validator_permit=[nn["permit"] for nn in neurons], tempo=params["tempo"], kappa=params["kappa"],
        bonds_moving_average=params["bonds_moving_avg"], bonds_penalty=params["bonds_penalty"],
        activity_cutoff=params["activity_cutoff"], max_allowed_validators=params["max_allowed_validators"],
        stake_threshold=params["stake_threshold"], yuma3=params["yuma_version"] == 3,
        liquid_alpha=params["liquid_alpha_enabled"], alpha_low=params["alpha_low"], alpha_high=params["alpha_high"],
        owner_uid=owner_uid, rao_emission=rao_emission)
    return inp, neurons


def epoch(state: Overlay, netuid: int, block: int) -> dict[str, Any]:
    """Run the epoch and pay it out; returns the record kept for `btkit subnet epoch`."""
    rao = int(state.get(f"pending:{netuid}", 0))
    owner_cut = int(state.get(f"pending_owner:{netuid}", 0))
    state.delete(f"pending:{netuid}")
    state.delete(f"pending_owner:{netuid}")
    info = subnets.info(state, netuid)
    inp, neurons = epoch_input(state, netuid, block, rao)
    from btkit.consensus.rows import SparseRows  # numpy: loaded at the first epoch, not at node start

    out = run_epoch(inp)
    bonds = SparseRows.from_pairs(out.bonds)  # Yuma 3 (the reference path) returns pairs
    paid, recycled = 0, 0
    payouts = []
    for uid, nn in enumerate(neurons):
        hotkey, coldkey = nn["hotkey"], nn["coldkey"]
        server, validator = out.server_emission[uid], out.validator_emission[uid]
        owned_by_owner = subnets.owner_of(state, hotkey) == info["owner_coldkey"]
        if server and owned_by_owner:
            recycled += server  # incentive earned by the owner's own hotkeys is recycled
            server = 0
        staking.credit(state, hotkey, coldkey, netuid, server)
        take_paid, nominators = _pay_validator(state, netuid, hotkey, coldkey, validator)
        paid += server + validator
        payouts.append({"uid": uid, "server": server, "validator": validator, "take": take_paid,
                        "nominators": nominators})
        subnets.set_neuron(state, netuid, uid, {
            **nn, "consensus": out.consensus[uid], "incentive": out.incentive[uid],
            "dividends": out.dividends[uid], "trust": out.trust[uid], "rank": out.rank[uid],
            "vtrust": out.validator_trust[uid], "emission": out.emission[uid],
            "pruning_score": out.pruning_score[uid], "permit": out.validator_permit[uid],
            "active": out.active[uid], "bonds": rows.encode_row(bonds, uid)})
    if owner_cut:
        staking.credit(state, info["owner_hotkey"], info["owner_coldkey"], netuid, owner_cut)
        paid += owner_cut
    state.add(ISSUANCE, paid)
    if recycled:
        state.add(f"recycled:{netuid}", recycled)
    record = {"block": block, "rao_emission": rao, "owner_cut": owner_cut, "paid": paid, "recycled": recycled,
              "unpaid": rao + owner_cut - paid - recycled, "payouts": payouts,
              "explain": explain(inp, out, neurons)}
    state.set(f"epoch_last:{netuid}", record)
    return record


def _pay_validator(state: Overlay, netuid: int, hotkey: str, coldkey: str, amount: int) -> tuple[int, dict]:
    """The hotkey's take to its owner; the rest to its stakers pro rata (rounding dust to the owner)."""
    if amount == 0:
        return 0, {}
    take = amount * staking.take_of(state, hotkey) // 65535
    rest = amount - take
    stakers = staking.stakers(state, netuid, hotkey)
    total = sum(stakers.values())
    shares: dict[str, int] = {}
    if total > 0:
        for ck, held in sorted(stakers.items()):
            shares[ck] = rest * held // total
    owner_share = amount - sum(shares.values())
    for ck, share in shares.items():
        staking.credit(state, hotkey, ck, netuid, share)
    staking.credit(state, hotkey, coldkey, netuid, owner_share)
    return owner_share, shares


def explain(inp: EpochInput, out, neurons: list[dict]) -> list[dict[str, Any]]:
    """Per uid: what it earned and, when nothing, why."""
    rows = []
    for uid, nn in enumerate(neurons):
        reasons = []
        if out.emission[uid] == 0:
            if not out.active[uid]:
                reasons.append(f"inactive: last update at block {inp.last_update[uid]}, activity_cutoff "
                               f"{inp.activity_cutoff}")
            if inp.weights[uid] and not inp.validator_permit[uid]:
                reasons.append("its weights do not count: no validator permit at this epoch")
            stale = [j for j, _ in inp.weights[uid] if j < len(neurons)
                     and inp.last_update[uid] <= inp.block_at_registration[j]]
            if stale:
                reasons.append(f"weights older than the registration of uids {stale[:8]}")
            if out.incentive[uid] == 0 and out.consensus[uid] == 0:
                reasons.append("no validator weight reached consensus on it")
            if inp.stake[uid] == 0 and out.dividends[uid] == 0:
                reasons.append("no stake, so no dividends")
        rows.append({"uid": uid, "hotkey": nn["hotkey"], "stake": inp.stake[uid], "consensus": out.consensus[uid],
                     "incentive": out.incentive[uid], "dividends": out.dividends[uid],
                     "emission": out.emission[uid], "permit": out.validator_permit[uid], "reasons": reasons})
    return rows
