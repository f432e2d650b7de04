"""Staking in alpha through each subnet's pool; nomination and delegate take.

Source: opentensor/subtensor 14bc6f9, ``pallets/subtensor/src/staking/`` (``add_stake.rs``,
``remove_stake.rs``, ``move_stake.rs``, ``stake_utils.rs``). Stake is alpha (rao of the subnet's
token) per (hotkey, coldkey, netuid); staking TAO buys alpha from the pool, unstaking sells it
(``localnet.runtime.swap``); root (netuid 0) is 1:1. Error names are subtensor's.

**[btkit]** simplifications: stake is held as explicit amounts per coldkey, not subtensor's share
pool (emission to a hotkey is split pro rata in rao, dust to the hotkey's owner); swap fees have no
block author to go to, so TAO fees are recycled (issuance shrinks, ``recycled:<netuid>``) and alpha
fees are burned (``pool.burned``), as subtensor does when there is no author; a limit order's unspent
TAO rounding is refunded; no locks, children or auto-stake. Keys: ``stake:<hotkey>:<coldkey>:<n>``,
``hk_stake:<n>:<hotkey>`` (TotalHotkeyAlpha), ``stakers:<n>:<hotkey>``, ``stakes_of:<coldkey>``,
``take:<hotkey>``, ``take_block:<hotkey>``.
"""

from __future__ import annotations

from localnet.runtime import Context, DispatchError, call
from localnet.runtime import balances, subnets, swap
from localnet.runtime.fixedpoint import U64F64, fx, mul, to_u64
from localnet.runtime.types import account, as_stake, as_tao, boolean, u16, u64
from localnet.state import Overlay

MIN_STAKE = 2_000_000  # DefaultMinStake (rao)
DEFAULT_TAKE = 11_796  # 18% of 65535
MAX_TAKE = 11_796
TAKE_RATE_LIMIT = 10  # blocks between take increases (dev)
TAO_WEIGHT = 971_718_665_099_567_868  # SubtensorInitialTaoWeight (/ u64::MAX, ~5.27%)
S = "SubtensorModule."


# -- reads ------------------------------------------------------------------------------
def stake_of(state: Overlay, hotkey: str, coldkey: str, netuid: int) -> int:
    """Alpha (rao) the coldkey holds on the hotkey in the subnet."""
    return int(state.get(f"stake:{hotkey}:{coldkey}:{netuid}", 0))


def total_hotkey_stake(state: Overlay, netuid: int, hotkey: str) -> int:
    """TotalHotkeyAlpha: all alpha staked on the hotkey in the subnet (rao)."""
    return int(state.get(f"hk_stake:{netuid}:{hotkey}", 0))


def tao_weight_raw(state: Overlay) -> int:
    """TaoWeight: root stake's weight in subnets, as parts of u64::MAX."""
    return int(state.get("tao_weight", TAO_WEIGHT))


def stake_weight(state: Overlay, netuid: int, hotkey: str) -> int:
    """The epoch's stake: alpha + root stake x tao_weight (``get_stake_weights_for_network``), floored."""
    root = total_hotkey_stake(state, swap.ROOT, hotkey)
    return total_hotkey_stake(state, netuid, hotkey) + (root * tao_weight_raw(state)) // ((1 << 64) - 1)


def stakers(state: Overlay, netuid: int, hotkey: str) -> dict[str, int]:
    """coldkey -> stake on ``hotkey`` in ``netuid`` (from the ``stakers:<n>:<hotkey>`` index)."""
    return {ck: stake_of(state, hotkey, ck, netuid) for ck in state.get(f"stakers:{netuid}:{hotkey}", [])}


def stakes_of(state: Overlay, coldkey: str) -> list[tuple[str, int, int]]:
    """(hotkey, netuid, alpha) for every stake a coldkey holds."""
    return [(hk, net, stake_of(state, hk, coldkey, net)) for hk, net in state.get(f"stakes_of:{coldkey}", [])]


def take_of(state: Overlay, hotkey: str) -> int:
    return int(state.get(f"take:{hotkey}", DEFAULT_TAKE))


def tao_value(state: Overlay, netuid: int, alpha: int) -> int:
    """alpha x the current price, floored (rao of TAO; no slippage)."""
    return to_u64(mul(swap.current_price(state, netuid), fx(alpha, U64F64), U64F64), U64F64)


