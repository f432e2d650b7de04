"""How much `stake remove` takes: a whole position whatever its size, never a stranded remainder.

Subtensor refuses a stake or unstake below ``DefaultMinStake`` (2,000,000 rao = 0.002 TAO;
source: opentensor/subtensor ``runtime/src/lib.rs`` and ``pallets/subtensor/src/staking/
remove_stake.rs``), except an unstake that empties the position. A partial unstake that leaves
less than that behind would strand it: no later partial unstake of it is allowed. So btkit
refuses such a partial unstake up front and offers ``--all``.
"""

from __future__ import annotations

from btkit.errors import UsageError
from btkit.units import Balance

MIN_STAKE = Balance(2_000_000)


def unstake_amount(held: Balance, amount: Balance | None, whole: bool, what: str) -> Balance:
    """The amount (rao) to unstake from a position of ``held``: all of it with ``whole`` (``--all``),
    else ``amount``. ``what`` names the position in messages. Raises ``NotEnoughFunds`` (exit 2) for
    more than held, ``UsageError`` for nothing staked, an amount under the minimum, or a remainder under the minimum."""
    if held.rao <= 0:
        raise UsageError(f"nothing is staked on {what}", hint="see `btkit stake list`")
    if whole:
        return held
    if amount is None:
        raise UsageError("give --amount, or --all to unstake the whole position")
    if amount > held:
        from btkit.chain.preflight import NotEnoughFunds

        raise NotEnoughFunds("SubtensorModule.NotEnoughStakeToWithdraw", f"{amount} is more than the {held} staked "
                             f"on {what}", hint="unstake the whole position with --all")
    if amount == held:
        return amount
    if amount < MIN_STAKE:
        raise UsageError(f"cannot unstake {amount}: a partial unstake must be at least {MIN_STAKE}",
                         hint=f"unstake at least {MIN_STAKE}, or the whole {held} with --all")
    rest = held - amount
    if rest < MIN_STAKE:
        raise UsageError(f"unstaking {amount} of {held} would leave {rest} on {what}, below the minimum of "
                         f"{MIN_STAKE}: that remainder could then only leave with --all",
                         hint=f"unstake the whole position with --all, or at most {held - MIN_STAKE}")
    return amount
