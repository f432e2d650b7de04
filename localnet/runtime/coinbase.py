"""The per-block coinbase and the epoch's alpha distribution (dynamic TAO).

Source: opentensor/subtensor 14bc6f9, ``pallets/subtensor/src/coinbase/`` (``run_coinbase.rs``,
``subnet_emissions.rs``, ``block_step.rs``) and ``staking/stake_utils.rs`` (moving prices).
Every block: the block emission (TAO, from the issuance halving) is split among the started,
emission-enabled subnets by their share of the sum of moving (EMA) prices, weighted by
1 - MinerBurned; each subnet's TAO share is injected into its pool with the alpha that keeps the
price (capped by root proportion x the alpha emission), the rest buys alpha for the protocol; each
subnet also mints its alpha emission (its own halving on alpha issuance) into pending amounts:
18% owner cut, 50% of the rest to miners (server), the rest to validators minus root's share
(root proportion x 50%), which is paid to root stakers when the sum of moving prices exceeds 1
and recycled otherwise. The epoch pays the pending alpha (``distribute``).

Values are fixed point as in subtensor (U96F32 / U64F64 bits). Keys: ``pending:<n>`` (alpha:
server, validator, root, owner), ``moving_price:<n>`` (I96F32 bits), ``miner_burned:<n>``
(U96F32 bits), ``emission_last:<n>`` (what the last block gave the subnet). **[btkit]**: the
pieces of each block's alpha that subtensor's rounding leaves unowned are counted as burned, and
an epoch that pays out more or less than was pending mints or burns the difference, so that alpha
issuance always equals what is held; root dividends are paid straight to the hotkey's root stakers
as alpha (subtensor lets them claim it).
"""

from __future__ import annotations

from typing import Any

from localnet.runtime import DispatchError, balances, staking, subnets, swap, system
from localnet.runtime.fixedpoint import I96F32, U64F64, U96F32, convert, div, fx, mul
from localnet.state import Overlay

OWNER_CUT = 11_796  # SubnetOwnerCut, 18% of 65535
U64_MAX = (1 << 64) - 1
ONE64 = 1 << U64F64
ONE32 = 1 << U96F32
HALF32 = 1 << (U96F32 - 1)
# SubnetMovingAlpha (I96F32 of 0.000003) and EMAPriceHalvingBlocks (4 weeks) on mainnet; the dev
# profile's prices move within tens of blocks.
EMA = {"mainnet": (12_885, 201_600), "dev": (429_496_730, 10)}
PENDING = ("server", "validator", "root", "owner")


def pending(state: Overlay, netuid: int) -> dict[str, int]:
    return state.get(f"pending:{netuid}") or dict.fromkeys(PENDING, 0)


def moving_price(state: Overlay, netuid: int) -> int:
    """U64F64 bits of the subnet's moving (EMA) price (1.0 on root)."""
    return ONE64 if netuid == swap.ROOT else convert(int(state.get(f"moving_price:{netuid}", 0)), I96F32, U64F64)


def alpha_issuance(state: Overlay, netuid: int) -> int:
    p = swap.pool(state, netuid)
    return p["alpha_in"] + p["alpha_out"]


def tao_weight(state: Overlay) -> int:
    """``get_tao_weight``: U96F32 bits."""
    return div(fx(staking.tao_weight_raw(state), U96F32), fx(U64_MAX, U96F32), U96F32)


def root_proportion(state: Overlay, netuid: int) -> int:
    """``root_tao * tao_weight / (root_tao * tao_weight + alpha_issuance)``, U96F32 bits."""
    weighted = mul(fx(swap.pool(state, swap.ROOT)["tao"], U96F32), tao_weight(state), U96F32)
    return div(weighted, weighted + fx(alpha_issuance(state, netuid), U96F32), U96F32)


def subnets_to_emit_to(state: Overlay) -> list[int]:
    out = []
    for netuid in subnets.netuids(state):
        info = subnets.info(state, netuid)
        if info.get("first_emission_block") is not None and info["started"] \
                and subnets.hp(state, netuid)["registration_allowed"]:
            out.append(netuid)
    return out


