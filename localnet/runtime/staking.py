"""Staking at 1:1 "stable" pricing, nomination and delegate take.

Everything that touches stake amounts goes through this module, so that a later switch to
per-subnet alpha pools stays local. Keys: ``stake:<hotkey>:<coldkey>:<n>``,
``hk_stake:<n>:<hotkey>`` (total on a hotkey), ``stakeop:<hotkey>:<coldkey>:<n>``
([block, op]), ``take:<hotkey>``, ``take_block:<hotkey>``.
"""

from __future__ import annotations

from localnet.runtime import Context, DispatchError, call
from localnet.runtime import balances, subnets
from localnet.runtime.types import account, u16, u64
from localnet.state import Overlay

MIN_STAKE = 2_000_000
DEFAULT_TAKE = 11_796  # 18% of 65535
MAX_TAKE = 11_796
TAKE_RATE_LIMIT = 10  # blocks between take increases (dev)


def stake_of(state: Overlay, hotkey: str, coldkey: str, netuid: int) -> int:
    return int(state.get(f"stake:{hotkey}:{coldkey}:{netuid}", 0))


def total_hotkey_stake(state: Overlay, netuid: int, hotkey: str) -> int:
    return int(state.get(f"hk_stake:{netuid}:{hotkey}", 0))


def stakers(state: Overlay, netuid: int, hotkey: str) -> dict[str, int]:
    """coldkey -> stake on ``hotkey`` in ``netuid`` (from the ``stakers:<n>:<hotkey>`` index)."""
    return {ck: stake_of(state, hotkey, ck, netuid) for ck in state.get(f"stakers:{netuid}:{hotkey}", [])}


def stakes_of(state: Overlay, coldkey: str) -> list[tuple[str, int, int]]:
    """(hotkey, netuid, stake) for every stake a coldkey holds."""
    return [(hk, net, stake_of(state, hk, coldkey, net)) for hk, net in state.get(f"stakes_of:{coldkey}", [])]


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


def take_of(state: Overlay, hotkey: str) -> int:
    return int(state.get(f"take:{hotkey}", DEFAULT_TAKE))


def credit(state: Overlay, hotkey: str, coldkey: str, netuid: int, amount: int) -> None:
    """Add stake (from a balance or from emission)."""
    if amount:
        state.add(f"stake:{hotkey}:{coldkey}:{netuid}", amount)
        state.add(f"hk_stake:{netuid}:{hotkey}", amount)
        _index(state, hotkey, coldkey, netuid)


def debit(state: Overlay, hotkey: str, coldkey: str, netuid: int, amount: int) -> None:
    if amount:
        state.add(f"stake:{hotkey}:{coldkey}:{netuid}", -amount)
        state.add(f"hk_stake:{netuid}:{hotkey}", -amount)
        _index(state, hotkey, coldkey, netuid)


def _checks(ctx: Context, hotkey: str, netuid: int, amount: int, op: str) -> None:
    subnet = subnets.require(ctx.state, netuid)
    if not subnet["started"]:
        raise DispatchError("SubtensorModule.SubtokenDisabled",
                            f"subnet {netuid} has not started (its owner must run start_call)")
    if subnets.uid_of(ctx.state, netuid, hotkey) is None:
        raise DispatchError("SubtensorModule.HotKeyAccountNotExists",
                            f"{hotkey} is not registered on subnet {netuid}")
    if amount < MIN_STAKE:
        raise DispatchError("SubtensorModule.AmountTooLow",
                            f"{amount} rao is below the minimum stake operation of {MIN_STAKE} rao")
    last = ctx.state.get(f"stakeop:{hotkey}:{ctx.signer}:{netuid}")
    if last is not None and last[0] == ctx.block and last[1] != op:
        raise DispatchError("SubtensorModule.StakingOperationRateLimitExceeded",
                            "staking and unstaking the same (hotkey, coldkey, subnet) in one block")


@call("SubtensorModule", "add_stake", hotkey=account, netuid=u16, amount_staked=u64)
def add_stake(ctx: Context, hotkey: str, netuid: int, amount_staked: int) -> None:
    """Move TAO from the signing coldkey's free balance to stake on ``hotkey``."""
    _checks(ctx, hotkey, netuid, amount_staked, "add")
    if balances.free(ctx.state, ctx.signer) < amount_staked:
        raise DispatchError("SubtensorModule.NotEnoughBalanceToStake",
                            f"free balance {balances.free(ctx.state, ctx.signer)} rao < {amount_staked} rao")
    balances.withdraw(ctx.state, ctx.signer, amount_staked)
    credit(ctx.state, hotkey, ctx.signer, netuid, amount_staked)
    ctx.state.set(f"stakeop:{hotkey}:{ctx.signer}:{netuid}", [ctx.block, "add"])
    ctx.emit("SubtensorModule", "StakeAdded", coldkey=ctx.signer, hotkey=hotkey, netuid=netuid, amount=amount_staked)


@call("SubtensorModule", "remove_stake", hotkey=account, netuid=u16, amount_unstaked=u64)
def remove_stake(ctx: Context, hotkey: str, netuid: int, amount_unstaked: int) -> None:
    """Move stake back to the signing coldkey's free balance."""
    _checks(ctx, hotkey, netuid, amount_unstaked, "remove")
    held = stake_of(ctx.state, hotkey, ctx.signer, netuid)
    if held < amount_unstaked:
        raise DispatchError("SubtensorModule.NotEnoughStakeToWithdraw",
                            f"the coldkey has {held} rao staked on {hotkey} in subnet {netuid}")
    debit(ctx.state, hotkey, ctx.signer, netuid, amount_unstaked)
    balances.deposit(ctx.state, ctx.signer, amount_unstaked)
    ctx.state.set(f"stakeop:{hotkey}:{ctx.signer}:{netuid}", [ctx.block, "remove"])
    ctx.emit("SubtensorModule", "StakeRemoved", coldkey=ctx.signer, hotkey=hotkey, netuid=netuid,
             amount=amount_unstaked)


def _own(ctx: Context, hotkey: str) -> None:
    if subnets.owner_of(ctx.state, hotkey) != ctx.signer:
        raise DispatchError("SubtensorModule.NonAssociatedColdKey", f"{hotkey} is not owned by the signing coldkey")


@call("SubtensorModule", "increase_take", hotkey=account, take=u16)
def increase_take(ctx: Context, hotkey: str, take: int) -> None:
    """Raise a delegate's take (owner coldkey; rate limited; at most 18%)."""
    _own(ctx, hotkey)
    current = take_of(ctx.state, hotkey)
    if take <= current:
        raise DispatchError("SubtensorModule.DelegateTakeTooLow", f"the take is already {current}")
    if take > MAX_TAKE:
        raise DispatchError("SubtensorModule.DelegateTakeTooHigh", f"the maximum take is {MAX_TAKE} (18%)")
    last = ctx.state.get(f"take_block:{hotkey}")
    if last is not None and ctx.block - last < TAKE_RATE_LIMIT:
        raise DispatchError("SubtensorModule.DelegateTxRateLimitExceeded",
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
        raise DispatchError("SubtensorModule.DelegateTakeTooHigh", f"the take is {current}; a decrease must be lower")
    ctx.state.set(f"take:{hotkey}", take)
    ctx.emit("SubtensorModule", "TakeDecreased", hotkey=hotkey, take=take)
