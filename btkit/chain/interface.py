"""The chain interface: what commands and neurons may ask of a chain, and nothing wire-specific.

``Chain`` is implemented by one backend per kind of node (``btkit.chain.localnet`` for btkit's
own node; a Substrate backend for subtensor nodes). Reads return the typed values of
``btkit.chain.types``. Writes are two steps, so that every command can show the call, the signer
and the fee before anything is sent (money safety) and ``--dry-run`` can stop before sending:

    call = chain.calls.transfer(dest, Balance.from_tao("1.5"))   # build (by subtensor's names)
    fee = chain.estimate_fee(keypair.ss58_address, call)        # optional
    result = chain.submit(keypair, call, wait="inclusion")       # sign with btkit's keystore, send
    result.raise_for_error()                                     # dispatch error -> DispatchFailed

Errors every operation may raise: ``NodeUnreachableError`` (exit 3) when no node answers,
``ChainRejectedError`` (exit 4) when the node refuses an extrinsic before inclusion (bad
signature, stale nonce, pool full), ``DispatchFailed`` (exit 4, from ``raise_for_error``) when an
included call fails, ``Unsupported`` (exit 2) when this backend or runtime lacks the operation.
Queries about a subnet that does not exist raise ``ChainRejectedError`` naming
``SubtensorModule.SubNetworkDoesNotExist``.
"""

from __future__ import annotations

import abc
from typing import Any, Mapping, Sequence

from btkit.chain.errors import Unsupported
from btkit.chain.types import (
    GATEWAY_MARK, Call, EpochSchedule, Event, Governance, Head, HotkeyInfo, Hyperparameters, Metagraph, NodeInfo,
    StakeInfo,
    SubmitResult, SubnetInfo, Wait, Weights,
)
from btkit.units import Balance


