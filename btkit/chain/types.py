"""The typed values of the chain interface: frozen dataclasses with their units.

Amounts are ``Balance`` (integers in rao; 1 TAO = 10^9 rao). Consensus outputs (rank, trust,
consensus, incentive, dividends, validator trust, take) are u16 fixed point as stored by subtensor
(65535 = 1.0); ``u16_to_float`` converts them. Block numbers are integers, hashes ``0x`` hex strings,
addresses SS58 (prefix 42). ``to_json()`` gives the JSON shape btkit's ``--json`` output uses:
amounts stay ``Balance`` and serialize as ``{"rao": int, "tao": "decimal"}`` (docs/json.md); u16
fields stay raw integers; hyperparameters stay raw (as ``subnet set`` takes them).
"""

from __future__ import annotations

import dataclasses
from dataclasses import field, fields
from typing import Any, Literal, Mapping

from btkit.units import Balance

U16_MAX = 65535
Wait = Literal["none", "inclusion", "finalization"]


def _compared(self) -> tuple[Any, ...]:
    return tuple(getattr(self, f.name) for f in fields(self) if f.compare)


def _repr(self) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{type(self).__qualname__}({shown})"


def _eq(self, other: object) -> Any:
    return _compared(self) == _compared(other) if other.__class__ is self.__class__ else NotImplemented


def _hash(self) -> int:
    return hash(_compared(self))


def dataclass(cls=None, /, **options):
    """``dataclasses.dataclass`` whose ``__repr__``, ``__eq__`` and ``__hash__`` (frozen) are shared
    functions with the same behaviour instead of code generated per class: dataclasses compiles each
    generated method, and six per class made importing this module ~10 ms of every chain command's
    start (Python 3.11). ``__init__`` and the frozen ``__setattr__`` are still dataclasses'."""

    def wrap(c):
        body = dict(c.__dict__)  # what the class defines itself stays, as with dataclasses
        c = dataclasses.dataclass(c, eq=False, repr=False, **options)
        for name, shared in (("__repr__", _repr), ("__eq__", _eq)):
            if name not in body:
                setattr(c, name, shared)
        if "__hash__" not in body or (body["__hash__"] is None and "__eq__" in body):
            c.__hash__ = _hash if options.get("frozen") else None
        return c

    return wrap if cls is None else wrap(cls)


def u16_to_float(value: int) -> float:
    """A u16 fixed-point ratio (subtensor stores 1.0 as 65535) as a float in [0, 1]."""
    return value / U16_MAX


@dataclass(frozen=True)
class Head:
    """The best block: ``number`` (block height) and ``hash`` (0x hex)."""

    number: int
    hash: str


@dataclass(frozen=True)
class Call:
    """A call by subtensor's names: ``Pallet.function(**args)`` (e.g. ``Balances.transfer_keep_alive``).

    Args hold wire values: integers in rao for amounts, SS58 strings for accounts, u16 lists for
    weights. Built by ``Chain.calls`` (a backend may adapt names and arguments to its runtime);
    commands never build one themselves.
    """

    pallet: str
    function: str
    args: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.pallet}.{self.function}"

    def to_json(self) -> dict[str, Any]:
        return {"pallet": self.pallet, "function": self.function,
                "args": {k: v.to_json() if isinstance(v, Call) else v for k, v in self.args.items()}}


@dataclass(frozen=True)
class Event:
    """One runtime event: ``pallet``, ``name`` (subtensor's, e.g. ``NeuronRegistered``) and its fields.

    ``data`` holds the fields by name, with wire values (rao integers, SS58 strings). Backends
    name the positional fields of subtensor events as btkit's localnet does, since commands
    read them: ``NetworkAdded``: ``netuid``; ``NeuronRegistered``: ``netuid``, ``uid``, ``hotkey``;
    ``Balances.Transfer``: ``from``, ``to``, ``amount``.
    """

    pallet: str
    name: str
    data: Mapping[str, Any] = field(default_factory=dict)
    extrinsic: int | None = None  # index of the extrinsic in its block that emitted it, if any

    def to_json(self) -> dict[str, Any]:
        out = {"pallet": self.pallet, "name": self.name, "data": dict(self.data)}
        if self.extrinsic is not None:
            out["extrinsic"] = self.extrinsic
        return out


