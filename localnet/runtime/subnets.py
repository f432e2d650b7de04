"""Subnets: creation with the lock cost, start_call, hyperparameters and their setters, neurons.

Keys: ``subnet:<n>`` (info), ``hp:<n>`` (hyperparameters), ``sn_n:<n>`` (neuron count),
``neuron:<n>:<uid>`` (one neuron), ``uid:<n>:<hotkey>``, ``owner:<hotkey>`` (hotkey -> coldkey),
``lock:last`` ([amount, block]).
"""

from __future__ import annotations

from typing import Any

from localnet.runtime import ROOT, Context, DispatchError, call
from localnet.runtime import balances, rows
from localnet.runtime.types import account, as_tao, boolean, u16, u64
from localnet.state import Overlay

TAO = 10**9
ROOT_NETUID = 0
MIN_LOCK = 1000 * TAO
LOCK_REDUCTION_INTERVAL = 100_800
U64_MAX = (1 << 64) - 1

# name -> (dev value, mainnet value, checker)
HYPERPARAMETERS: dict[str, tuple[Any, Any, Any]] = {
    "tempo": (10, 360, u16),
    "kappa": (32767, 32767, u16),
    "immunity_period": (100, 5000, u16),
    "min_allowed_weights": (1, 1, u16),
    "max_weights_limit": (65535, 65535, u16),
    "weights_version": (0, 0, u64),
    "weights_rate_limit": (5, 100, u64),
    "activity_cutoff": (5000, 5000, u16),
    "max_allowed_uids": (256, 256, u16),
    "max_allowed_validators": (64, 64, u16),
    "bonds_moving_avg": (900_000, 900_000, u64),
    "bonds_penalty": (65535, 65535, u16),
    "difficulty": (1_000_000, 10_000_000, u64),
    "min_difficulty": (1_000, 1_000, u64),
    "max_difficulty": (U64_MAX, U64_MAX, u64),
    "burn": (1 * TAO, TAO // 10, u64),
    "min_burn": (500_000, 500_000, u64),
    "max_burn": (100 * TAO, 100 * TAO, u64),
    "adjustment_interval": (100, 360, u16),
    "adjustment_alpha": (0, 17_893_341_751_498_265_066, u64),  # ~0.97 * u64::MAX
    "target_regs_per_interval": (16, 1, u16),
    "max_regs_per_block": (4, 1, u16),
    "serving_rate_limit": (0, 50, u64),
    "commit_reveal_weights_enabled": (False, True, boolean),
    "registration_allowed": (True, True, boolean),
    "pow_registration_allowed": (True, True, boolean),
    "yuma_version": (2, 2, u16),
    "liquid_alpha_enabled": (False, False, boolean),
    "alpha_low": (45875, 45875, u16),
    "alpha_high": (58982, 58982, u16),
    "stake_threshold": (0, 0, u64),
}


def default_hyperparameters(profile: str) -> dict[str, Any]:
    column = 1 if profile == "mainnet" else 0
    return {name: spec[column] for name, spec in HYPERPARAMETERS.items()}


# -- reads ----------------------------------------------------------------------------
def exists(state: Overlay, netuid: int) -> bool:
    return state.get(f"subnet:{netuid}") is not None


def info(state: Overlay, netuid: int) -> dict[str, Any]:
    return state.get(f"subnet:{netuid}")


def hp(state: Overlay, netuid: int) -> dict[str, Any]:
    return state.get(f"hp:{netuid}")


def n(state: Overlay, netuid: int) -> int:
    return int(state.get(f"sn_n:{netuid}", 0))


def neuron(state: Overlay, netuid: int, uid: int) -> dict[str, Any]:
    return state.get(f"neuron:{netuid}:{uid}")


def uid_of(state: Overlay, netuid: int, hotkey: str) -> int | None:
    return state.get(f"uid:{netuid}:{hotkey}")


def owner_of(state: Overlay, hotkey: str) -> str | None:
    return state.get(f"owner:{hotkey}")


def netuids(state: Overlay) -> list[int]:
    return list(state.get("netuids", []))


def lock_cost(state: Overlay, block: int) -> int:
    last = state.get("lock:last")
    if last is None:
        return MIN_LOCK
    amount, at = last
    return max(MIN_LOCK, amount * 2 - (amount // LOCK_REDUCTION_INTERVAL) * (block - at))


ROOT_TEMPO, ROOT_MAX_UIDS = 100, 64  # subtensor's migrate_create_root_network


def root_hyperparameters(state: Overlay) -> dict[str, Any]:
    """Root's hyperparameters as subtensor reports them: the defaults with ``migrate_create_root_network``'s
    tempo (100) and 64 uids; nobody registers on root (membership follows root stake), so both registration
    switches are off and the burn and difficulty are 0. Read-only on btkit's localnet."""
    return {**default_hyperparameters(str(state.get("profile", "dev"))), "tempo": ROOT_TEMPO,
            "max_allowed_uids": ROOT_MAX_UIDS, "registration_allowed": False, "pow_registration_allowed": False,
            "burn": 0, "difficulty": 0}


def require(state: Overlay, netuid: int) -> dict[str, Any]:
    """A subnet's info; ``RegistrationNotPermittedOnRootSubnet`` (subtensor: "operation is not permitted on
    the root subnet") for netuid 0, ``SubNetworkDoesNotExist`` for a netuid nobody created."""
    if netuid == ROOT_NETUID:
        raise DispatchError("SubtensorModule.RegistrationNotPermittedOnRootSubnet",
                            "netuid 0 is the root network: this operation is not permitted on it")
    subnet = info(state, netuid)
    if subnet is None:
        raise DispatchError("SubtensorModule.SubNetworkDoesNotExist", f"subnet {netuid} does not exist")
    return subnet


# -- writes ---------------------------------------------------------------------------
def set_neuron(state: Overlay, netuid: int, uid: int, value: dict[str, Any]) -> None:
    state.set(f"neuron:{netuid}:{uid}", value)


def update_neuron(state: Overlay, netuid: int, uid: int, **changes: Any) -> None:
    set_neuron(state, netuid, uid, {**neuron(state, netuid, uid), **changes})


def new_neuron(hotkey: str, coldkey: str, block: int) -> dict[str, Any]:
    return {"hotkey": hotkey, "coldkey": coldkey, "registered_at": block, "last_update": block, "axon": None,
            "weights": [], "bonds": [], "permit": False, "emission": 0, "consensus": 0, "incentive": 0,
            "dividends": 0, "trust": 0, "rank": 0, "vtrust": 0, "pruning_score": 0, "active": True}


def claim_hotkey(state: Overlay, hotkey: str, coldkey: str) -> None:
    owner = owner_of(state, hotkey)
    if owner is None:
        state.set(f"owner:{hotkey}", coldkey)
    elif owner != coldkey:
        raise DispatchError("SubtensorModule.NonAssociatedColdKey",
                            f"hotkey {hotkey} belongs to another coldkey ({owner})")


def append_neuron(state: Overlay, netuid: int, hotkey: str, coldkey: str, block: int) -> int:
    uid = n(state, netuid)
    set_neuron(state, netuid, uid, new_neuron(hotkey, coldkey, block))
    state.set(f"uid:{netuid}:{hotkey}", uid)
    state.set(f"sn_n:{netuid}", uid + 1)
    return uid


def replace_neuron(state: Overlay, netuid: int, uid: int, hotkey: str, coldkey: str, block: int) -> None:
    old = neuron(state, netuid, uid)
    state.delete(f"uid:{netuid}:{old['hotkey']}")
    set_neuron(state, netuid, uid, new_neuron(hotkey, coldkey, block))
    state.set(f"uid:{netuid}:{hotkey}", uid)
    for other in range(n(state, netuid)):  # other validators' weights to that uid are zeroed
        if other == uid:
            continue
        row = neuron(state, netuid, other)
        weights, bonds = rows.decode(row["weights"]), rows.decode(row["bonds"])
        if any(d == uid for d, _ in weights) or any(d == uid for d, _ in bonds):
            update_neuron(state, netuid, other, weights=rows.encode(p for p in weights if p[0] != uid),
                          bonds=rows.encode(p for p in bonds if p[0] != uid))


def is_sudo(state: Overlay, who: str) -> bool:
    """The sudo key, or root origin (a call an approved governance proposal dispatches)."""
    return who == ROOT or state.get("sudo") == who


# -- calls ----------------------------------------------------------------------------
@call("SubtensorModule", "register_network", hotkey=account)
def register_network(ctx: Context, hotkey: str) -> None:
    """Create a subnet owned by the signing coldkey. The lock cost seeds the subnet's pool: its TAO
    reserve is the lock, its alpha reserve the lock / the median subnet price (1.0 for the first),
    as subtensor 14bc6f9 ``do_register_network`` does."""
    from localnet.runtime import swap

    state, coldkey = ctx.state, ctx.signer
    cost = lock_cost(state, ctx.block)
    if balances.free(state, coldkey) < cost:
        raise DispatchError("SubtensorModule.CannotAffordLockCost",
                            f"creating a subnet locks {as_tao(cost)}; the coldkey has "
                            f"{as_tao(balances.free(state, coldkey))}")
    claim_hotkey(state, hotkey, coldkey)
    taken = set(netuids(state))
    netuid = next(i for i in range(1, 1 << 16) if i not in taken)
    median = swap.median_price(state, sorted(taken))
    balances.withdraw(state, coldkey, cost)
    pool_tao = max(cost, MIN_LOCK)
    swap.seed(state, netuid, pool_tao, ((pool_tao << 128) // median) >> 64 if median else 0)
    state.set("lock:last", [cost, ctx.block])
    state.set("netuids", sorted(taken | {netuid}))
    profile = str(state.get("profile", "dev"))
    state.set(f"subnet:{netuid}", {"netuid": netuid, "owner_coldkey": coldkey, "owner_hotkey": hotkey,
                                   "registered_at": ctx.block, "lock": cost, "started": False,
                                   "emission_enabled": profile != "mainnet"})
    state.set(f"hp:{netuid}", default_hyperparameters(profile))
    state.set(f"regs_interval:{netuid}", [0, 0, 0])
    state.set(f"adj_last:{netuid}", ctx.block)
    append_neuron(state, netuid, hotkey, coldkey, ctx.block)
    ctx.emit("SubtensorModule", "NetworkAdded", netuid=netuid, owner=coldkey, lock=cost)


@call("SubtensorModule", "start_call", netuid=u16)
def start_call(ctx: Context, netuid: int) -> None:
    """Enable staking (SubtokenEnabled) and emission from the next block (owner only)."""
    subnet = require(ctx.state, netuid)
    if subnet["owner_coldkey"] != ctx.signer:
        raise DispatchError("SubtensorModule.NotSubnetOwner", "only the subnet owner can start it")
    if subnet["started"]:
        raise DispatchError("SubtensorModule.FirstEmissionBlockNumberAlreadySet", "the subnet is already started")
    ctx.state.set(f"subnet:{netuid}", {**subnet, "started": True, "started_at": ctx.block,
                                       "first_emission_block": ctx.block + 1})
    ctx.emit("SubtensorModule", "FirstEmissionBlockNumberSet", netuid=netuid, block=ctx.block + 1)


@call("AdminUtils", "sudo_set_subnet_emission_enabled", netuid=u16, enabled=boolean)
def sudo_set_subnet_emission_enabled(ctx: Context, netuid: int, enabled: bool) -> None:
    """Sudo: let a subnet take its share of the block emission (new subnets start off on mainnet,
    on in the dev profile)."""
    subnet = require(ctx.state, netuid)
    if not is_sudo(ctx.state, ctx.signer):
        raise DispatchError("AdminUtils.BadOrigin", "only sudo can enable a subnet's emission")
    ctx.state.set(f"subnet:{netuid}", {**subnet, "emission_enabled": enabled})
    ctx.emit("AdminUtils", "SubnetEmissionEnabledSet", netuid=netuid, enabled=enabled)


def _make_setter(name: str, checker: Any) -> None:
    def setter(ctx: Context, netuid: int, value: Any) -> None:
        subnet = require(ctx.state, netuid)
        if subnet["owner_coldkey"] != ctx.signer and not is_sudo(ctx.state, ctx.signer):
            raise DispatchError("AdminUtils.BadOrigin", f"only the owner of subnet {netuid} or sudo can set {name}")
        params = hp(ctx.state, netuid)
        if name.startswith("min_") and value > params.get("max_" + name[4:], value):
            raise DispatchError("AdminUtils.InvalidValue", f"{name} above max_{name[4:]}")
        if name == "max_allowed_uids" and value < n(ctx.state, netuid):
            raise DispatchError("AdminUtils.MaxAllowedUIdsLessThanCurrentUIds",
                                f"the subnet already has {n(ctx.state, netuid)} uids")
        ctx.state.set(f"hp:{netuid}", {**params, name: value})
        ctx.emit("AdminUtils", "HyperparameterSet", netuid=netuid, name=name, value=value)

    setter.__doc__ = f"Set {name} (subnet owner or sudo)."
    call("AdminUtils", f"sudo_set_{name}", netuid=u16, value=checker)(setter)


for _name, (_dev, _main, _check) in HYPERPARAMETERS.items():
    _make_setter(_name, _check)
