"""Balances: free balances, total issuance, transfers. Keys: ``bal:<ss58>``, ``issuance``."""

from __future__ import annotations

from localnet.runtime import Context, DispatchError, call
from localnet.runtime.types import account, as_tao, u64
from localnet.state import Overlay

EXISTENTIAL_DEPOSIT = 500
ISSUANCE = "issuance"


def free_key(who: str) -> str:
    return f"bal:{who}"


def free(state: Overlay, who: str) -> int:
    return int(state.get(free_key(who), 0))


def mint(state: Overlay, who: str, amount: int) -> None:
    """Create ``amount`` rao on ``who`` (issuance grows)."""
    state.add(free_key(who), amount)
    state.add(ISSUANCE, amount)


def burn(state: Overlay, who: str, amount: int) -> None:
    """Destroy ``amount`` rao of ``who``'s free balance (recycling: issuance shrinks)."""
    withdraw(state, who, amount)
    state.add(ISSUANCE, -amount)


def withdraw(state: Overlay, who: str, amount: int, keep_alive: bool = False) -> None:
    balance = free(state, who)
    if amount > balance:
        raise DispatchError("Balances.InsufficientBalance",
                            f"balance {as_tao(balance)} is less than {as_tao(amount)}")
    left = balance - amount
    if keep_alive and amount and left < EXISTENTIAL_DEPOSIT:
        raise DispatchError("Balances.KeepAlive",
                            f"the transfer would leave {as_tao(left)}, below the existential deposit of "
                            f"{as_tao(EXISTENTIAL_DEPOSIT)}")
    if 0 < left < EXISTENTIAL_DEPOSIT:  # reaped: the dust is destroyed, as in substrate
        state.add(ISSUANCE, -left)
        left = 0
    state.set(free_key(who), left) if left else state.delete(free_key(who))


def deposit(state: Overlay, who: str, amount: int) -> None:
    state.add(free_key(who), amount)


def _transfer(ctx: Context, dest: str, value: int, keep_alive: bool) -> None:
    if value and free(ctx.state, dest) + value < EXISTENTIAL_DEPOSIT:
        raise DispatchError("Balances.ExistentialDeposit",
                            f"{as_tao(value)} would leave the new account {dest} below the existential deposit "
                            f"of {as_tao(EXISTENTIAL_DEPOSIT)}")
    if dest == ctx.signer:
        if value > free(ctx.state, dest):
            raise DispatchError("Balances.InsufficientBalance")
        return
    withdraw(ctx.state, ctx.signer, value, keep_alive=keep_alive)
    deposit(ctx.state, dest, value)
    ctx.emit("Balances", "Transfer", **{"from": ctx.signer, "to": dest, "amount": value})


@call("Balances", "transfer_keep_alive", dest=account, value=u64)
def transfer_keep_alive(ctx: Context, dest: str, value: int) -> None:
    """Transfer, refusing to take the sender below the existential deposit."""
    _transfer(ctx, dest, value, keep_alive=True)


@call("Balances", "transfer_allow_death", dest=account, value=u64)
def transfer_allow_death(ctx: Context, dest: str, value: int) -> None:
    """Transfer; a sender left below the existential deposit is reaped."""
    _transfer(ctx, dest, value, keep_alive=False)