@dataclass(frozen=True)
class SubmitResult:
    """What became of a submitted extrinsic.

    ``success`` is the dispatch result (inclusion is not success); ``error`` is the dispatch error
    as ``"Pallet.ErrorName"`` (subtensor's names, e.g. ``SubtensorModule.HotKeyAlreadyRegisteredInSubNet``)
    with ``message`` the node's text. ``block``/``block_hash`` are None for ``wait="none"`` and
    dry runs. ``fee`` is what the node charged (or estimates, for a dry run), None where unknown.
    ``dry_run`` marks a result of ``submit(..., dry_run=True)``: signed, never sent.
    """

    hash: str
    success: bool
    block: int | None = None
    block_hash: str | None = None
    error: str | None = None
    message: str | None = None
    events: tuple[Event, ...] = ()
    fee: Balance | None = None
    dry_run: bool = False

    def event(self, name: str) -> Mapping[str, Any] | None:
        """The fields of the first event called ``name`` (e.g. ``NeuronRegistered``), else None."""
        return next((e.data for e in self.events if e.name == name), None)

    def raise_for_error(self) -> "SubmitResult":
        """Inclusion is not success: raise ``DispatchFailed`` (exit 4) with btkit's explanation."""
        if not self.success:
            from btkit.chain.errors import DispatchFailed

            raise DispatchFailed(self)
        return self

    def to_json(self) -> dict[str, Any]:
        return {"hash": self.hash, "success": self.success, "block": self.block, "block_hash": self.block_hash,
                "error": self.error, "message": self.message, "events": [e.to_json() for e in self.events],
                "fee": self.fee, "dry_run": self.dry_run}


@dataclass(frozen=True)
class NodeInfo:
    """Who answers at ``url``: ``kind`` is ``"localnet"`` (btkit's node) or ``"subtensor"`` (a Substrate node).

    ``chain`` is the node's chain name (``system_chain``), ``spec_version`` the runtime version
    (None on btkit's localnet, which has none), ``block_time`` seconds per block where known.
    The localnet-only fields (``mining``, ``pool``, ``profile``, ...) are None on other nodes.
    """

    kind: Literal["localnet", "subtensor"]
    url: str
    chain: str
    genesis_hash: str
    head: int
    head_hash: str
    spec_version: int | None = None
    block_time: float | None = None
    version: str | None = None
    mining: str | None = None
    pool: int | None = None
    profile: str | None = None
    ephemeral: bool | None = None
    data_dir: str | None = None
    pid: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, kw_only=True)
class Subnet:
    """A subnet's identity: owner coldkey/hotkey (SS58), creation block, the TAO locked, started or not."""

    netuid: int
    owner_coldkey: str
    owner_hotkey: str
    registered_at: int
    lock: Balance
    started: bool
    started_at: int | None = None

    def to_json(self) -> dict[str, Any]:
        out = {"netuid": self.netuid, "owner_coldkey": self.owner_coldkey, "owner_hotkey": self.owner_hotkey,
               "registered_at": self.registered_at, "lock": self.lock, "started": self.started}
        if self.started_at is not None:
            out["started_at"] = self.started_at
        return out