# -- writes -----------------------------------------------------------------------------
def _index(state: Overlay, hotkey: str, coldkey: str, netuid: int) -> None:
    held = stake_of(state, hotkey, coldkey, netuid) > 0
    key = f"stakers:{netuid}:{hotkey}"
    cks = list(state.get(key, []))
    if held != (coldkey in cks):
        cks = sorted(cks + [coldkey]) if held else [c for c in cks if c != coldkey]
        state.set(key, cks) if cks else state.delete(key)
    key = f"stakes_of:{coldkey}"
    pairs = [tuple(p) for p in state.get(key, [])]
    if held != ((hotkey, netuid) in pairs):
        pairs = sorted(pairs + [(hotkey, netuid)]) if held else [p for p in pairs if p != (hotkey, netuid)]
        state.set(key, [list(p) for p in pairs]) if pairs else state.delete(key)


def credit(state: Overlay, hotkey: str, coldkey: str, netuid: int, amount: int) -> None:
    """Add alpha to a stake (bought, moved or emitted: the caller accounts for where it came from)."""
    if amount:
        held = state.add(f"stake:{hotkey}:{coldkey}:{netuid}", amount)
        state.add(f"hk_stake:{netuid}:{hotkey}", amount)
        if held == amount:  # a new stake: index it
            _index(state, hotkey, coldkey, netuid)


def debit(state: Overlay, hotkey: str, coldkey: str, netuid: int, amount: int) -> None:
    if amount:
        held = state.add(f"stake:{hotkey}:{coldkey}:{netuid}", -amount)
        state.add(f"hk_stake:{netuid}:{hotkey}", -amount)
        if held == 0:  # the stake is gone: unindex it
            _index(state, hotkey, coldkey, netuid)


def recycle_tao(state: Overlay, netuid: int, amount: int) -> None:
    if amount:
        state.add(balances.ISSUANCE, -amount)
        state.add(f"recycled:{netuid}", amount)


# -- stake_utils: into and out of a subnet --------------------------------------------------
def stake_into_subnet(ctx: Context, hotkey: str, coldkey: str, netuid: int, tao: int, limit_rao: int,
                      drop_fees: bool) -> int:
    """Buy alpha with ``tao`` from the coldkey's free balance and stake it; returns the alpha."""
    state = ctx.state
    balances.withdraw(state, coldkey, tao)
    r = swap.swap(state, netuid, tao, True, limit_rao, drop_fees)
    if r.paid_out == 0:
        raise DispatchError(S + "AmountTooLow", "the stake buys no alpha")
    swap.apply_buy(state, netuid, r)
    credit(state, hotkey, coldkey, netuid, r.paid_out)
    recycle_tao(state, netuid, r.fee)
    leftover = tao - r.paid_in - r.fee
    if leftover > 0:
        balances.deposit(state, coldkey, leftover)
    ctx.emit("SubtensorModule", "StakeAdded", coldkey=coldkey, hotkey=hotkey, tao=r.paid_in + r.fee,
             alpha=r.paid_out, netuid=netuid, fee=r.fee, price=swap.price_rao(state, netuid))
    return r.paid_out


def unstake_from_subnet(ctx: Context, hotkey: str, coldkey: str, netuid: int, alpha: int, limit_rao: int,
                        drop_fees: bool) -> int:
    """Sell ``alpha`` of the stake into the pool; the TAO goes to the coldkey's free balance."""
    state = ctx.state
    debit(state, hotkey, coldkey, netuid, alpha)
    r = swap.swap(state, netuid, alpha, False, limit_rao, drop_fees)
    swap.apply_sell(state, netuid, r)
    refund = alpha - r.paid_in - r.fee
    if refund > 0:
        credit(state, hotkey, coldkey, netuid, refund)
    balances.deposit(state, coldkey, r.paid_out)
    if r.fee:
        swap.update(state, netuid, burned=r.fee)  # stays in alpha_out, out of circulation
    ctx.emit("SubtensorModule", "StakeRemoved", coldkey=coldkey, hotkey=hotkey, tao=r.paid_out,
             alpha=r.paid_in + r.fee, netuid=netuid, fee=r.fee, price=swap.price_rao(state, netuid))
    return r.paid_out


# -- validation (stake_utils.rs) ------------------------------------------------------------
def subnet_exists(state: Overlay, netuid: int) -> bool:
    return netuid == swap.ROOT or subnets.exists(state, netuid)


