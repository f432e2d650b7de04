"""Registration by recycled fee, counters, and the difficulty/burn adjustment.

Keys: ``regs_block:<n>`` ([block, count]), ``regs_interval:<n>`` ([R, PoW, burn]),
``adj_last:<n>`` (block of the last adjustment), ``recycled:<n>`` (rao recycled).
"""

from __future__ import annotations

from localnet.runtime import Context, DispatchError, call
from localnet.runtime import balances, subnets
from localnet.runtime.types import account, as_tao, u16
from localnet.state import Overlay

U64_MAX = (1 << 64) - 1


def registrations_this_block(state: Overlay, netuid: int, block: int) -> int:
    at, count = state.get(f"regs_block:{netuid}", [block, 0])
    return count if at == block else 0


def check_common(state: Overlay, netuid: int, hotkey: str, block: int, pow_: bool) -> dict:
    """The checks burned and PoW registration share, in subtensor's order."""
    if netuid == subnets.ROOT_NETUID:
        raise DispatchError("SubtensorModule.RegistrationNotPermittedOnRootSubnet",
                            "neurons cannot register on the root subnet (netuid 0)")
    subnets.require(state, netuid)
    params = subnets.hp(state, netuid)
    if not params["pow_registration_allowed" if pow_ else "registration_allowed"]:
        raise DispatchError("SubtensorModule.SubNetRegistrationDisabled",
                            f"{'proof-of-work ' if pow_ else ''}registration is disabled on subnet {netuid}")
    if registrations_this_block(state, netuid, block) >= params["max_regs_per_block"]:
        raise DispatchError("SubtensorModule.TooManyRegistrationsThisBlock",
                            f"max_regs_per_block is {params['max_regs_per_block']}")
    r, _, _ = state.get(f"regs_interval:{netuid}", [0, 0, 0])
    if r >= 3 * params["target_regs_per_interval"]:
        raise DispatchError("SubtensorModule.TooManyRegistrationsThisInterval",
                            f"{r} registrations this interval (limit 3 x target_regs_per_interval "
                            f"= {3 * params['target_regs_per_interval']})")
    if subnets.uid_of(state, netuid, hotkey) is not None:
        raise DispatchError("SubtensorModule.HotKeyAlreadyRegisteredInSubNet",
                            f"{hotkey} is already registered on subnet {netuid}")
    return params


def admit(state: Overlay, netuid: int, hotkey: str, coldkey: str, block: int, pow_: bool) -> int:
    """Append the neuron, or replace the one to prune in a full subnet; count the registration."""
    params = subnets.hp(state, netuid)
    if params["max_allowed_uids"] == 0:
        raise DispatchError("SubtensorModule.NoNeuronIdAvailable", "max_allowed_uids is 0")
    if subnets.n(state, netuid) < params["max_allowed_uids"]:
        uid = subnets.append_neuron(state, netuid, hotkey, coldkey, block)
    else:
        uid = neuron_to_prune(state, netuid, block)
        subnets.replace_neuron(state, netuid, uid, hotkey, coldkey, block)
    state.set(f"regs_block:{netuid}", [block, registrations_this_block(state, netuid, block) + 1])
    r, p, b = state.get(f"regs_interval:{netuid}", [0, 0, 0])
    state.set(f"regs_interval:{netuid}", [r + 1, p + (1 if pow_ else 0), b + (0 if pow_ else 1)])
    return uid


def neuron_to_prune(state: Overlay, netuid: int, block: int) -> int:
    """Lowest emission among non-immune uids (ties: earlier registration, then lower uid).

    The owner hotkey is never pruned; when every other uid is immune, the same rule picks
    among the immune ones (as subtensor does).
    """
    params = subnets.hp(state, netuid)
    owner = subnets.info(state, netuid)["owner_hotkey"]
    candidates, immune = [], []
    for uid in range(subnets.n(state, netuid)):
        nn = subnets.neuron(state, netuid, uid)
        if nn["hotkey"] == owner:
            continue
        key = (nn["emission"], nn["registered_at"], uid)
        (immune if block - nn["registered_at"] < params["immunity_period"] else candidates).append(key)
    pool = candidates or immune
    if not pool:
        raise DispatchError("SubtensorModule.NoNeuronIdAvailable", "the only uid is the owner's")
    return min(pool)[2]


@call("SubtensorModule", "burned_register", netuid=u16, hotkey=account)
def burned_register(ctx: Context, netuid: int, hotkey: str) -> None:
    """Register ``hotkey`` on ``netuid`` by recycling the subnet's burn from the signing coldkey."""
    state, coldkey = ctx.state, ctx.signer
    params = check_common(state, netuid, hotkey, ctx.block, pow_=False)
    subnets.claim_hotkey(state, hotkey, coldkey)
    cost = params["burn"]
    if balances.free(state, coldkey) < cost:
        raise DispatchError("SubtensorModule.NotEnoughBalanceToStake",
                            f"registration costs {as_tao(cost)}; the coldkey has "
                            f"{as_tao(balances.free(state, coldkey))}")
    balances.burn(state, coldkey, cost)
    state.add(f"recycled:{netuid}", cost)
    uid = admit(state, netuid, hotkey, coldkey, ctx.block, pow_=False)
    ctx.emit("SubtensorModule", "NeuronRegistered", netuid=netuid, uid=uid, hotkey=hotkey, burn=cost)


def adjust(current: int, regs: int, target: int, alpha: int, lo: int, hi: int) -> int:
    """``a*cur + (1-a) * cur*(R+T)/(2T)`` with a = alpha / u64::MAX, clamped to [lo, hi]."""
    if target == 0:
        updated = current * 2 if regs > 0 else current
    else:
        updated = current * (regs + target) // (2 * target)
    value = (alpha * current + (U64_MAX - alpha) * updated) // U64_MAX
    return max(lo, min(hi, value))


def on_initialize(state: Overlay, block: int) -> None:
    """Every adjustment_interval blocks per subnet: move burn and/or difficulty, reset counters."""
    for netuid in subnets.netuids(state):
        params = subnets.hp(state, netuid)
        interval = params["adjustment_interval"]
        last = int(state.get(f"adj_last:{netuid}", 0))
        if interval == 0 or block - last < interval:
            continue
        r, p, b = state.get(f"regs_interval:{netuid}", [0, 0, 0])
        target, alpha = params["target_regs_per_interval"], params["adjustment_alpha"]
        new = dict(params)
        move_difficulty = p >= b
        move_burn = p <= b
        if move_difficulty:
            new["difficulty"] = adjust(params["difficulty"], r, target, alpha,
                                       params["min_difficulty"], params["max_difficulty"])
        if move_burn:
            new["burn"] = adjust(params["burn"], r, target, alpha, params["min_burn"], params["max_burn"])
        if new != params:
            state.set(f"hp:{netuid}", new)
        state.set(f"regs_interval:{netuid}", [0, 0, 0])
        state.set(f"adj_last:{netuid}", block)