def shares(state: Overlay, emitting: list[int]) -> dict[int, int]:
    """``get_shares``: moving-price shares weighted by 1 - MinerBurned, normalized (U64F64)."""
    prices = {n: moving_price(state, n) for n in emitting}
    total = sum(prices.values())
    price_shares = {n: div(p, total, U64F64) for n, p in prices.items()}
    weighted = {}
    for n, s in price_shares.items():
        burned = min(convert(int(state.get(f"miner_burned:{n}", 0)), U96F32, U64F64), ONE64)
        weighted[n] = mul(s, ONE64 - burned, U64F64)
    total_weight = sum(weighted.values())
    if total_weight > 0:
        return {n: div(w, total_weight, U64F64) for n, w in weighted.items()}
    return price_shares


def block_emissions(state: Overlay, emitting: list[int], block_emission: int) -> dict[int, int]:
    """``get_subnet_block_emissions``: U96F32 TAO per subnet (emission-disabled subnets get 0)."""
    share = shares(state, emitting)
    enabled = {n: bool(subnets.info(state, n).get("emission_enabled", True)) for n in emitting}
    enabled_sum = sum(s for n, s in share.items() if enabled[n])
    any_disabled = not all(enabled.values())
    out = {}
    for n, s in share.items():
        if any_disabled:
            s = div(s, enabled_sum, U64F64) if enabled[n] and enabled_sum > 0 else 0
        out[n] = convert(mul(fx(block_emission, U64F64), s, U64F64), U64F64, U96F32)
    return out


def run(state: Overlay, block: int) -> None:
    """Emission for one block (``run_coinbase`` up to draining; the epoch pays out)."""
    emitting = subnets_to_emit_to(state)
    block_emission = int(state.get(system.BLOCK_EMISSION, 0))
    emissions = block_emissions(state, emitting, block_emission)
    root_sell = sum(moving_price(state, n) for n in emitting) > ONE64
    terms = {n: _terms(state, n, emissions[n]) for n in emitting}
    issued = 0
    for netuid in emitting:  # inject_and_maybe_swap
        tao_in, alpha_in, excess, alpha_em = terms[netuid]
        tao_in, alpha_in = swap.adjust_protocol_liquidity(state, netuid, tao_in, alpha_in)
        bought = 0
        if excess > 0 and issued + excess <= block_emission:
            try:
                r = swap.swap(state, netuid, excess, True, swap.MAX_PRICE, drop_fees=True)
            except DispatchError:  # subtensor leaves the excess unspent when the buy fails
                r = None
            if r is not None:
                swap.apply_buy(state, netuid, r)
                swap.update(state, netuid, protocol_alpha=r.paid_out)
                issued += r.paid_in
                bought = r.paid_in
        if alpha_in:
            swap.update(state, netuid, alpha_in=alpha_in, minted=alpha_in)
        if tao_in and issued + tao_in <= block_emission:
            swap.update(state, netuid, tao=tao_in)
            issued += tao_in
        else:
            tao_in = 0
        state.set(f"emission_last:{netuid}", {"block": block, "tao": tao_in + bought, "tao_in": tao_in,
                                              "alpha_in": alpha_in, "alpha_out": alpha_em,
                                              "share": emissions[netuid] >> U96F32})
    state.add(balances.ISSUANCE, issued)  # what was not spent is never issued (recycle_credit)
    cut = div(fx(int(state.get("owner_cut", OWNER_CUT)), U96F32), fx(65535, U96F32), U96F32)
    for netuid in emitting:
        _pend(state, netuid, terms[netuid][3], cut, root_sell)


def _terms(state: Overlay, netuid: int, tao_em: int) -> tuple[int, int, int, int]:
    """``get_subnet_terms``: (tao_in, alpha_in, excess_tao, alpha_emission) in rao."""
    alpha_em = system.block_emission(alpha_issuance(state, netuid))
    price = convert(swap.current_price(state, netuid), U64F64, U96F32)
    tao_in = tao_em
    alpha_in = div(tao_em, price, U96F32)
    cap = mul(root_proportion(state, netuid), fx(alpha_em, U96F32), U96F32)
    if alpha_in > cap:
        alpha_in = cap
        tao_in = mul(alpha_in, price, U96F32)
    return tao_in >> U96F32, alpha_in >> U96F32, max(tao_em - tao_in, 0) >> U96F32, alpha_em