@dataclass(frozen=True, kw_only=True)
class SubnetInfo(Subnet):
    """A subnet with its counters: ``n`` of ``max_n`` uids, ``tempo`` (blocks), ``burn`` (the burn
    registration cost now), PoW ``difficulty``, ``total_stake`` on its hotkeys, ``pending_emission``
    (rao waiting for the next epoch) and ``recycled`` (rao burnt by registrations)."""

    n: int
    max_n: int
    tempo: int
    burn: Balance
    difficulty: int
    total_stake: Balance
    pending_emission: Balance = Balance(0)
    recycled: Balance = Balance(0)
    pool: "PoolInfo | None" = None

    def to_json(self) -> dict[str, Any]:
        out = {**super().to_json(), "n": self.n, "max_n": self.max_n, "tempo": self.tempo, "burn": self.burn,
               "difficulty": self.difficulty, "total_stake": self.total_stake,
               "pending_emission": self.pending_emission, "recycled": self.recycled}
        if self.pool is not None:
            out["pool"] = self.pool.to_json()
        return out


@dataclass(frozen=True)
class PoolInfo:
    """A subnet's TAO/alpha pool (dynamic TAO): ``price`` in rao of TAO per 1 alpha (10^9 = 1.0),
    ``tao_in`` (TAO reserve), ``alpha_in`` (alpha reserve), ``alpha_out`` (alpha outside the pool:
    stakes, pending emission), ``emission_tao`` / ``emission_alpha``: what the last block gave the
    subnet (rao per block), ``moving_price`` (the EMA price that sets its emission share, rao per
    alpha), ``fee_rate`` (u16 / 65535). Root (netuid 0) is ``stable``: price 1, no pool math."""

    netuid: int
    price: int
    tao_in: Balance
    alpha_in: Balance
    alpha_out: Balance
    emission_tao: Balance
    emission_alpha: Balance
    moving_price: int = 0
    fee_rate: int = 0
    pending_alpha: Balance = Balance(0)
    stable: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"netuid": self.netuid, "price": self.price, "tao_in": self.tao_in, "alpha_in": self.alpha_in,
                "alpha_out": self.alpha_out, "emission_tao": self.emission_tao, "emission_alpha": self.emission_alpha,
                "moving_price": self.moving_price, "fee_rate": self.fee_rate, "pending_alpha": self.pending_alpha,
                "stable": self.stable}


