"""Emission: the per-block coinbase, the epoch schedule, and the epoch payout in alpha.

The block's TAO emission and each subnet's alpha emission are handled by
``localnet.runtime.coinbase`` (subtensor 14bc6f9's dynamic-TAO rules); at a subnet's epoch the
pending alpha is drained, ``run_epoch`` (the bit-exact Yuma) splits it, and ``coinbase.distribute``
pays incentives, dividends, root's share and the owner cut into alpha stakes.
"""

from __future__ import annotations

from typing import Any

from btkit.consensus import EpochInput, run_epoch
from localnet.runtime import coinbase, rows, staking, subnets
from localnet.state import Overlay


def is_epoch_block(block: int, netuid: int, tempo: int) -> bool:
    return tempo > 0 and (block + netuid + 1) % (tempo + 1) == tempo


def on_initialize(state: Overlay, block: int) -> None:
    coinbase.run(state, block)
    for netuid in subnets.netuids(state):
        if subnets.info(state, netuid)["started"] and is_epoch_block(block, netuid, subnets.hp(state, netuid)["tempo"]):
            epoch(state, netuid, block)
    coinbase.update_moving_prices(state, block)


def epoch_input(state: Overlay, netuid: int, block: int, rao_emission: int) -> tuple[EpochInput, list[dict]]:
    params = subnets.hp(state, netuid)
    neurons = [subnets.neuron(state, netuid, uid) for uid in range(subnets.n(state, netuid))]
    owner_hotkey = subnets.info(state, netuid)["owner_hotkey"]
    owner_uid = subnets.uid_of(state, netuid, owner_hotkey)
    inp = EpochInput(
        block=block, stake=[staking.stake_weight(state, netuid, nn["hotkey"]) for nn in neurons],
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
    """Run the epoch and pay out the pending alpha; returns the record kept for `btkit subnet epoch`
    (amounts in alpha rao of the subnet)."""
    amounts = coinbase.drain(state, netuid)
    rao = amounts["server"] + amounts["validator"] + amounts["root"]
    inp, neurons = epoch_input(state, netuid, block, rao)
    from btkit.consensus.rows import SparseRows  # numpy: loaded at the first epoch, not at node start

    out = run_epoch(inp)
    bonds = SparseRows.from_pairs(out.bonds)  # Yuma 3 (the reference path) returns pairs
    for uid, nn in enumerate(neurons):
        subnets.set_neuron(state, netuid, uid, {
            **nn, "consensus": out.consensus[uid], "incentive": out.incentive[uid],
            "dividends": out.dividends[uid], "trust": out.trust[uid], "rank": out.rank[uid],
            "vtrust": out.validator_trust[uid], "emission": out.emission[uid],
            "pruning_score": out.pruning_score[uid], "permit": out.validator_permit[uid],
            "active": out.active[uid], "bonds": rows.encode_row(bonds, uid)})
    paid = coinbase.distribute(state, netuid, amounts, out.server_emission, out.validator_emission,
                               [nn["hotkey"] for nn in neurons])
    record = {"block": block, "unit": "alpha", "rao_emission": rao, "owner_cut": amounts["owner"],
              "root_alpha": amounts["root"], "pending": amounts, "paid": paid["paid"], "recycled": paid["burned"],
              "unpaid": paid["unpaid"], "payouts": paid["payouts"], "explain": explain(inp, out, neurons)}
    state.set(f"epoch_last:{netuid}", record)
    return record


def explain(inp: EpochInput, out, neurons: list[dict]) -> list[dict[str, Any]]:
    """Per uid: what it earned and, when nothing, why."""
    report = []
    for uid, nn in enumerate(neurons):
        reasons = []
        if out.emission[uid] == 0:
            if not out.active[uid]:
                reasons.append(f"inactive: last update at block {inp.last_update[uid]}, activity_cutoff "
                               f"{inp.activity_cutoff}")
            weights = inp.weights[uid]
            if weights and not inp.validator_permit[uid]:
                reasons.append("its weights do not count: no validator permit at this epoch")
            stale = [j for j, _ in weights if j < len(neurons)
                     and inp.last_update[uid] <= inp.block_at_registration[j]]
            if stale:
                reasons.append(f"weights older than the registration of uids {stale[:8]}")
            if out.incentive[uid] == 0 and out.consensus[uid] == 0:
                reasons.append("no validator weight reached consensus on it")
            if inp.stake[uid] == 0 and out.dividends[uid] == 0:
                reasons.append("no stake, so no dividends")
        report.append({"uid": uid, "hotkey": nn["hotkey"], "stake": inp.stake[uid], "consensus": out.consensus[uid],
                       "incentive": out.incentive[uid], "dividends": out.dividends[uid],
                       "emission": out.emission[uid], "permit": out.validator_permit[uid], "reasons": reasons})
    return report
