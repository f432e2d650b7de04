"""Check, before any slow work or confirmation, what the chain will check when a call dispatches.

A proof of work can take hours and a confirmation waits on a person: a call the chain is sure to
refuse must be refused here first, with the error the chain would give. Only the ``Chain``
interface is used, so every backend gets the checks. Checks the chain makes per block (the
registration counters) cannot be known in advance and stay with the chain.
"""

from __future__ import annotations

from btkit.chain.interface import Chain
from btkit.chain.types import Call
from btkit.errors import ChainRejectedError, UsageError
from btkit.units import Alpha, Balance

ROOT_NETUID = 0
EXISTENTIAL_DEPOSIT = Balance(500)
"""``ExistentialDeposit`` of subtensor's runtime (opentensor/subtensor ``runtime/src/lib.rs``; btkit's
localnet ``localnet.runtime.balances``): what ``transfer_keep_alive`` must leave on the sender."""


class PreconditionFailed(ChainRejectedError):
    """The chain would refuse the call: ``error`` is the subtensor error it would give (exit 4).
    Nothing was signed or sent."""

    code = "precondition_failed"

    def __init__(self, error: str, message: str) -> None:
        from btkit.explain import explain_short

        super().__init__(f"{error}: {message} (checked before sending: nothing was sent)",
                         explain_short(error, message)[1])
        self.error = error


class NotEnoughFunds(UsageError):
    """An amount above what the signer holds (free balance, or the staked position it draws on): the
    chain would refuse it, after charging the fee, naming ``error``. Refused before any confirmation or
    signing: nothing was sent. Exit 2, as every refused amount (a quote over the limit price, an
    unstake above the position)."""

    code = "insufficient_funds"

    def __init__(self, error: str, message: str, hint: str = "") -> None:
        super().__init__(f"{message}; the chain would refuse it ({error}): nothing was sent", hint)
        self.error = error


def check_free_balance(chain: Chain, coldkey: str, amount: Balance, what: str, call: Call | None = None,
                       keep_alive: bool = False,
                       error: str = "SubtensorModule.NotEnoughBalanceToStake") -> Balance:
    """Refuse ``what`` (a phrase: "the transfer") spending ``amount`` (rao) from ``coldkey`` unless its free
    balance covers the amount, the fee the node estimates for ``call`` (paid first, from the same
    balance) and, with ``keep_alive``, the existential deposit ``transfer_keep_alive`` leaves behind
    (source: opentensor/subtensor ``staking/add_stake.rs`` ``can_remove_balance_from_coldkey_account``,
    ``subnets/subnet.rs`` ``do_register_network``, pallet_balances ``transfer_keep_alive``).
    Returns the free balance; raises ``NotEnoughFunds`` naming ``error``."""
    free = chain.balance(coldkey)
    fee = chain.estimate_fee(coldkey, call) if call is not None else Balance(0)
    need = amount + fee + (EXISTENTIAL_DEPOSIT if keep_alive else Balance(0))
    if need > free:
        parts = [str(amount)] + ([f"a fee of {fee}"] if fee.rao else []) + \
            ([f"the existential deposit of {EXISTENTIAL_DEPOSIT} it must leave"] if keep_alive else [])
        raise NotEnoughFunds(error, f"{what} needs {' + '.join(parts)}; the coldkey {coldkey} has {free} free",
                             hint=f"at most {Balance(max(free.rao - (need - amount).rao, 0))} can go; "
                                  "see `btkit wallet balance`")
    return free


def position(chain: Chain, coldkey: str, hotkey: str, netuid: int) -> Balance:
    """What ``coldkey`` has staked on ``hotkey`` in ``netuid``: ``Alpha`` (rao), ``Balance`` on root."""
    unit = Alpha if netuid else Balance
    return unit(sum(s.stake.rao for s in chain.stakes_of(coldkey) if s.hotkey == hotkey and s.netuid == netuid))


def check_position(chain: Chain, coldkey: str, hotkey: str, netuid: int, amount: Balance) -> Balance:
    """Refuse moving, transferring, swapping or unstaking ``amount`` (rao of the subnet's alpha; TAO on
    root) from ``coldkey``'s stake on ``hotkey`` in ``netuid`` when the position is smaller: the chain
    would refuse it (``NotEnoughStakeToWithdraw``) or, for a move, quietly take the whole position
    instead (opentensor/subtensor ``staking/move_stake.rs``). Returns the position (``Alpha``, or
    ``Balance`` on root); raises ``NotEnoughFunds``."""
    unit = Alpha if netuid else Balance
    held = position(chain, coldkey, hotkey, netuid)
    if amount.rao > held.rao:
        raise NotEnoughFunds("SubtensorModule.NotEnoughStakeToWithdraw",
                             f"{unit(amount.rao)} is more than the {held} staked on {hotkey} in subnet {netuid}",
                             hint="see `btkit stake list`")
    return held