@dataclass(frozen=True)
class StakeQuote:
    """What staking ``amount`` TAO (``adding``) or unstaking ``amount`` alpha would do now, not done:
    ``paid_in`` enters the pool, ``fee`` (in the input token) does not, ``received`` is the alpha
    (adding) or TAO (removing) that comes out; prices in rao per alpha before and after;
    ``price_impact`` = after / before - 1; ``slippage`` = 1 - received / (received at the price before);
    ``max_at_limit``: with a limit price, the most input that fills within it."""

    netuid: int
    adding: bool
    amount: int
    paid_in: int
    fee: int
    received: int
    price_before: int
    price_after: int
    price_impact: float
    slippage: float
    max_at_limit: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Amounts as ``{rao, tao}`` (TAO) or ``{rao, alpha}`` (the subnet's alpha), prices raw (rao per alpha)."""
        from btkit.units import Alpha

        alpha = Alpha if self.netuid else Balance
        given, got = (Balance, alpha) if self.adding else (alpha, Balance)
        out = {"netuid": self.netuid, "adding": self.adding, "amount": given(self.amount),
               "paid_in": given(self.paid_in), "fee": given(self.fee), "received": got(self.received),
               "price_before": self.price_before, "price_after": self.price_after,
               "price_impact": self.price_impact, "slippage": self.slippage}
        if self.max_at_limit is not None:
            out["max_at_limit"] = given(self.max_at_limit)
        return out


@dataclass(frozen=True)
class SwapQuote:
    """What moving ``amount`` alpha (rao) from ``origin_netuid`` to ``destination_netuid`` (``swap_stake``)
    would do now, not done: ``sold`` (the origin pool) then ``bought`` (the destination pool, with what
    ``sold`` received); ``ratio_before`` = origin price / destination price in rao per rao (10^9 = equal
    prices), the unit of ``swap_stake_limit``'s ``limit_price``; ``max_at_limit``: with a limit ratio,
    the most alpha that moves within it (subtensor ``get_max_amount_move``)."""

    origin_netuid: int
    destination_netuid: int
    amount: int
    sold: StakeQuote
    bought: StakeQuote
    ratio_before: int
    max_at_limit: int | None = None

    def to_json(self) -> dict[str, Any]:
        from btkit.units import Alpha

        out = {"origin_netuid": self.origin_netuid, "destination_netuid": self.destination_netuid,
               "amount": (Alpha if self.origin_netuid else Balance)(self.amount), "sold": self.sold.to_json(),
               "bought": self.bought.to_json(), "ratio_before": self.ratio_before}
        if self.max_at_limit is not None:
            out["max_at_limit"] = (Alpha if self.origin_netuid else Balance)(self.max_at_limit)
        return out


@dataclass(frozen=True, kw_only=True)
class Hyperparameters:
    """A subnet's hyperparameters, by subtensor's names (``SubtensorModule`` storage / ``AdminUtils.sudo_set_*``).

    Units: ``tempo``, ``immunity_period``, ``weights_rate_limit``, ``activity_cutoff``,
    ``adjustment_interval``, ``serving_rate_limit`` in blocks; ``kappa``, ``bonds_penalty``,
    ``alpha_low``, ``alpha_high``, ``max_weights_limit`` u16 fixed point; ``burn``, ``min_burn``,
    ``max_burn``, ``stake_threshold`` rao; ``adjustment_alpha`` u64 fixed point;
    ``bonds_moving_avg`` parts per million; the rest counts or flags. ``bonds_penalty``,
    ``yuma_version`` and ``stake_threshold`` are None on runtimes that lack them (subtensor
    before 2025).
    """

    tempo: int
    kappa: int
    immunity_period: int
    min_allowed_weights: int
    max_weights_limit: int
    weights_version: int
    weights_rate_limit: int
    activity_cutoff: int
    max_allowed_uids: int
    max_allowed_validators: int
    bonds_moving_avg: int
    difficulty: int
    min_difficulty: int
    max_difficulty: int
    burn: int
    min_burn: int
    max_burn: int
    adjustment_interval: int
    adjustment_alpha: int
    target_regs_per_interval: int
    max_regs_per_block: int
    serving_rate_limit: int
    commit_reveal_weights_enabled: bool
    registration_allowed: bool
    pow_registration_allowed: bool
    liquid_alpha_enabled: bool
    alpha_low: int
    alpha_high: int
    bonds_penalty: int | None = None
    yuma_version: int | None = None
    stake_threshold: int | None = None

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "Hyperparameters":
        """From a name -> value mapping; missing names raise KeyError, unknown ones are ignored."""
        return cls(**{name: values[name] for name in cls.names()})

    @property
    def pow_difficulty(self) -> int:
        """The difficulty a PoW seal must meet now: ``difficulty`` clamped to [min, max]."""
        return max(self.min_difficulty, min(self.max_difficulty, self.difficulty))

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.names()}


GATEWAY_MARK = 1
"""``serve_axon``'s ``placeholder1`` value that marks the endpoint as a validator's gateway (client
requests) rather than a miner's axon; subtensor stores ``placeholder1`` in ``AxonInfo`` as btkit's
localnet does, so the mark means the same on both."""


@dataclass(frozen=True)
class AxonInfo:
    """A served endpoint: ``ip`` (text), ``port``, ``ip_type`` (4 or 6), ``protocol``, ``version``,
    ``block`` it was served at; ``gateway``: a validator's gateway (``Calls.serve_gateway``), not a miner."""

    ip: str
    port: int
    ip_type: int = 4
    protocol: int = 4
    version: int = 1
    block: int | None = None
    gateway: bool = False

    @property
    def url(self) -> str:
        from btkit.net.urls import http_url

        return http_url(self.ip, self.port)

    def to_json(self) -> dict[str, Any]:
        return {"block": self.block, "version": self.version, "ip": self.ip, "port": self.port,
                "ip_type": self.ip_type, "protocol": self.protocol, "gateway": self.gateway}