class Calls:
    """Builds the calls of write operations, by subtensor's pallet, call and argument names.

    This base class builds them as subtensor (and btkit's localnet, which mirrors it) names them
    (source: opentensor/subtensor ``pallets/subtensor/src/macros/dispatches.rs``). A backend whose
    runtime differs (renamed arguments, a limit-price variant) subclasses it and overrides the
    methods concerned; commands only ever call these methods.
    """

    # -- balances ----------------------------------------------------------------------
    def transfer(self, dest: str, amount: Balance, keep_alive: bool = True) -> Call:
        """``Balances.transfer_keep_alive(dest, value)`` (or ``transfer_allow_death``); amount in rao."""
        return Call("Balances", "transfer_keep_alive" if keep_alive else "transfer_allow_death",
                    {"dest": dest, "value": amount.rao})

    # -- subnets -----------------------------------------------------------------------
    def register_network(self, hotkey: str) -> Call:
        """Create a subnet owned by the signing coldkey, ``hotkey`` as its uid 0; locks ``lock_cost()``."""
        return Call("SubtensorModule", "register_network", {"hotkey": hotkey})

    def start_call(self, netuid: int) -> Call | None:
        """Start emission on a subnet (owner only); None where the runtime has no ``start_call``
        (subtensor before it, e.g. spec 218: subnets run from creation)."""
        return Call("SubtensorModule", "start_call", {"netuid": netuid})

    def set_hyperparameter(self, netuid: int, name: str, value: int | bool) -> Call:
        """``AdminUtils.sudo_set_<name>(netuid, value)``: subnet owner or sudo; ``name`` from
        ``Hyperparameters.names()``."""
        return Call("AdminUtils", f"sudo_set_{name}", {"netuid": netuid, "value": value})

    # -- registration ------------------------------------------------------------------
    def burned_register(self, netuid: int, hotkey: str) -> Call:
        """Register ``hotkey`` on ``netuid`` paying ``burn_cost(netuid)`` from the signing coldkey."""
        return Call("SubtensorModule", "burned_register", {"netuid": netuid, "hotkey": hotkey})

    def register(self, netuid: int, block_number: int, nonce: int, work: str, hotkey: str, coldkey: str) -> Call:
        """Register by proof of work (signed by the hotkey): the seal ``work`` (0x hex) of ``nonce``
        over the challenge of block ``block_number`` (see ``Chain.pow_prefix``)."""
        return Call("SubtensorModule", "register", {"netuid": netuid, "block_number": block_number, "nonce": nonce,
                                                    "work": work, "hotkey": hotkey, "coldkey": coldkey})

    def faucet(self, block_number: int, nonce: int, work: str) -> Call:
        """Mint test TAO to the signer for a proof of work (dev chains only; see ``Chain.faucet_difficulty``)."""
        return Call("SubtensorModule", "faucet", {"block_number": block_number, "nonce": nonce, "work": work})

    # -- staking -----------------------------------------------------------------------
    def add_stake(self, hotkey: str, netuid: int, amount: Balance) -> Call:
        """Stake ``amount`` (rao) from the signing coldkey's free balance to ``hotkey`` on ``netuid``."""
        return Call("SubtensorModule", "add_stake", {"hotkey": hotkey, "netuid": netuid, "amount_staked": amount.rao})

    def remove_stake(self, hotkey: str, netuid: int, amount: Balance) -> Call:
        """Unstake ``amount`` (rao) back to the signing coldkey."""
        return Call("SubtensorModule", "remove_stake",
                    {"hotkey": hotkey, "netuid": netuid, "amount_unstaked": amount.rao})

    def add_stake_limit(self, hotkey: str, netuid: int, amount: Balance, limit_price: int,
                        allow_partial: bool) -> Call:
        """Stake, buying alpha only while the pool price stays at or under ``limit_price`` (rao of TAO per
        alpha): a partial fill with ``allow_partial``, else the call fails ``SlippageTooHigh``."""
        return Call("SubtensorModule", "add_stake_limit", {"hotkey": hotkey, "netuid": netuid,
                                                           "amount_staked": amount.rao, "limit_price": limit_price,
                                                           "allow_partial": allow_partial})

    def remove_stake_limit(self, hotkey: str, netuid: int, amount: Balance, limit_price: int,
                           allow_partial: bool) -> Call:
        """Unstake ``amount`` alpha (rao), selling only while the price stays at or above ``limit_price``."""
        return Call("SubtensorModule", "remove_stake_limit", {"hotkey": hotkey, "netuid": netuid,
                                                              "amount_unstaked": amount.rao,
                                                              "limit_price": limit_price,
                                                              "allow_partial": allow_partial})

    def move_stake(self, origin_hotkey: str, destination_hotkey: str, origin_netuid: int, destination_netuid: int,
                   amount: Balance) -> Call:
        """Move ``amount`` alpha (rao) of the signer's stake to another hotkey and/or subnet."""
        return Call("SubtensorModule", "move_stake", {"origin_hotkey": origin_hotkey,
                                                      "destination_hotkey": destination_hotkey,
                                                      "origin_netuid": origin_netuid,
                                                      "destination_netuid": destination_netuid,
                                                      "alpha_amount": amount.rao})

    def transfer_stake(self, destination_coldkey: str, hotkey: str, origin_netuid: int, destination_netuid: int,
                       amount: Balance) -> Call:
        """Give ``amount`` alpha (rao) staked on ``hotkey`` to another coldkey (optionally in another subnet)."""
        return Call("SubtensorModule", "transfer_stake", {"destination_coldkey": destination_coldkey,
                                                          "hotkey": hotkey, "origin_netuid": origin_netuid,
                                                          "destination_netuid": destination_netuid,
                                                          "alpha_amount": amount.rao})

    def swap_stake(self, hotkey: str, origin_netuid: int, destination_netuid: int, amount: Balance) -> Call:
        """Swap ``amount`` alpha (rao) staked on ``hotkey`` in one subnet for stake in another."""
        return Call("SubtensorModule", "swap_stake", {"hotkey": hotkey, "origin_netuid": origin_netuid,
                                                      "destination_netuid": destination_netuid,
                                                      "alpha_amount": amount.rao})

    def swap_stake_limit(self, hotkey: str, origin_netuid: int, destination_netuid: int, amount: Balance,
                         limit_price: int, allow_partial: bool) -> Call:
        """``swap_stake`` only while origin price / destination price stays at or above ``limit_price``
        (rao per rao: 10^9 = equal prices)."""
        return Call("SubtensorModule", "swap_stake_limit", {"hotkey": hotkey, "origin_netuid": origin_netuid,
                                                            "destination_netuid": destination_netuid,
                                                            "alpha_amount": amount.rao, "limit_price": limit_price,
                                                            "allow_partial": allow_partial})

    def unstake_all(self, hotkey: str, alpha_only: bool = False) -> Call:
        """Unstake everything the signer holds on ``hotkey`` (``unstake_all``), or with ``alpha_only``
        every subnet but root, restaking the TAO on root (``unstake_all_alpha``)."""
        return Call("SubtensorModule", "unstake_all_alpha" if alpha_only else "unstake_all", {"hotkey": hotkey})

    def set_take(self, hotkey: str, take: int, current: int) -> Call:
        """``increase_take`` or ``decrease_take`` of a delegate hotkey to ``take`` (u16 fixed point),
        whichever moves it from ``current``."""
        function = "increase_take" if take > current else "decrease_take"
        return Call("SubtensorModule", function, {"hotkey": hotkey, "take": take})

    # -- weights and serving -----------------------------------------------------------
    def set_weights(self, netuid: int, uids: Sequence[int], weights: Sequence[int], version_key: int) -> Call:
        """Set the signing hotkey's weights: ``weights`` are u16 (normalised by the chain)."""
        return Call("SubtensorModule", "set_weights", {"netuid": netuid, "dests": list(uids),
                                                       "weights": list(weights), "version_key": version_key})

    def commit_weights(self, netuid: int, commit_hash: str) -> Call:
        """Commit to weights by hash (see ``Chain.commit_hash``)."""
        return Call("SubtensorModule", "commit_weights", {"netuid": netuid, "commit_hash": commit_hash})

    def reveal_weights(self, netuid: int, uids: Sequence[int], values: Sequence[int], salt: Sequence[int],
                       version_key: int) -> Call:
        """Reveal committed weights (u16 values, the u16 salt used for the commit)."""
        return Call("SubtensorModule", "reveal_weights", {"netuid": netuid, "uids": list(uids), "values": list(values),
                                                          "salt": list(salt), "version_key": version_key})

    def serve_axon(self, netuid: int, ip: str, port: int, protocol: int = 4, version: int = 1) -> Call:
        """Announce the signing hotkey's endpoint; ``ip`` is IPv4 or IPv6 text (UsageError otherwise)."""
        import ipaddress

        from btkit.errors import UsageError

        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            raise UsageError(f"not an IP address: {ip!r}") from None
        return Call("SubtensorModule", "serve_axon", {"netuid": netuid, "version": version, "ip": int(addr),
                                                      "port": port, "ip_type": addr.version, "protocol": protocol,
                                                      "placeholder1": 0, "placeholder2": 0})

    def serve_gateway(self, netuid: int, ip: str, port: int) -> Call:
        """Announce the signing validator's gateway (client requests, ``btkit.gateway``): ``serve_axon``
        with ``placeholder1 = GATEWAY_MARK``, shown as ``AxonInfo.gateway``. It takes the place of the
        hotkey's axon and obeys the same ``serving_rate_limit``."""
        served = self.serve_axon(netuid, ip, port)
        return Call(served.pallet, served.function, {**served.args, "placeholder1": GATEWAY_MARK})


    # -- governance (source: subtensor f5e11478a^, pallets/collective and coinbase/root.rs) ---------
    def by_name(self, name: str, args: Mapping[str, Any]) -> Call:
        """Any call by its ``Pallet.function`` name and wire arguments (what a proposal carries);
        raises ``UsageError`` for a name without one dot."""
        from btkit.errors import UsageError

        pallet, dot, function = name.partition(".")
        if not dot or not pallet or not function or "." in function:
            raise UsageError(f"a call is named Pallet.function (e.g. AdminUtils.sudo_set_tempo), not {name!r}")
        return Call(pallet, function, dict(args))

    def propose(self, call: Call, length_bound: int, duration: int) -> Call:
        """``Triumvirate.propose(proposal, length_bound, duration)``: a triumvirate member proposes
        ``call`` (executed with root origin if the senate approves); ``length_bound`` >= its encoded
        length (``Chain.proposal_length``), ``duration`` >= the motion duration (blocks)."""
        return Call("Triumvirate", "propose", {"proposal": call, "length_bound": length_bound, "duration": duration})

    def senate_vote(self, hotkey: str, proposal_hash: str, index: int, approve: bool) -> Call:
        """``SubtensorModule.vote(hotkey, proposal, index, approve)``, signed by the coldkey owning the
        senate ``hotkey``."""
        return Call("SubtensorModule", "vote", {"hotkey": hotkey, "proposal": proposal_hash, "index": index,
                                                "approve": approve})

    def close(self, proposal_hash: str, index: int, length_bound: int) -> Call:
        """``Triumvirate.close(proposal_hash, index, length_bound)``: root origin (the sudo key)."""
        return Call("Triumvirate", "close", {"proposal_hash": proposal_hash, "index": index,
                                             "length_bound": length_bound})


