"""``SubtensorChain``: the ``Chain`` interface on any Substrate subtensor node.

Reads come from storage (``queries``), calls are composed from the node's metadata (``calls``),
extrinsics are built by async-substrate-interface and signed by btkit's keystore
(``keystore.keys.Keypair.sign`` over the library's signing payload), and submission results
carry the runtime's events and the dispatch error by its metadata name (``events``).
"""

from __future__ import annotations

from typing import Any, Sequence

from btkit.chain.errors import ChainQueryError, Unsupported
from btkit.chain.interface import Chain
from btkit.chain.subtensor import queries
from btkit.chain.subtensor.calls import SubtensorCalls, compose
from btkit.chain.subtensor.connection import Connection
from btkit.chain.subtensor.events import event
from btkit.chain.subtensor.storage import Reader
from btkit.chain.types import (
    Call, EpochSchedule, Event, Governance, Head, HotkeyInfo, Hyperparameters, Metagraph, NodeInfo, Registration,
    StakeInfo, SubmitResult, SubnetInfo, Wait, Weights,
)
from btkit.errors import UsageError
from btkit.units import Balance

S = "SubtensorModule"


class SubtensorChain(Chain):
    """``Chain`` on the Substrate node at ``url`` (``ws(s)://`` or ``http(s)://``)."""

    kind = "subtensor"

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.conn = Connection(url, timeout)
        self.storage = Reader(self.conn)
        self.calls = SubtensorCalls(self)

    # -- node and blocks ---------------------------------------------------------------
    def node_info(self) -> NodeInfo:
        head = self.head()
        chain = self.conn.rpc("system_chain")
        with self.conn.guard():  # Aura's slot is twice pallet_timestamp's MinimumPeriod (ms)
            period = self.conn.si.get_constant("Timestamp", "MinimumPeriod")
        return NodeInfo(kind="subtensor", url=self.url, chain=chain, genesis_hash=self.conn.rpc("chain_getBlockHash", 0),
                        head=head.number, head_hash=head.hash, spec_version=self.conn.spec_version,
                        block_time=2 * int(getattr(period, "value", period)) / 1000 if period is not None else None,
                        version=self.conn.rpc("system_version"))

    def head(self) -> Head:
        block_hash = self.conn.rpc("chain_getHead")
        header = self.conn.rpc("chain_getHeader", block_hash)
        return Head(int(header["number"], 16), block_hash)

    def finalized_head(self) -> Head:
        block_hash = self.conn.rpc("chain_getFinalizedHead")
        return Head(int(self.conn.rpc("chain_getHeader", block_hash)["number"], 16), block_hash)

    def _block_hash(self, block: int) -> str:
        block_hash = self.conn.rpc("chain_getBlockHash", block)
        if block_hash is None:
            raise UsageError(f"no block #{block} on {self.url}")
        return block_hash

    def block_events(self, block: int) -> list[Event]:
        with self.conn.guard():
            raw = self.conn.si.get_events(self._block_hash(block))
        return [event(e) for e in raw]

    # -- accounts ----------------------------------------------------------------------
    def balance(self, address: str) -> Balance:
        return Balance(self.storage.one("System", "Account", [address])["data"]["free"])

    def next_nonce(self, address: str) -> int:
        return int(self.conn.rpc("system_accountNextIndex", address))

    def stakes_of(self, coldkey: str) -> list[StakeInfo]:
        hotkeys = self.storage.one(S, "StakingHotkeys", [coldkey]) or []
        nets = queries.netuids(self.storage)
        pairs = [(hk, n) for hk in hotkeys for n in nets]
        values = self.storage.multi([item for hk, n in pairs for item in (
            (S, "Alpha", [hk, coldkey, n]), (S, "TotalHotkeyAlpha", [hk, n]), (S, "TotalHotkeyShares", [hk, n]))])
        out = []
        for i, (hk, n) in enumerate(pairs):
            alpha, total, shares = values[3 * i:3 * i + 3]
            stake = queries.alpha_stake(int(alpha or 0), int(total or 0), int(shares or 0))
            if stake:
                out.append(StakeInfo(coldkey, hk, n, Balance(stake)))
        return out

    def hotkey_info(self, hotkey: str) -> HotkeyInfo:
        return self.hotkey_infos([hotkey])[0]

    def hotkey_infos(self, hotkeys: Sequence[str]) -> list[HotkeyInfo]:
        nets = queries.netuids(self.storage)
        per = 2 + len(nets)
        values = self.storage.multi([item for hk in hotkeys for item in (
            [(S, "Owner", [hk]), (S, "Delegates", [hk])] + [(S, "Uids", [n, hk]) for n in nets])])
        out = []
        for i, hk in enumerate(hotkeys):
            owner, take, *uids = values[i * per:(i + 1) * per]
            regs = tuple(Registration(n, int(uid)) for n, uid in zip(nets, uids) if uid is not None)
            out.append(HotkeyInfo(hk, None if owner in (None, queries.ZERO_ACCOUNT) else owner, int(take or 0), regs))
        return out

    # -- subnets -----------------------------------------------------------------------
    def _require_subnet(self, netuid: int) -> None:
        if not self.storage.one(S, "NetworksAdded", [netuid]):
            raise ChainQueryError(f"{S}.SubNetworkDoesNotExist", f"no subnet {netuid} on {self.url}")

    def subnets(self) -> list[SubnetInfo]:
        return queries.subnet_infos(self.storage, queries.netuids(self.storage))

    def subnet_info(self, netuid: int) -> SubnetInfo:
        self._require_subnet(netuid)
        return queries.subnet_infos(self.storage, [netuid])[0]

    def hyperparameters(self, netuid: int) -> Hyperparameters:
        self._require_subnet(netuid)
        return queries.hyperparameters(self.storage, self.calls, netuid)

    def metagraph(self, netuid: int) -> Metagraph:
        self._require_subnet(netuid)
        return queries.metagraph(self.storage, netuid)

    def weights(self, netuid: int) -> Weights:
        self._require_subnet(netuid)
        n = int(self.storage.one(S, "SubnetworkN", [netuid]))
        rows = dict(self.storage.map(S, "Weights", [netuid]))
        return {uid: [(int(j), int(w)) for j, w in rows.get(uid, [])] for uid in range(n)}

    def burn_cost(self, netuid: int) -> Balance:
        """``Burn[netuid]``; netuid 0 raises ``RegistrationNotPermittedOnRootSubnet`` as ``burned_register``
        would (pallets/subtensor/src/subnets/registration.rs): root members are chosen by stake."""
        if netuid == 0:
            raise ChainQueryError(f"{S}.RegistrationNotPermittedOnRootSubnet",
                                  "neurons do not register on the root network (netuid 0) by burn")
        self._require_subnet(netuid)
        return Balance(self.storage.one(S, "Burn", [netuid]))

    def lock_cost(self) -> Balance:
        """``SubnetRegistrationRuntimeApi.get_network_registration_cost`` (subtensor's ``get_network_lock_cost``)."""
        if not self.conn.has_api("SubnetRegistrationRuntimeApi"):
            raise Unsupported(f"this runtime (spec_version {self.conn.spec_version}) does not report the lock cost")
        with self.conn.guard():
            value = self.conn.si.runtime_call("SubnetRegistrationRuntimeApi", "get_network_registration_cost", [])
        return Balance(int(getattr(value, "value", value)))

    def next_epoch(self, netuid: int) -> EpochSchedule:
        """subtensor's ``blocks_until_next_epoch``: the epoch runs at blocks where
        ``(block + netuid + 1) % (tempo + 1) == tempo`` (pallets/subtensor/src/coinbase/run_coinbase.rs)."""
        self._require_subnet(netuid)
        tempo = int(self.storage.one(S, "Tempo", [netuid]))
        head = self.block_number()
        if tempo == 0:
            return EpochSchedule(netuid, head, tempo, None)
        after = head + 1
        wait = tempo - (after + netuid + 1) % (tempo + 1)
        return EpochSchedule(netuid, head, tempo, after + wait)

    # -- proofs of work and commits ----------------------------------------------------
    pow_refresh_after = 1  # do_registration: the inclusion block must be < work block + 3

    def pow_difficulty(self, netuid: int) -> int:
        """``Difficulty[netuid]`` as is: subtensor's ``get_difficulty`` does not clamp it to
        ``MinDifficulty``/``MaxDifficulty`` (those bound only its adjustment; registration.rs)."""
        self._require_subnet(netuid)
        return int(self.storage.one(S, "Difficulty", [netuid]))

    def weight_commits(self, netuid: int, hotkey: str) -> list[tuple[str, int]]:
        """``WeightCommits[netuid][hotkey]``: (hash, commit block) of each unrevealed commit, oldest first."""
        commits = self.storage.one(S, "WeightCommits", [netuid, hotkey]) or []
        return [(str(c[0]), int(c[1])) for c in commits]

    def pow_prefix(self, netuid: int, block_hash: bytes, hotkey_public: bytes, coldkey_public: bytes) -> bytes:
        """subtensor's challenge: keccak256(block_hash || hotkey) (``hash_block_and_hotkey``); the coldkey
        is not part of the seal. The work block must be one of the 3 latest (``do_registration``)."""
        if self.conn.call_args(S, "register") is None:
            raise Unsupported(f"this runtime (spec_version {self.conn.spec_version}) has no proof-of-work registration")
        from btkit.pow import subtensor_challenge

        return subtensor_challenge(block_hash, hotkey_public)

    def commit_hash(self, hotkey: str, netuid: int, uids: Sequence[int], values: Sequence[int],
                    salt: Sequence[int], version_key: int) -> str:
        """BlakeTwo256 of the SCALE tuple (hotkey, netuid, uids, values, salt, version_key), as
        subtensor's ``do_reveal_weights`` recomputes it (pallets/subtensor/src/subnets/weights.rs)."""
        import hashlib

        si = self.conn.si
        with self.conn.guard():
            data = b"".join(si.encode_scale(t, v) for t, v in (
                ("AccountId", hotkey), ("u16", netuid), ("Vec<u16>", list(uids)), ("Vec<u16>", list(values)),
                ("Vec<u16>", list(salt)), ("u64", version_key)))
        return "0x" + hashlib.blake2b(data, digest_size=32).hexdigest()

    # -- governance --------------------------------------------------------------------
    def governance(self) -> Governance:
        from btkit.chain.subtensor import governance

        return governance.read(self)

    def proposal_length(self, call: Call) -> int:
        from btkit.chain.subtensor import governance

        return governance.proposal_length(self, self.calls.as_proposal(call))

    # -- submission --------------------------------------------------------------------
    def _as_signer(self, signer: str, call: Call) -> Call:
        """AdminUtils calls signed by the sudo key go through ``Sudo.sudo`` (root origin)."""
        if call.pallet == "AdminUtils" and self.conn.has_storage("Sudo", "Key") \
                and self.storage.one("Sudo", "Key") == signer:
            return Call("Sudo", "sudo", {"call": call})
        return call

    def _extrinsic(self, keypair: Any, call: Call, nonce: int, signature: bytes | None = None) -> Any:
        from btkit.chain.subtensor.extrinsic import signed

        return signed(self, keypair, compose(self, self._as_signer(keypair.ss58_address, call)), nonce, signature)

    def estimate_fee(self, signer: str, call: Call) -> Balance:
        """``TransactionPaymentApi.query_info(extrinsic, len).partial_fee`` for ``call`` signed by ``signer``."""
        from keystore.keys import Keypair

        xt = self._extrinsic(Keypair.public_only(signer), call, self.next_nonce(signer), bytes(64))
        return self._fee(xt)

    def _fee(self, xt: Any) -> Balance:
        with self.conn.guard():
            info = self.conn.si.runtime_call("TransactionPaymentApi", "query_info", [xt, len(xt.data)])
        info = getattr(info, "value", info)
        return Balance(int(info.get("partial_fee", info.get("partialFee", 0))))

    def submit(self, keypair: Any, call: Call, wait: Wait = "inclusion", timeout: float = 60,
               nonce: int | None = None, dry_run: bool = False) -> SubmitResult:
        from btkit.chain.errors import TransactionRejected

        if wait not in ("none", "inclusion", "finalization"):
            raise UsageError(f"wait must be none, inclusion or finalization, not {wait!r}")
        try:
            return self._send(keypair, call, wait, timeout, nonce, dry_run)
        except TransactionRejected as exc:  # a parallel extrinsic of this signer took the nonce we picked
            if nonce is not None or not exc.nonce_taken:
                raise
        return self._send(keypair, call, wait, timeout, None, dry_run)

    def _send(self, keypair: Any, call: Call, wait: Wait, timeout: float, nonce: int | None,
              dry_run: bool) -> SubmitResult:
        from btkit.chain.subtensor.extrinsic import send

        xt = self._extrinsic(keypair, call, self.next_nonce(keypair.ss58_address) if nonce is None else nonce)
        xt_hash = "0x" + xt.extrinsic_hash.hex()
        if dry_run:
            return SubmitResult(hash=xt_hash, success=True, fee=self._fee(xt), dry_run=True)
        return send(self, xt, xt_hash, wait, timeout)

    def close(self) -> None:
        self.conn.close()