@dataclass(frozen=True, kw_only=True)
class Neuron:
    """One uid of a subnet.

    ``stake``: total stake on the hotkey in the subnet; ``emission``: rao earned at the last epoch
    (both ``Alpha``, the subnet's token, where the chain has dynamic TAO and ``netuid`` is not root);
    ``rank``/``trust``/``consensus``/``incentive``/``dividends``/``vtrust`` (validator trust) and
    ``take``: u16 fixed point (``u16_to_float``); ``last_update``/``registered_at``: blocks.
    """

    uid: int
    hotkey: str
    coldkey: str
    stake: Balance
    rank: int = 0
    trust: int = 0
    consensus: int = 0
    incentive: int = 0
    dividends: int = 0
    vtrust: int = 0
    emission: Balance = Balance(0)
    validator_permit: bool = False
    last_update: int = 0
    registered_at: int = 0
    active: bool = True
    pruning_score: int = 0
    take: int = 0
    axon: AxonInfo | None = None

    def to_json(self) -> dict[str, Any]:
        return {"uid": self.uid, "hotkey": self.hotkey, "coldkey": self.coldkey, "registered_at": self.registered_at,
                "last_update": self.last_update, "axon": self.axon.to_json() if self.axon else None,
                "permit": self.validator_permit, "emission": self.emission, "consensus": self.consensus,
                "incentive": self.incentive, "dividends": self.dividends, "trust": self.trust, "rank": self.rank,
                "vtrust": self.vtrust, "pruning_score": self.pruning_score, "active": self.active,
                "stake": self.stake, "take": self.take}


@dataclass(frozen=True)
class Metagraph:
    """Every uid of subnet ``netuid`` at block ``block`` (neurons ordered by uid)."""

    netuid: int
    block: int
    neurons: tuple[Neuron, ...]
    subnet: Subnet

    @property
    def n(self) -> int:
        return len(self.neurons)

    def by_hotkey(self, hotkey: str) -> Neuron | None:
        return next((nn for nn in self.neurons if nn.hotkey == hotkey), None)

    def to_json(self) -> dict[str, Any]:
        return {"netuid": self.netuid, "block": self.block, "n": self.n,
                "neurons": [nn.to_json() for nn in self.neurons], "subnet": self.subnet.to_json()}


@dataclass(frozen=True)
class Registration:
    """A hotkey's ``uid`` on subnet ``netuid``."""

    netuid: int
    uid: int

    def to_json(self) -> dict[str, Any]:
        return {"netuid": self.netuid, "uid": self.uid}


@dataclass(frozen=True)
class HotkeyInfo:
    """A hotkey: its ``owner`` coldkey (None when unclaimed), delegate ``take`` (u16 fixed point) and
    the subnets it is registered on."""

    hotkey: str
    owner: str | None
    take: int
    registrations: tuple[Registration, ...] = ()

    def uid_on(self, netuid: int) -> int | None:
        return next((r.uid for r in self.registrations if r.netuid == netuid), None)

    def to_json(self) -> dict[str, Any]:
        return {"hotkey": self.hotkey, "owner": self.owner, "take": self.take,
                "registrations": [r.to_json() for r in self.registrations]}


@dataclass(frozen=True)
class StakeInfo:
    """Stake of ``coldkey`` on ``hotkey`` in subnet ``netuid``: ``stake`` in rao of the subnet's alpha
    (TAO on root and on chains without dynamic TAO), ``tao_value`` at the pool's price now (no
    slippage) and ``price`` (rao per alpha) where the chain has pools."""

    coldkey: str
    hotkey: str
    netuid: int
    stake: Balance
    tao_value: Balance | None = None
    price: int | None = None

    def to_json(self) -> dict[str, Any]:
        out = {"hotkey": self.hotkey, "netuid": self.netuid, "stake": self.stake}
        if self.tao_value is not None:
            out.update(tao_value=self.tao_value, price=self.price)
        return out