def subtoken_enabled(state: Overlay, netuid: int) -> bool:
    return netuid == swap.ROOT or bool(subnets.exists(state, netuid) and subnets.info(state, netuid)["started"])


def _require_subnet(state: Overlay, netuid: int) -> None:
    if not subnet_exists(state, netuid):
        raise DispatchError(S + "SubnetNotExists", f"subnet {netuid} does not exist")


def _require_enabled(state: Overlay, netuid: int) -> None:
    if not subtoken_enabled(state, netuid):
        raise DispatchError(S + "SubtokenDisabled", f"subnet {netuid} has not started (its owner must run start_call)")


def _require_hotkey(state: Overlay, hotkey: str) -> None:
    if subnets.owner_of(state, hotkey) is None:
        raise DispatchError(S + "HotKeyAccountNotExists", f"{hotkey} is not a known hotkey (register it first)")


def _within_swap_limit(state: Overlay, netuid: int, amount: int, buying: bool) -> None:
    if netuid != swap.ROOT and subnets.exists(state, netuid):
        p = swap.pool(state, netuid)
        if amount > (p["tao"] if buying else p["alpha_in"]) * swap.MAX_SWAP_INPUT_RESERVE_MULTIPLIER:
            raise DispatchError(S + "InsufficientLiquidity", "the amount is over 1000 times the pool's reserve")


def _sim(state: Overlay, netuid: int, amount: int, buying: bool) -> swap.SwapResult:
    try:
        return swap.swap(state, netuid, amount, buying, swap.MAX_PRICE if buying else swap.MIN_PRICE)
    except DispatchError:
        raise DispatchError(S + "InsufficientLiquidity", "the pool cannot take this swap") from None


def validate_add_stake(ctx: Context, hotkey: str, netuid: int, tao: int, max_amount: int, partial: bool) -> None:
    state = ctx.state
    _require_subnet(state, netuid)
    _require_enabled(state, netuid)
    try:
        min_fee = swap.swap(state, netuid, MIN_STAKE, True, swap.MAX_PRICE).fee
    except DispatchError:
        min_fee = swap.fee_amount(swap.pool(state, netuid), MIN_STAKE, netuid == swap.ROOT, False)
    if tao < MIN_STAKE + min_fee:
        raise DispatchError(S + "AmountTooLow", f"{as_tao(tao)} is below the minimum stake of "
                                                f"{as_tao(MIN_STAKE + min_fee)} "
                                                "(the minimum plus the swap fee)")
    if not partial and tao > max_amount:
        raise DispatchError(S + "SlippageTooHigh", f"only {as_tao(max_amount)} fill within the limit price")
    tao = min(tao, max_amount)
    if balances.free(state, ctx.signer) < tao:
        raise DispatchError(S + "NotEnoughBalanceToStake", f"free balance {as_tao(balances.free(state, ctx.signer))} "
                                                           f"< {as_tao(tao)}")
    _require_hotkey(state, hotkey)
    r = _sim(state, netuid, tao, True)
    if r.paid_in < MIN_STAKE:
        raise DispatchError(S + "AmountTooLow", f"only {as_tao(r.paid_in)} would be staked "
                                                f"(minimum {as_tao(MIN_STAKE)})")
    if r.paid_out == 0:
        raise DispatchError(S + "InsufficientLiquidity", "the stake would buy no alpha")


def validate_remove_stake(ctx: Context, hotkey: str, netuid: int, alpha: int, max_amount: int,
                          partial: bool) -> None:
    state = ctx.state
    _require_subnet(state, netuid)
    if alpha == 0:
        raise DispatchError(S + "AmountTooLow", "nothing to unstake")
    held = stake_of(state, hotkey, ctx.signer, netuid)
    if held < alpha:
        raise DispatchError(S + "NotEnoughStakeToWithdraw",
                            f"the coldkey has {as_stake(held, netuid)} staked on {hotkey} in subnet {netuid}")
    r = _sim(state, netuid, alpha, False)
    if held - alpha and r.paid_out < MIN_STAKE:
        raise DispatchError(S + "AmountTooLow", f"the unstake is worth {as_tao(r.paid_out)}, below {as_tao(MIN_STAKE)} "
                                                "(unstake everything, or more)")
    if not partial and alpha > max_amount:
        raise DispatchError(S + "SlippageTooHigh", f"only {as_stake(max_amount, netuid)} fill within the limit price")
    _require_hotkey(state, hotkey)