def check_registration(chain: Chain, netuid: int, hotkey: str, coldkey: str, pow_: bool,
                       burn: Balance | None = None) -> None:
    """The checks of ``burned_register`` / ``register`` (PoW) in subtensor's order
    (source: opentensor/subtensor ``pallets/subtensor/src/subnets/registration.rs``,
    ``do_burned_registration`` and ``do_registration``): not the root subnet, the subnet exists,
    registration (of that kind) allowed, a uid available, the hotkey not already on the subnet and
    not owned by another coldkey, and for a burn the coldkey's balance covers ``burn`` (rao).

    Raises ``PreconditionFailed`` naming the subtensor error (exit 4), ``NotEnoughFunds`` for the burn
    (exit 2, as every amount above a balance).
    """
    s = "SubtensorModule."
    if netuid == ROOT_NETUID:
        raise PreconditionFailed(s + "RegistrationNotPermittedOnRootSubnet",
                                 "neurons cannot register on the root subnet (netuid 0)")
    hp = chain.hyperparameters(netuid)  # SubNetworkDoesNotExist from the chain when there is none
    if not (hp.pow_registration_allowed if pow_ else hp.registration_allowed):
        raise PreconditionFailed(s + "SubNetRegistrationDisabled",
                                 f"{'proof-of-work ' if pow_ else ''}registration is disabled on subnet {netuid}")
    if hp.max_allowed_uids == 0:
        raise PreconditionFailed(s + "NoNeuronIdAvailable", f"max_allowed_uids is 0 on subnet {netuid}")
    info = chain.hotkey_info(hotkey)
    uid = info.uid_on(netuid)
    if uid is not None:
        raise PreconditionFailed(s + "HotKeyAlreadyRegisteredInSubNet",
                                 f"{hotkey} is already registered on subnet {netuid} (uid {uid})")
    if info.owner is not None and info.owner != coldkey:
        raise PreconditionFailed(s + "NonAssociatedColdKey",
                                 f"hotkey {hotkey} belongs to another coldkey ({info.owner})")
    if burn is not None:
        check_free_balance(chain, coldkey, burn, f"registering on subnet {netuid} (the burn)")


def check_subnet(chain: Chain, netuid: int, on_root: str | None = None) -> None:
    """Refuse a call on a subnet that does not exist (``SubNetworkDoesNotExist``), and on the root network
    (netuid 0) when ``on_root`` names the error the call gives there (``CanNotSetRootNetworkWeights`` for
    weights; None: the call accepts root). Raises ``PreconditionFailed`` (exit 4): nothing was sent."""
    from btkit.chain.errors import ChainQueryError

    if netuid == ROOT_NETUID:
        if on_root:
            raise PreconditionFailed(on_root, "the root network (netuid 0) does not take this call")
        return
    try:
        chain.subnet_info(netuid)
    except ChainQueryError as exc:
        raise PreconditionFailed(exc.error, f"subnet {netuid} does not exist") from None


def check_registered(chain: Chain, netuid: int, hotkey: str,
                     error: str = "SubtensorModule.HotKeyNotRegisteredInSubNet") -> int:
    """The uid of ``hotkey`` on ``netuid``; ``PreconditionFailed`` naming ``error`` when it has none
    (``set_weights``/``commit_weights``: HotKeyNotRegisteredInSubNet; ``serve_axon``:
    HotKeyNotRegisteredInNetwork)."""
    uid = chain.hotkey_info(hotkey).uid_on(netuid)
    if uid is None:
        raise PreconditionFailed(error, f"{hotkey} is not registered on subnet {netuid}")
    return uid


def check_hotkey_exists(chain: Chain, hotkey: str) -> None:
    """Refuse staking to a hotkey no coldkey owns yet: subtensor's ``add_stake`` and ``move_stake`` check
    ``hotkey_account_exists`` (``HotKeyAccountNotExists``; opentensor/subtensor
    ``pallets/subtensor/src/staking/add_stake.rs``). Raises ``PreconditionFailed`` (exit 4)."""
    if chain.hotkey_info(hotkey).owner is None:
        raise PreconditionFailed("SubtensorModule.HotKeyAccountNotExists",
                                 f"{hotkey} is not a known hotkey: no coldkey owns it yet (register it first)")
