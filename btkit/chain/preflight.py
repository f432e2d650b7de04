"""Check, before any slow work or confirmation, what the chain will check when a call dispatches.

A proof of work can take hours and a confirmation waits on a person: a call the chain is sure to
refuse must be refused here first, with the error the chain would give. Only the ``Chain``
interface is used, so every backend gets the checks. Checks the chain makes per block (the
registration counters) cannot be known in advance and stay with the chain.
"""

from __future__ import annotations

from btkit.chain.interface import Chain
from btkit.errors import ChainRejectedError
from btkit.units import Balance

ROOT_NETUID = 0


class PreconditionFailed(ChainRejectedError):
    """The chain would refuse the call: ``error`` is the subtensor error it would give (exit 4).
    Nothing was signed or sent."""

    code = "precondition_failed"

    def __init__(self, error: str, message: str) -> None:
        from btkit.explain import explain_short

        super().__init__(f"{error}: {message} (checked before sending: nothing was sent)",
                         explain_short(error, message)[1])
        self.error = error


def check_registration(chain: Chain, netuid: int, hotkey: str, coldkey: str, pow_: bool,
                       burn: Balance | None = None) -> None:
    """The checks of ``burned_register`` / ``register`` (PoW) in subtensor's order
    (source: opentensor/subtensor ``pallets/subtensor/src/subnets/registration.rs``,
    ``do_burned_registration`` and ``do_registration``): not the root subnet, the subnet exists,
    registration (of that kind) allowed, a uid available, the hotkey not already on the subnet and
    not owned by another coldkey, and for a burn the coldkey's balance covers ``burn`` (rao).

    Raises ``PreconditionFailed`` naming the subtensor error.
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
        free = chain.balance(coldkey)
        if free < burn:
            raise PreconditionFailed(s + "NotEnoughBalanceToStake",
                                     f"registration costs {burn}; the coldkey {coldkey} has {free}")