def _max_amount(state: Overlay, netuid: int, limit_price: int, buying: bool) -> int:
    _require_subnet(state, netuid)
    return swap.max_amount(state, netuid, limit_price, buying)


# -- calls --------------------------------------------------------------------------------
@call("SubtensorModule", "add_stake", hotkey=account, netuid=u16, amount_staked=u64)
def add_stake(ctx: Context, hotkey: str, netuid: int, amount_staked: int) -> None:
    """Stake ``amount_staked`` rao of TAO: it buys alpha at the pool (fee 33/65535) at any price."""
    _within_swap_limit(ctx.state, netuid, amount_staked, True)
    validate_add_stake(ctx, hotkey, netuid, amount_staked, amount_staked, False)
    stake_into_subnet(ctx, hotkey, ctx.signer, netuid, amount_staked, swap.MAX_PRICE, False)


@call("SubtensorModule", "add_stake_limit", hotkey=account, netuid=u16, amount_staked=u64, limit_price=u64,
      allow_partial=boolean)
def add_stake_limit(ctx: Context, hotkey: str, netuid: int, amount_staked: int, limit_price: int,
                    allow_partial: bool) -> None:
    """Stake, buying only while the price stays at or under ``limit_price`` (rao per alpha):
    a partial fill with ``allow_partial``, else ``SlippageTooHigh``."""
    _within_swap_limit(ctx.state, netuid, amount_staked, True)
    most = _max_amount(ctx.state, netuid, limit_price, True)
    validate_add_stake(ctx, hotkey, netuid, amount_staked, most, allow_partial)
    stake_into_subnet(ctx, hotkey, ctx.signer, netuid, min(amount_staked, most), limit_price, False)


@call("SubtensorModule", "remove_stake", hotkey=account, netuid=u16, amount_unstaked=u64)
def remove_stake(ctx: Context, hotkey: str, netuid: int, amount_unstaked: int) -> None:
    """Unstake ``amount_unstaked`` alpha (capped at the stake held): it sells at the pool at any price."""
    _require_enabled(ctx.state, netuid)
    alpha = min(amount_unstaked, stake_of(ctx.state, hotkey, ctx.signer, netuid))
    _within_swap_limit(ctx.state, netuid, alpha, False)
    validate_remove_stake(ctx, hotkey, netuid, alpha, alpha, False)
    unstake_from_subnet(ctx, hotkey, ctx.signer, netuid, alpha, swap.MIN_PRICE, False)


@call("SubtensorModule", "remove_stake_limit", hotkey=account, netuid=u16, amount_unstaked=u64, limit_price=u64,
      allow_partial=boolean)
def remove_stake_limit(ctx: Context, hotkey: str, netuid: int, amount_unstaked: int, limit_price: int,
                       allow_partial: bool) -> None:
    """Unstake, selling only while the price stays at or above ``limit_price`` (rao per alpha)."""
    _within_swap_limit(ctx.state, netuid, amount_unstaked, False)
    most = _max_amount(ctx.state, netuid, limit_price, False)
    validate_remove_stake(ctx, hotkey, netuid, amount_unstaked, most, allow_partial)
    unstake_from_subnet(ctx, hotkey, ctx.signer, netuid, min(amount_unstaked, most), limit_price, False)


def _unstake_everywhere(ctx: Context, hotkey: str, include_root: bool) -> int:
    _require_hotkey(ctx.state, hotkey)
    total = 0
    for netuid in [swap.ROOT] + subnets.netuids(ctx.state):
        if (netuid == swap.ROOT and not include_root) or not subtoken_enabled(ctx.state, netuid):
            continue
        alpha = stake_of(ctx.state, hotkey, ctx.signer, netuid)
        try:
            validate_remove_stake(ctx, hotkey, netuid, alpha, alpha, False)
        except DispatchError:
            continue
        total += unstake_from_subnet(ctx, hotkey, ctx.signer, netuid, alpha, swap.MIN_PRICE, False)
    return total


@call("SubtensorModule", "unstake_all", hotkey=account)
def unstake_all(ctx: Context, hotkey: str) -> None:
    """Unstake everything the signing coldkey holds on ``hotkey``, in every subnet and root."""
    _unstake_everywhere(ctx, hotkey, include_root=True)