def _pend(state: Overlay, netuid: int, alpha_em: int, cut: int, root_sell: bool) -> None:
    """``emit_to_subnets``' second half: mint the alpha emission and split it into pending amounts."""
    swap.update(state, netuid, alpha_out=alpha_em, minted=alpha_em)
    alpha_out = fx(alpha_em, U96F32)
    owner = mul(alpha_out, cut, U96F32)
    alpha_out -= owner
    root_alpha = mul(mul(root_proportion(state, netuid), alpha_out, U96F32), HALF32, U96F32)
    server = mul(alpha_out, HALF32, U96F32)
    validator = max(alpha_out - server - root_alpha, 0)
    parts = {"owner": owner >> U96F32, "server": server >> U96F32, "validator": validator >> U96F32,
             "root": root_alpha >> U96F32}
    recycled = 0 if root_sell else parts.pop("root")
    old = pending(state, netuid)
    state.set(f"pending:{netuid}", {k: old[k] + parts.get(k, 0) for k in PENDING})
    swap.update(state, netuid, alpha_out=-recycled, recycled=recycled,
                burned=alpha_em - sum(parts.values()) - recycled)


def ema_params(state: Overlay) -> tuple[int, int]:
    """(SubnetMovingAlpha as I96F32 bits, EMAPriceHalvingBlocks): the profile's, unless set in state."""
    ma, halving = EMA["mainnet" if state.get("profile") == "mainnet" else "dev"]
    return int(state.get("ema_moving_alpha", ma)), int(state.get("ema_halving_blocks", halving))


def update_moving_prices(state: Overlay, block: int) -> None:
    """``update_moving_prices``: every emitting subnet's EMA price (after the coinbase)."""
    for netuid in subnets_to_emit_to(state):
        update_moving_price(state, netuid, block)


def update_moving_price(state: Overlay, netuid: int, block: int) -> None:
    """EMA towards min(price, 1), with alpha = moving_alpha x t / (t + halving), t = blocks since start."""
    ma, halving = ema_params(state)
    start = subnets.info(state, netuid)["first_emission_block"]
    since = fx(max(block - max(start - 1, 0), 0), U64F64)
    alpha = mul(convert(ma, I96F32, U64F64), div(since, since + fx(halving, U64F64), U64F64), U64F64)
    price = mul(alpha, min(swap.current_price(state, netuid), ONE64), U64F64)
    moving = mul(ONE64 - alpha, moving_price(state, netuid), U64F64)
    state.set(f"moving_price:{netuid}", convert(price + moving, U64F64, I96F32))


# -- the epoch's payout (distribute_emission) ---------------------------------------------
def drain(state: Overlay, netuid: int) -> dict[str, int]:
    amounts = pending(state, netuid)
    state.delete(f"pending:{netuid}")
    return amounts


def _owner_hotkeys(state: Overlay, netuid: int, owner_coldkey: str) -> set[str]:
    hotkeys = {subnets.info(state, netuid)["owner_hotkey"]}
    for uid in range(subnets.n(state, netuid)):
        hk = subnets.neuron(state, netuid, uid)["hotkey"]
        if subnets.owner_of(state, hk) == owner_coldkey:
            hotkeys.add(hk)
    return hotkeys