@dataclass(frozen=True)
class EpochSchedule:
    """When subnet ``netuid`` (``tempo`` blocks per epoch) runs its next epoch, seen at block ``head``."""

    netuid: int
    head: int
    tempo: int
    next_epoch_block: int | None

    def to_json(self) -> dict[str, Any]:
        return {"netuid": self.netuid, "head": self.head, "tempo": self.tempo,
                "next_epoch_block": self.next_epoch_block}


Weights = dict[int, list[tuple[int, int]]]
"""uid -> [(destination uid, u16 weight)] as stored (subtensor's ``Weights`` map)."""


def weights_to_json(weights: Weights) -> dict[str, list[list[int]]]:
    """``Weights`` in btkit's JSON shape: ``{"uid": [[dest, u16], ...]}``."""
    return {str(uid): [[j, w] for j, w in row] for uid, row in weights.items()}


@dataclass(frozen=True)
class Proposal:
    """An open governance motion (subtensor's ``Triumvirate.Voting`` and ``ProposalOf``).

    ``hash`` (0x hex) and ``index`` identify it in votes and in ``close``; ``call`` is the proposed
    call (None when this backend cannot decode it); ``threshold`` the ayes (senate seats) it needs;
    ``ayes``/``nays`` the senate hotkeys that voted; ``end`` the block after which abstentions count
    as nays; ``length`` its encoded size in bytes (``close`` passes it as ``length_bound``).
    """

    hash: str
    index: int
    call: Call | None
    threshold: int
    ayes: tuple[str, ...]
    nays: tuple[str, ...]
    end: int
    length: int

    def to_json(self) -> dict[str, Any]:
        return {"hash": self.hash, "index": self.index, "call": None if self.call is None else self.call.to_json(),
                "threshold": self.threshold, "ayes": list(self.ayes), "nays": list(self.nays), "end": self.end,
                "length": self.length}


@dataclass(frozen=True)
class SenateMember:
    """A senate seat: the delegate ``hotkey`` and its root stake (TAO on netuid 0, the seat rule's measure)."""

    hotkey: str
    stake: Balance

    def to_json(self) -> dict[str, Any]:
        return {"hotkey": self.hotkey, "stake": self.stake}


@dataclass(frozen=True)
class Governance:
    """Who governs: the ``triumvirate`` (proposers, SS58), the ``senate`` (voters), ``max_members``
    (senate seats), ``motion_duration`` (the least voting period, blocks), ``vote_weight`` ("seat":
    one vote per senator, subtensor's rule; "stake": weighed by root stake) and the open proposals."""

    triumvirate: tuple[str, ...]
    senate: tuple[SenateMember, ...]
    max_members: int
    motion_duration: int
    vote_weight: str
    proposals: tuple[Proposal, ...]

    def proposal(self, ref: str) -> Proposal:
        """The open proposal whose hash is (or starts with) ``ref``, or whose index is ``ref``;
        raises ``ChainRejectedError`` naming ``Triumvirate.ProposalNotExists``."""
        from btkit.errors import ChainRejectedError

        for p in self.proposals:
            if p.hash == ref.lower() or str(p.index) == ref or (len(ref) >= 6 and p.hash.startswith(ref.lower())):
                return p
        raise ChainRejectedError(f"Triumvirate.ProposalNotExists: no open proposal {ref}",
                                 "see `btkit governance list`")

    def to_json(self) -> dict[str, Any]:
        return {"triumvirate": list(self.triumvirate), "senate": [m.to_json() for m in self.senate],
                "max_members": self.max_members, "motion_duration": self.motion_duration,
                "vote_weight": self.vote_weight, "proposals": [p.to_json() for p in self.proposals]}