@call("SubtensorModule", "unstake_all_alpha", hotkey=account)
def unstake_all_alpha(ctx: Context, hotkey: str) -> None:
    """Unstake all alpha on ``hotkey`` (every subnet but root) and stake the TAO on root."""
    tao = _unstake_everywhere(ctx, hotkey, include_root=False)
    stake_into_subnet(ctx, hotkey, ctx.signer, swap.ROOT, tao, swap.MAX_PRICE, False)


# -- moves (move_stake.rs) -----------------------------------------------------------------
def _validate_transition(ctx: Context, dest_coldkey: str, origin_hotkey: str, dest_hotkey: str, origin: int,
                         dest: int, alpha: int, max_amount: int, partial: bool | None) -> None:
    state = ctx.state
    if ctx.signer == dest_coldkey and origin_hotkey == dest_hotkey and origin == dest:
        raise DispatchError(S + "SameNetuid", "origin and destination are the same stake")
    for netuid in (origin, dest):
        _require_subnet(state, netuid)
    for netuid in (origin, dest):
        _require_enabled(state, netuid)
    _require_hotkey(state, origin_hotkey)
    _require_hotkey(state, dest_hotkey)
    held = stake_of(state, origin_hotkey, ctx.signer, origin)
    if alpha > held:
        raise DispatchError(S + "NotEnoughStakeToWithdraw", f"the coldkey has {as_stake(held, origin)} there")
    if origin != dest:
        value = _sim(state, origin, alpha, False).paid_out
        if value <= MIN_STAKE:
            raise DispatchError(S + "AmountTooLow", f"the stake moved is worth {as_tao(value)}, "
                                                    f"not over {as_tao(MIN_STAKE)}")
        if partial is False and alpha > max_amount:
            raise DispatchError(S + "SlippageTooHigh",
                                f"only {as_stake(max_amount, origin)} move within the limit price")


def _transition(ctx: Context, dest_coldkey: str, origin_hotkey: str, dest_hotkey: str, origin: int, dest: int,
                alpha: int, limit_price: int | None = None, partial: bool | None = None) -> int:
    """``transition_stake_internal``: within a subnet the alpha moves as is; across subnets it is
    sold on the origin pool and the TAO bought into the destination pool (one fee: none on root)."""
    state = ctx.state
    alpha = min(alpha, stake_of(state, origin_hotkey, ctx.signer, origin))
    most = alpha
    if origin != dest and limit_price is not None:
        _require_subnet(state, origin)
        _require_subnet(state, dest)
        most = swap.max_amount_move(state, origin, dest, limit_price)
    _validate_transition(ctx, dest_coldkey, origin_hotkey, dest_hotkey, origin, dest, alpha, most, partial)
    alpha = min(alpha, most)
    if origin == dest:
        debit(state, origin_hotkey, ctx.signer, origin, alpha)
        credit(state, dest_hotkey, dest_coldkey, dest, alpha)
        value = tao_value(state, origin, alpha)
        if value < MIN_STAKE:
            raise DispatchError(S + "AmountTooLow", f"the stake moved is worth {as_tao(value)}, "
                                                    f"under {as_tao(MIN_STAKE)}")
        ctx.emit("SubtensorModule", "StakeRemoved", coldkey=ctx.signer, hotkey=origin_hotkey, tao=value,
                 alpha=alpha, netuid=origin, fee=0, price=swap.price_rao(state, origin))
        ctx.emit("SubtensorModule", "StakeAdded", coldkey=dest_coldkey, hotkey=dest_hotkey, tao=value,
                 alpha=alpha, netuid=dest, fee=0, price=swap.price_rao(state, dest))
        return value
    drop_origin = origin == swap.ROOT
    tao = unstake_from_subnet(ctx, origin_hotkey, ctx.signer, origin, alpha, swap.MIN_PRICE, drop_origin)
    if dest_coldkey != ctx.signer:
        balances.withdraw(state, ctx.signer, tao)
        balances.deposit(state, dest_coldkey, tao)
    if tao >= MIN_STAKE:
        stake_into_subnet(ctx, dest_hotkey, dest_coldkey, dest, tao, swap.MAX_PRICE, not drop_origin)
    return tao


@call("SubtensorModule", "move_stake", origin_hotkey=account, destination_hotkey=account, origin_netuid=u16,
      destination_netuid=u16, alpha_amount=u64)