class Chain(abc.ABC):
    """A chain btkit talks to. ``url`` is the endpoint; ``kind`` is ``"localnet"`` or ``"subtensor"``."""

    kind: str
    url: str
    calls: Calls = Calls()

    # -- node and blocks ---------------------------------------------------------------
    @abc.abstractmethod
    def node_info(self) -> NodeInfo:
        """Which node answers, its chain, runtime version and head."""

    @abc.abstractmethod
    def head(self) -> Head:
        """The best block (number, hash)."""

    def block_number(self) -> int:
        return self.head().number

    def finalized_head(self) -> Head:
        """The last finalized block: what a reader that must never see a block re-organised away (the
        gateway's payment watcher) reads up to. Backends without finality information raise ``Unsupported``."""
        raise Unsupported(f"finalized blocks are not available from this {self.kind} backend ({self.url})")

    @abc.abstractmethod
    def block_events(self, block: int) -> list[Event]:
        """Every event of block ``block`` (with the index of the extrinsic that emitted it), in order;
        the transfers into an address show as ``Balances.Transfer`` events with ``from``/``to``/``amount``."""

    # -- accounts ----------------------------------------------------------------------
    @abc.abstractmethod
    def balance(self, address: str) -> Balance:
        """Free balance of ``address``."""

    @abc.abstractmethod
    def next_nonce(self, address: str) -> int:
        """The nonce the next extrinsic of ``address`` must carry (counts the node's pool)."""

    @abc.abstractmethod
    def stakes_of(self, coldkey: str) -> list[StakeInfo]:
        """Every (hotkey, netuid) stake held by ``coldkey``."""

    def pool(self, netuid: int) -> PoolInfo:
        """A subnet's TAO/alpha pool (netuid 0: root, stable). Chains without dynamic TAO raise ``Unsupported``."""
        raise Unsupported(f"subnet pools (dynamic TAO) are not available on this {self.kind} node ({self.url})")

    def quote_stake(self, netuid: int, amount: Balance, adding: bool, limit_price: int | None = None) -> StakeQuote:
        """What staking ``amount`` TAO (``adding``) or unstaking ``amount`` alpha would do now, without
        doing it (the pool's swap, fee and price impact; ``limit_price`` in rao per alpha). Raises
        ``ChainRejectedError`` naming the chain's error (e.g. ``Swap.PriceLimitExceeded``)."""
        raise Unsupported(f"stake quotes (dynamic TAO) are not available on this {self.kind} node ({self.url})")

    def quote_swap(self, origin_netuid: int, destination_netuid: int, amount: Balance,
                   limit_price: int | None = None) -> SwapQuote:
        """What ``swap_stake`` of ``amount`` alpha (rao) from one subnet to another would do now, without
        doing it; with ``limit_price`` (origin price / destination price, rao per rao) the most that moves
        within it (``SwapQuote.max_at_limit``). Raises ``ChainRejectedError`` naming the chain's error;
        backends that cannot quote raise ``Unsupported``."""
        raise Unsupported(f"swap quotes (dynamic TAO) are not available on this {self.kind} node ({self.url})")

    @abc.abstractmethod
    def hotkey_info(self, hotkey: str) -> HotkeyInfo:
        """Owner, take and registrations of ``hotkey``."""

    def hotkey_infos(self, hotkeys: Sequence[str]) -> list[HotkeyInfo]:
        """``hotkey_info`` of each, in order (backends may fetch them in one round trip)."""
        return [self.hotkey_info(hk) for hk in hotkeys]

    # -- subnets -----------------------------------------------------------------------
    @abc.abstractmethod
    def subnets(self) -> list[SubnetInfo]:
        """Every subnet, by netuid."""

    @abc.abstractmethod
    def subnet_info(self, netuid: int) -> SubnetInfo:
        """One subnet."""

    @abc.abstractmethod
    def hyperparameters(self, netuid: int) -> Hyperparameters:
        """A subnet's hyperparameters."""

    @abc.abstractmethod
    def metagraph(self, netuid: int) -> Metagraph:
        """Every uid of a subnet, with stake, consensus outputs and axon."""

    @abc.abstractmethod
    def weights(self, netuid: int) -> Weights:
        """Every uid's stored weights (u16) on a subnet."""

    @abc.abstractmethod
    def burn_cost(self, netuid: int) -> Balance:
        """What ``burned_register`` on ``netuid`` recycles now (rao). Raises ``ChainQueryError``:
        ``RegistrationNotPermittedOnRootSubnet`` for netuid 0, ``SubNetworkDoesNotExist``."""

    @abc.abstractmethod
    def lock_cost(self) -> Balance:
        """What ``register_network`` locks now."""

    @abc.abstractmethod
    def next_epoch(self, netuid: int) -> EpochSchedule:
        """When the subnet's next epoch runs."""

    def weight_commits(self, netuid: int, hotkey: str) -> list[tuple[str, int]]:
        """``hotkey``'s unrevealed weight commits on ``netuid``: (0x hash, commit block), oldest first.
        Backends that cannot read them raise ``Unsupported``."""
        raise Unsupported(f"reading weight commits is not available on this {self.kind} node ({self.url})")

    def last_epoch(self, netuid: int) -> dict[str, Any] | None:
        """btkit's record of the subnet's last epoch (``block``, ``rao_emission``, ``owner_cut``,
        ``recycled``, and per uid ``explain`` rows with the reasons a uid earned nothing), None before
        the first. Only btkit's localnet keeps it: other backends raise ``Unsupported``."""
        raise Unsupported(f"epoch records need btkit's localnet; {self.url} is a {self.kind} node")

    # -- governance --------------------------------------------------------------------
    def governance(self) -> Governance:
        """The triumvirate, the senate with each seat's root stake, and every open proposal.
        Chains without governance pallets raise ``Unsupported``."""
        raise Unsupported(f"governance (Triumvirate/SenateMembers) is not available on this {self.kind} node "
                          f"({self.url})")

    def proposal_length(self, call: Call) -> int:
        """The encoded length (bytes) of ``call`` as a proposal: the least ``length_bound`` for it."""
        raise Unsupported(f"governance is not available on this {self.kind} node ({self.url})")

    # -- registration by proof of work -------------------------------------------------
    pow_refresh_after: int = 3
    """Blocks after its work block at which a PoW search starts over on a fresh block (the seal must
    be included while the chain still accepts its work block)."""

    def pow_difficulty(self, netuid: int) -> int:
        """The difficulty a PoW seal on ``netuid`` must meet now (btkit's localnet: ``difficulty`` clamped
        to [min, max], ``Hyperparameters.pow_difficulty``)."""
        return self.hyperparameters(netuid).pow_difficulty

    def pow_prefix(self, netuid: int, block_hash: bytes, hotkey_public: bytes, coldkey_public: bytes) -> bytes:
        """The bytes btkit's PoW solvers hash with a nonce for registering on ``netuid`` at the block
        ``block_hash``; ``Calls.register`` takes the seal. Backends without PoW raise ``Unsupported``."""
        raise Unsupported(f"registration by proof of work is not available on this {self.kind} node ({self.url})")

    def faucet_difficulty(self) -> int:
        """The PoW difficulty of ``Calls.faucet``; backends without a faucet raise ``Unsupported``."""
        raise Unsupported(f"the faucet is only on btkit's localnet; {self.url} is a {self.kind} node")

    @abc.abstractmethod
    def commit_hash(self, hotkey: str, netuid: int, uids: Sequence[int], values: Sequence[int],
                    salt: Sequence[int], version_key: int) -> str:
        """The 0x hash ``Calls.commit_weights`` commits to, as this chain's runtime computes it."""

    # -- submission --------------------------------------------------------------------
    @abc.abstractmethod
    def estimate_fee(self, signer: str, call: Call) -> Balance:
        """The fee the node would charge ``signer`` for ``call`` now."""

    @abc.abstractmethod
    def submit(self, keypair: Any, call: Call, wait: Wait = "inclusion", timeout: float = 60,
               nonce: int | None = None, dry_run: bool = False) -> SubmitResult:
        """Sign ``call`` with ``keypair`` (a ``keystore.keys.Keypair``) and send it.

        ``wait``: ``"none"`` returns once the node accepted it (no block, ``success`` True),
        ``"inclusion"`` once it is in a block (with events and the dispatch result),
        ``"finalization"`` once that block is final. ``nonce``: None = ``next_nonce``.
        ``dry_run``: sign and estimate the fee, send nothing (the nonce does not move).
        Raises ``ChainRejectedError`` when the node refuses it, ``NodeUnreachableError`` on timeout.
        """

    # -- capabilities ------------------------------------------------------------------
    def dev(self, what: str) -> "DevChain":
        """This chain's dev operations, for ``what`` (a command name, for the error message).
        Raises ``Unsupported`` on a backend without them."""
        raise Unsupported(f"`{what}` needs btkit's localnet; {self.url} is a {self.kind} node")

    def close(self) -> None:
        """Release connections (optional; the process exit does too)."""


class DevChain(abc.ABC):
    """Operations only a development chain offers (btkit's localnet): obtain with ``Chain.dev(what)``."""

    @abc.abstractmethod
    def mine(self, blocks: int = 1) -> Head:
        """Produce ``blocks`` blocks now, in any mining mode."""

    def jump(self, blocks: int) -> Head:
        """Advance the head's number by ``blocks``; a backend that cannot skip heights builds them."""
        return self.mine(blocks)

    @abc.abstractmethod
    def snapshot(self) -> int:
        """Remember the state; returns an id for ``revert``."""

    @abc.abstractmethod
    def revert(self, snapshot_id: int) -> Head:
        """Return to a snapshot; blocks after it are dropped."""

    @abc.abstractmethod
    def dump(self) -> dict[str, Any]:
        """The node's whole state and head, as a JSON document ``load`` accepts."""

    @abc.abstractmethod
    def load(self, dump: dict[str, Any]) -> Head:
        """Replace state and head with a ``dump``."""

    @abc.abstractmethod
    def set_balance(self, address: str, amount: Balance) -> Balance:
        """Set the free balance of ``address`` (returns it)."""