def _pay_hotkey(state: Overlay, netuid: int, hotkey: str, amount: int, by: dict[str, int]) -> dict[str, int]:
    """Split ``amount`` alpha pro rata over ``by`` (coldkey -> weight), dust to the hotkey's owner."""
    owner = subnets.owner_of(state, hotkey)
    total = sum(by.values())
    shares = {ck: amount * w // total for ck, w in sorted(by.items())} if total else {}
    shares[owner] = shares.get(owner, 0) + amount - sum(shares.values())
    for ck, a in shares.items():
        staking.credit(state, hotkey, ck, netuid, a)
    return {ck: a for ck, a in shares.items() if a}


def distribute(state: Overlay, netuid: int, amounts: dict[str, int], server: list[int], validator: list[int],
               hotkeys: list[str]) -> dict[str, Any]:
    """Pay an epoch: incentives (``server``), dividends split by ``validator`` (the epoch's per-uid
    outputs), root dividends and the owner cut. Returns what each uid got (alpha)."""
    info = subnets.info(state, netuid)
    owner_hotkeys = _owner_hotkeys(state, netuid, info["owner_coldkey"])
    incentive_sum = sum(server)
    validator_alpha = amounts["validator"] + (0 if incentive_sum else amounts["server"])
    paid = 0
    staking.credit(state, info["owner_hotkey"], info["owner_coldkey"], netuid, amounts["owner"])
    paid += amounts["owner"]
    withheld = 0
    rows: dict[int, dict[str, Any]] = {}
    for uid, hk in enumerate(hotkeys):
        rows[uid] = {"uid": uid, "incentive": 0, "dividends": 0, "take": 0, "nominators": {}}
        if not server[uid]:
            continue
        if hk in owner_hotkeys:
            withheld += server[uid]  # the owner's own incentive is burned (RecycleOrBurn default)
            continue
        staking.credit(state, hk, subnets.owner_of(state, hk), netuid, server[uid])
        rows[uid]["incentive"] = server[uid]
        paid += server[uid]
    state.set(f"miner_burned:{netuid}", div(fx(withheld, U96F32), fx(incentive_sum, U96F32), U96F32))
    tw = tao_weight(state)
    alpha_divs, root_divs = {}, {}
    for uid, hk in enumerate(hotkeys):
        if not validator[uid]:
            continue
        alpha_stake = fx(staking.total_hotkey_stake(state, netuid, hk), U96F32)
        root_alpha = mul(fx(staking.total_hotkey_stake(state, swap.ROOT, hk), U96F32), tw, U96F32)
        root_prop = div(root_alpha, alpha_stake + root_alpha, U96F32)
        d = fx(validator[uid], U96F32)
        root_divs[uid] = mul(d, root_prop, U96F32)
        alpha_divs[uid] = d - root_divs[uid]
    total_alpha, total_root = sum(alpha_divs.values()), sum(root_divs.values())
    for uid, divs in alpha_divs.items():
        hk = hotkeys[uid]
        amount = mul(fx(validator_alpha, U96F32), div(divs, total_alpha, U96F32), U96F32)
        root_amount = mul(fx(amounts["root"], U96F32), div(root_divs[uid], total_root, U96F32), U96F32)
        take_rate = div(fx(staking.take_of(state, hk), U96F32), fx(65535, U96F32), U96F32)
        take_fx, root_take_fx = mul(take_rate, amount, U96F32), mul(take_rate, root_amount, U96F32)
        take, root_take = take_fx >> U96F32, root_take_fx >> U96F32
        rest, root_rest = (amount - take_fx) >> U96F32, (root_amount - root_take_fx) >> U96F32
        owner = subnets.owner_of(state, hk)
        staking.credit(state, hk, owner, netuid, take + root_take)
        nominators = _pay_hotkey(state, netuid, hk, rest, staking.stakers(state, netuid, hk))
        if root_rest:
            for ck, a in _pay_hotkey(state, netuid, hk, root_rest, staking.stakers(state, swap.ROOT, hk)).items():
                nominators[ck] = nominators.get(ck, 0) + a
        rows[uid].update(dividends=rest + root_rest + take + root_take, take=take + root_take, nominators=nominators)
        paid += take + root_take + rest + root_rest
    owed = sum(amounts.values())
    gap = owed - paid - withheld  # >0: unpaid (burned); <0: the epoch paid more than was pending (minted)
    swap.update(state, netuid, burned=max(gap, 0) + withheld, alpha_out=max(-gap, 0), minted=max(-gap, 0))
    return {"paid": paid, "burned": withheld, "unpaid": gap, "payouts": [rows[u] for u in sorted(rows)]}