def move_stake(ctx: Context, origin_hotkey: str, destination_hotkey: str, origin_netuid: int,
               destination_netuid: int, alpha_amount: int) -> None:
    """Move the signer's alpha to another hotkey and/or subnet (across subnets: sold, then bought)."""
    tao = _transition(ctx, ctx.signer, origin_hotkey, destination_hotkey, origin_netuid, destination_netuid,
                      alpha_amount)
    ctx.emit("SubtensorModule", "StakeMoved", coldkey=ctx.signer, origin_hotkey=origin_hotkey,
             origin_netuid=origin_netuid, destination_hotkey=destination_hotkey,
             destination_netuid=destination_netuid, tao=tao)


@call("SubtensorModule", "transfer_stake", destination_coldkey=account, hotkey=account, origin_netuid=u16,
      destination_netuid=u16, alpha_amount=u64)
def transfer_stake(ctx: Context, destination_coldkey: str, hotkey: str, origin_netuid: int, destination_netuid: int,
                   alpha_amount: int) -> None:
    """Give alpha staked on ``hotkey`` to another coldkey (optionally into another subnet)."""
    tao = _transition(ctx, destination_coldkey, hotkey, hotkey, origin_netuid, destination_netuid, alpha_amount)
    ctx.emit("SubtensorModule", "StakeTransferred", origin_coldkey=ctx.signer,
             destination_coldkey=destination_coldkey, hotkey=hotkey, origin_netuid=origin_netuid,
             destination_netuid=destination_netuid, tao=tao)


@call("SubtensorModule", "swap_stake", hotkey=account, origin_netuid=u16, destination_netuid=u16,
      alpha_amount=u64)
def swap_stake(ctx: Context, hotkey: str, origin_netuid: int, destination_netuid: int, alpha_amount: int) -> None:
    """Swap alpha staked on ``hotkey`` in one subnet for alpha in another, same hotkey."""
    tao = _transition(ctx, ctx.signer, hotkey, hotkey, origin_netuid, destination_netuid, alpha_amount)
    ctx.emit("SubtensorModule", "StakeSwapped", coldkey=ctx.signer, hotkey=hotkey, origin_netuid=origin_netuid,
             destination_netuid=destination_netuid, tao=tao)


@call("SubtensorModule", "swap_stake_limit", hotkey=account, origin_netuid=u16, destination_netuid=u16,
      alpha_amount=u64, limit_price=u64, allow_partial=boolean)
def swap_stake_limit(ctx: Context, hotkey: str, origin_netuid: int, destination_netuid: int, alpha_amount: int,
                     limit_price: int, allow_partial: bool) -> None:
    """``swap_stake`` while origin price / destination price stays at or above ``limit_price`` (rao per rao)."""
    tao = _transition(ctx, ctx.signer, hotkey, hotkey, origin_netuid, destination_netuid, alpha_amount, limit_price,
                      allow_partial)
    ctx.emit("SubtensorModule", "StakeSwapped", coldkey=ctx.signer, hotkey=hotkey, origin_netuid=origin_netuid,
             destination_netuid=destination_netuid, tao=tao)


# -- delegate take ---------------------------------------------------------------------------
def _own(ctx: Context, hotkey: str) -> None:
    if subnets.owner_of(ctx.state, hotkey) != ctx.signer:
        raise DispatchError(S + "NonAssociatedColdKey", f"{hotkey} is not owned by the signing coldkey")


@call("SubtensorModule", "increase_take", hotkey=account, take=u16)
def increase_take(ctx: Context, hotkey: str, take: int) -> None:
    """Raise a delegate's take (owner coldkey; rate limited; at most 18%)."""
    _own(ctx, hotkey)
    current = take_of(ctx.state, hotkey)
    if take <= current:
        raise DispatchError(S + "DelegateTakeTooLow", f"the take is already {current}")
    if take > MAX_TAKE:
        raise DispatchError(S + "DelegateTakeTooHigh", f"the maximum take is {MAX_TAKE} (18%)")
    last = ctx.state.get(f"take_block:{hotkey}")
    if last is not None and ctx.block - last < TAKE_RATE_LIMIT:
        raise DispatchError(S + "DelegateTxRateLimitExceeded",
                            f"the take was raised at block {last}; wait until block {last + TAKE_RATE_LIMIT}")
    ctx.state.set(f"take:{hotkey}", take)
    ctx.state.set(f"take_block:{hotkey}", ctx.block)
    ctx.emit("SubtensorModule", "TakeIncreased", hotkey=hotkey, take=take)


