"""Calls adapted to the runtime's metadata, and their composition into the library's call objects.

``SubtensorCalls`` builds calls by subtensor's names like the base ``Calls`` and adapts where
runtimes differ: ``register_network`` takes a ``mechid`` where the runtime has it (dTAO), there
is no ``start_call`` before subtensor added it, hyperparameters are set through the
``AdminUtils.sudo_set_*`` call (and argument names) the runtime has, and staking uses the
limit-price calls where the plain ones are gone. ``compose`` checks every call against the
metadata: a call the runtime lacks raises ``Unsupported`` naming the runtime's spec version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from btkit.chain.errors import Unsupported
from btkit.chain.interface import Calls
from btkit.chain.types import Call
from btkit.units import Balance

if TYPE_CHECKING:
    from btkit.chain.subtensor.backend import SubtensorChain

U64_MAX = (1 << 64) - 1
DYNAMIC_MECHANISM = 1  # subtensor's SubnetMechanism for dTAO subnets (what btcli creates)

# btkit's hyperparameter name -> (SubtensorModule storage item, AdminUtils call that sets it).
# Source: pallets/subtensor/src/lib.rs and pallets/admin-utils/src/lib.rs (opentensor/subtensor).
HYPERPARAMETERS: dict[str, tuple[str, str]] = {
    "tempo": ("Tempo", "sudo_set_tempo"),
    "kappa": ("Kappa", "sudo_set_kappa"),
    "immunity_period": ("ImmunityPeriod", "sudo_set_immunity_period"),
    "min_allowed_weights": ("MinAllowedWeights", "sudo_set_min_allowed_weights"),
    "max_weights_limit": ("MaxWeightsLimit", "sudo_set_max_weight_limit"),
    "weights_version": ("WeightsVersionKey", "sudo_set_weights_version_key"),
    "weights_rate_limit": ("WeightsSetRateLimit", "sudo_set_weights_set_rate_limit"),
    "activity_cutoff": ("ActivityCutoff", "sudo_set_activity_cutoff"),
    "max_allowed_uids": ("MaxAllowedUids", "sudo_set_max_allowed_uids"),
    "max_allowed_validators": ("MaxAllowedValidators", "sudo_set_max_allowed_validators"),
    "bonds_moving_avg": ("BondsMovingAverage", "sudo_set_bonds_moving_average"),
    "bonds_penalty": ("BondsPenalty", "sudo_set_bonds_penalty"),
    "difficulty": ("Difficulty", "sudo_set_difficulty"),
    "min_difficulty": ("MinDifficulty", "sudo_set_min_difficulty"),
    "max_difficulty": ("MaxDifficulty", "sudo_set_max_difficulty"),
    "burn": ("Burn", "sudo_set_burn"),
    "min_burn": ("MinBurn", "sudo_set_min_burn"),
    "max_burn": ("MaxBurn", "sudo_set_max_burn"),
    "adjustment_interval": ("AdjustmentInterval", "sudo_set_adjustment_interval"),
    "adjustment_alpha": ("AdjustmentAlpha", "sudo_set_adjustment_alpha"),
    "target_regs_per_interval": ("TargetRegistrationsPerInterval", "sudo_set_target_registrations_per_interval"),
    "max_regs_per_block": ("MaxRegistrationsPerBlock", "sudo_set_max_registrations_per_block"),
    "serving_rate_limit": ("ServingRateLimit", "sudo_set_serving_rate_limit"),
    "commit_reveal_weights_enabled": ("CommitRevealWeightsEnabled", "sudo_set_commit_reveal_weights_enabled"),
    "registration_allowed": ("NetworkRegistrationAllowed", "sudo_set_network_registration_allowed"),
    "pow_registration_allowed": ("NetworkPowRegistrationAllowed", "sudo_set_network_pow_registration_allowed"),
    "yuma_version": ("Yuma3On", "sudo_set_yuma3_enabled"),
    "liquid_alpha_enabled": ("LiquidAlphaOn", "sudo_set_liquid_alpha_enabled"),
    "alpha_low": ("AlphaValues", "sudo_set_alpha_values"),
    "alpha_high": ("AlphaValues", "sudo_set_alpha_values"),
    "stake_threshold": ("StakeThreshold", "sudo_set_stake_threshold"),
}
# older runtimes (spec 218) name some of them differently
LEGACY: dict[str, tuple[str, str]] = {"stake_threshold": ("WeightsMinStake", "sudo_set_weights_min_stake")}


class SubtensorCalls(Calls):
    def __init__(self, chain: "SubtensorChain") -> None:
        self._chain = chain

    def _args(self, pallet: str, function: str) -> list[str] | None:
        return self._chain.conn.call_args(pallet, function)

    def _missing(self, what: str) -> Unsupported:
        return Unsupported(f"this runtime (spec_version {self._chain.conn.spec_version}) has no {what}")

    def register_network(self, hotkey: str) -> Call:
        args = self._args("SubtensorModule", "register_network") or []
        extra = {"mechid": DYNAMIC_MECHANISM} if "mechid" in args else {}
        return Call("SubtensorModule", "register_network", {"hotkey": hotkey, **extra})

    def start_call(self, netuid: int) -> Call | None:
        return super().start_call(netuid) if self._args("SubtensorModule", "start_call") is not None else None

    def setter(self, name: str) -> tuple[str, str]:
        """(storage item, AdminUtils call) of hyperparameter ``name`` on this runtime."""
        if name not in HYPERPARAMETERS:
            from btkit.errors import UsageError

            raise UsageError(f"unknown hyperparameter {name!r}", hint="see `btkit subnet hyperparameters`")
        item, function = HYPERPARAMETERS[name]
        if self._args("AdminUtils", function) is None and name in LEGACY:
            item, function = LEGACY[name]
        return item, function

    def set_hyperparameter(self, netuid: int, name: str, value: int | bool) -> Call:
        """``AdminUtils.sudo_set_*`` as the runtime names it and its arguments (subnet owner, or sudo:
        ``SubtensorChain.submit`` wraps it in ``Sudo.sudo`` when the signer holds the sudo key)."""
        _, function = self.setter(name)
        args = self._args("AdminUtils", function)
        if args is None:
            raise self._missing(f"AdminUtils.{function}: {name} cannot be set on this chain")
        if function == "sudo_set_alpha_values":
            low, high = self._chain.storage.one("SubtensorModule", "AlphaValues", [netuid])
            low, high = (value, high) if name == "alpha_low" else (low, value)
            return Call("AdminUtils", function, {"netuid": netuid, "alpha_low": low, "alpha_high": high})
        if function == "sudo_set_yuma3_enabled":
            value = int(value) >= 3
        values = {"netuid": netuid} if args[0] == "netuid" else {}
        values[args[-1]] = value
        return Call("AdminUtils", function, values)

    def add_stake(self, hotkey: str, netuid: int, amount: Balance) -> Call:
        if self._args("SubtensorModule", "add_stake") is None and self._args("SubtensorModule", "add_stake_limit"):
            return Call("SubtensorModule", "add_stake_limit", {"hotkey": hotkey, "netuid": netuid,
                                                               "amount_staked": amount.rao, "limit_price": U64_MAX,
                                                               "allow_partial": False})
        return super().add_stake(hotkey, netuid, amount)

    def remove_stake(self, hotkey: str, netuid: int, amount: Balance) -> Call:
        if self._args("SubtensorModule", "remove_stake") is None and self._args("SubtensorModule",
                                                                                 "remove_stake_limit"):
            return Call("SubtensorModule", "remove_stake_limit", {"hotkey": hotkey, "netuid": netuid,
                                                                  "amount_unstaked": amount.rao, "limit_price": 0,
                                                                  "allow_partial": False})
        return super().remove_stake(hotkey, netuid, amount)


    # -- governance: the collective's calls of subtensor before f5e11478a --------------------
    def as_proposal(self, call: Call) -> Call:
        """What the triumvirate proposes for ``call``: ``SubtensorModule.sudo(call)``, which the runtime
        dispatches with root origin once a senate majority approved (``EnsureMajoritySenate``)."""
        if self._args("SubtensorModule", "sudo") is None:
            raise self._missing("SubtensorModule.sudo (governance was removed in subtensor f5e11478a)")
        return Call("SubtensorModule", "sudo", {"call": call})

    def propose(self, call: Call, length_bound: int, duration: int) -> Call:
        """``Triumvirate.propose(SubtensorModule.sudo(call), length_bound, duration)``; ``length_bound``
        from ``Chain.proposal_length(call)`` (which measures the wrapped call)."""
        return super().propose(self.as_proposal(call), length_bound, duration)

    def close(self, proposal_hash: str, index: int, length_bound: int) -> Call:
        """``Triumvirate.close`` with ``proposal_weight_bound`` = ``PROPOSAL_WEIGHT_BOUND`` (the proposal's
        dispatch weight must not exceed it: ``SubtensorModule.sudo`` weighs 111,100,000 ref_time)."""
        closing = super().close(proposal_hash, index, length_bound)
        return Call(closing.pallet, closing.function, {**closing.args, "proposal_weight_bound": PROPOSAL_WEIGHT_BOUND})


PROPOSAL_WEIGHT_BOUND = {"ref_time": 10**10, "proof_size": 10**6}  # 10 ms, 1 MB: far above any sudo call


def compose(chain: "SubtensorChain", call: Call) -> Any:
    """The library's call object for ``call`` (nested calls, e.g. ``Sudo.sudo``'s, composed first)."""
    conn = chain.conn
    args = conn.call_args(call.pallet, call.function)
    if args is None:
        raise Unsupported(f"this runtime (spec_version {conn.spec_version}) has no {call.name}")
    unknown = set(call.args) - set(args)
    if unknown:
        raise Unsupported(f"{call.name} on this runtime (spec_version {conn.spec_version}) takes "
                          f"({', '.join(args)}), not {', '.join(sorted(unknown))}")
    params = {k: compose(chain, v) if isinstance(v, Call) else v for k, v in call.args.items()}
    with conn.guard():
        return conn.si.compose_call(call.pallet, call.function, params)