@call("SubtensorModule", "decrease_take", hotkey=account, take=u16)
def decrease_take(ctx: Context, hotkey: str, take: int) -> None:
    """Lower a delegate's take (owner coldkey)."""
    _own(ctx, hotkey)
    current = take_of(ctx.state, hotkey)
    if take >= current:
        raise DispatchError(S + "DelegateTakeTooHigh", f"the take is {current}; a decrease must be lower")
    ctx.state.set(f"take:{hotkey}", take)
    ctx.emit("SubtensorModule", "TakeDecreased", hotkey=hotkey, take=take)


# -- queries ---------------------------------------------------------------------------------
def quote(state: Overlay, netuid: int, amount: int, adding: bool, limit_price: int | None = None) -> dict:
    """What ``add_stake`` of ``amount`` TAO (``adding``) or ``remove_stake`` of ``amount`` alpha would do
    now, without doing it: ``paid_in`` (into the pool), ``fee`` (rao of the input token), ``received``
    (alpha or TAO), prices before and after (rao per alpha), ``price_impact`` (after / before - 1, as a
    fraction), ``slippage`` (received vs. the no-impact amount, fraction), and with ``limit_price``
    (rao per alpha) ``max_at_limit``: the most input that fills within it. Raises ``DispatchError``."""
    _require_subnet(state, netuid)
    limit = limit_price if limit_price is not None else (swap.MAX_PRICE if adding else swap.MIN_PRICE)
    r = swap.swap(state, netuid, amount, adding, limit)
    before, after = (r.price_before * 10**9) >> 64, (r.price_after * 10**9) >> 64
    ideal = (r.paid_in * 10**9 // before if adding else r.paid_in * before // 10**9) if before else 0
    out = {"netuid": netuid, "input": amount, "paid_in": r.paid_in, "fee": r.fee, "received": r.paid_out,
           "price_before": before, "price_after": after,
           "price_impact": (after / before - 1) if before else 0.0,
           "slippage": (1 - r.paid_out / ideal) if ideal else 0.0, "filled": r.paid_in + r.fee}
    if limit_price is not None:
        out["max_at_limit"] = swap.max_amount(state, netuid, limit_price, adding)
    return out


def quote_swap(state: Overlay, origin: int, dest: int, alpha: int, limit_price: int | None = None) -> dict:
    """What ``swap_stake`` of ``alpha`` (rao) from ``origin`` to ``dest`` would do now, without doing it:
    ``sold`` (``quote`` of the unstake on ``origin``), ``bought`` (``quote`` of staking what it received
    on ``dest``), ``ratio_before`` (origin price / destination price, rao per rao) and with
    ``limit_price`` ``max_at_limit``: the most alpha ``swap_stake_limit`` moves within it
    (``max_amount_move``; 0 when nothing fits). Raises ``DispatchError``."""
    for netuid in (origin, dest):
        _require_subnet(state, netuid)
    sold = quote(state, origin, alpha, False)
    bought = quote(state, dest, sold["received"], True)
    dest_price = swap.price_rao(state, dest)
    out = {"origin_netuid": origin, "destination_netuid": dest, "input": alpha, "sold": sold, "bought": bought,
           "ratio_before": swap.price_rao(state, origin) * 10**9 // dest_price if dest_price else 0}
    if limit_price is not None:
        try:
            out["max_at_limit"] = swap.max_amount_move(state, origin, dest, limit_price)
        except DispatchError:
            out["max_at_limit"] = 0
    return out


def pool_info(state: Overlay, netuid: int) -> dict:
    """A subnet's pool for queries: reserves, price (rao per alpha), moving price, last block's emission."""
    from localnet.runtime import coinbase

    p = swap.pool(state, netuid)
    last = state.get(f"emission_last:{netuid}") or {}
    return {"netuid": netuid, "price": swap.price_rao(state, netuid), "tao_in": p["tao"], "alpha_in": p["alpha_in"],
            "alpha_out": p["alpha_out"], "alpha_issuance": p["alpha_in"] + p["alpha_out"],
            "moving_price": (coinbase.moving_price(state, netuid) * 10**9) >> 64, "fee_rate": p["fee_rate"],
            "emission_tao": int(last.get("tao", 0)), "emission_alpha": int(last.get("alpha_out", 0)),
            "pending_alpha": sum(coinbase.pending(state, netuid).values()),
            "stable": swap.is_stable(netuid)}
